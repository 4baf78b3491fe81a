"""Logins: create users with argon2 password hashes, authenticate, look users up. Services never commit.

Passwords are hashed with argon2id (argon2-cffi's RFC 9106 low-memory profile: 3 passes, 64 MiB, 4 lanes).
An unknown username costs the same hash verification as a wrong password, so timing does not reveal which
usernames exist.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy.orm import Session

from teamweave.accounts import repository
from teamweave.accounts.models import Role, User
from teamweave.errors import InputFormatError, NotAuthenticated, NotFound

MIN_PASSWORD_LENGTH = 8
_HASHER = PasswordHasher()
_DUMMY_HASH = _HASHER.hash("teamweave-timing-equaliser")


def parse_role(value: str) -> Role:
    """The role named ``value`` (e.g. ``"people-admin"``); an unknown name is an :class:`InputFormatError`."""
    try:
        return Role(value.strip().lower())
    except ValueError as exc:
        known = ", ".join(r.value for r in Role)
        raise InputFormatError(f"unknown role {value!r}", field="role", hint=f"one of: {known}") from exc


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` (refused when shorter than 8 characters)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputFormatError(f"password too short (at least {MIN_PASSWORD_LENGTH} characters)", field="password")
    return _HASHER.hash(password)


def create_user(
    session: Session,
    *,
    org: str,
    username: str,
    password: str,
    role: Role | str,
    person_id: int | None = None,
) -> User:
    """Create a login. ``person_id`` links it to a person (their own page); admins may have none."""
    name = username.strip()
    if not name:
        raise InputFormatError("username is empty", field="username")
    if repository.user_by_username(session, org=org, username=name) is not None:
        raise InputFormatError(f"user {name!r} already exists", field="username", hint="pick another name")
    if person_id is not None and repository.user_by_person(session, org=org, person_id=person_id) is not None:
        raise InputFormatError("that person already has a login", field="person")
    user = User(
        org=org,
        username=name,
        password_hash=hash_password(password),
        role=parse_role(str(role)).value,
        person_id=person_id,
        created_at=datetime.now(UTC),
    )
    return repository.add_user(session, user)


def authenticate(session: Session, *, org: str, username: str, password: str) -> User:
    """The user whose password this is; :class:`NotAuthenticated` otherwise (same message either way)."""
    if any(ord(c) < 32 or ord(c) == 127 for c in username):
        raise NotAuthenticated("wrong username or password")
    user = repository.user_by_username(session, org=org, username=username.strip())
    stored = user.password_hash if user is not None else _DUMMY_HASH
    try:
        _HASHER.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError) as exc:
        raise NotAuthenticated("wrong username or password") from exc
    if user is None:
        raise NotAuthenticated("wrong username or password")
    if _HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = _HASHER.hash(password)
    user.last_login_at = datetime.now(UTC)
    session.flush()
    return user


def session_token(user: User) -> str:
    """What a login session stores to stay bound to this very account.

    It changes when the account is deleted and its id reused, when the password changes, and when every
    session of the user is ended (:func:`end_sessions`), so an old cookie can never act as another account.
    """
    material = f"{user.id}\x1f{user.org}\x1f{user.username}\x1f{user.created_at.isoformat()}"
    material += f"\x1f{user.password_hash}\x1f{user.session_epoch}"
    return hashlib.sha256(material.encode()).hexdigest()


def end_sessions(session: Session, *, user: User) -> None:
    """End every session of this user (their cookies stop working everywhere). The caller commits."""
    user.session_epoch = (user.session_epoch or 0) + 1
    session.flush()


def get_user(session: Session, *, org: str, user_id: int) -> User:
    """The user with this id in this org; :class:`NotFound` otherwise."""
    user = repository.user_by_id(session, org=org, user_id=user_id)
    if user is None:
        raise NotFound(f"no user {user_id}")
    return user


def find_user(session: Session, *, org: str, user_id: int) -> User | None:
    """The user with this id in this org, or None (for sessions whose user was removed)."""
    return repository.user_by_id(session, org=org, user_id=user_id)


def list_users(session: Session, *, org: str) -> list[User]:
    """Every login of the org, by username."""
    return repository.users(session, org=org)
