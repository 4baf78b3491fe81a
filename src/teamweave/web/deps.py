"""Request dependencies: the runtime, a database session per request, the current user and role checks.

The session is the request's transaction: committed when the route succeeds, rolled back when it raises.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from teamweave.accounts import service as accounts
from teamweave.accounts.models import Role, User
from teamweave.config import Settings
from teamweave.errors import Forbidden, NotAuthenticated
from teamweave.runtime import Runtime
from teamweave.store.session import session_scope
from teamweave.web.rendering import remember_viewer
from teamweave.web.security import session_is_fresh


def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def get_settings(request: Request) -> Settings:
    return get_runtime(request).settings


def get_session(request: Request) -> Iterator[Session]:
    """One session per request: commit on success, roll back on error.

    Scoped to the route function, so the commit (audit entries included) happens before the response is
    sent: a viewer never receives people data whose view failed to be recorded.
    """
    with session_scope(get_runtime(request).sessions) as session:
        yield session


DbSession = Annotated[Session, Depends(get_session, scope="function")]


def optional_user(request: Request, session: DbSession) -> User | None:
    """The logged-in user, or None: also when the session's account no longer exists, was replaced, ended its
    sessions (logout, password change) or the session is older than its absolute lifetime."""
    uid = request.session.get("uid")
    org = get_settings(request).org
    user = None
    if isinstance(uid, int) and request.session.get("org") == org and session_is_fresh(request):
        user = accounts.find_user(session, org=org, user_id=uid)
        token = request.session.get("st")
        if user is not None and not (
            isinstance(token, str) and hmac.compare_digest(token, accounts.session_token(user))
        ):
            user = None
    remember_viewer(request, user)
    return user


OptionalUser = Annotated[User | None, Depends(optional_user)]


def current_user(user: OptionalUser) -> User:
    """The logged-in user; :class:`NotAuthenticated` (a redirect to /login on pages) otherwise."""
    if user is None:
        raise NotAuthenticated("please log in")
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def require_roles(*roles: Role) -> Callable[[User], User]:
    """A dependency that lets only users with one of ``roles`` through (403 for the others)."""
    allowed = frozenset(r.value for r in roles)

    def check(user: CurrentUser) -> User:
        if user.role not in allowed:
            raise Forbidden("your role may not see this page")
        return user

    return check


MANAGERS_AND_ADMINS = (Role.MANAGER, Role.PEOPLE_ADMIN, Role.ADMIN)
ORG_VIEWERS = (Role.MANAGER, Role.PEOPLE_ADMIN, Role.ADMIN, Role.PORTFOLIO_VIEWER)
PEOPLE_ADMINS = (Role.PEOPLE_ADMIN, Role.ADMIN)

ManagerOrAdmin = Annotated[User, Depends(require_roles(*MANAGERS_AND_ADMINS))]
OrgViewer = Annotated[User, Depends(require_roles(*ORG_VIEWERS))]
PeopleAdmin = Annotated[User, Depends(require_roles(*PEOPLE_ADMINS))]
Admin = Annotated[User, Depends(require_roles(Role.ADMIN))]
