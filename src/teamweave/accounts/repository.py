"""Queries of the accounts capability."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from teamweave.accounts.models import User


def user_by_username(session: Session, *, org: str, username: str) -> User | None:
    stmt = select(User).where(User.org == org, User.username == username)
    return session.execute(stmt).scalar_one_or_none()


def user_by_id(session: Session, *, org: str, user_id: int) -> User | None:
    stmt = select(User).where(User.org == org, User.id == user_id)
    return session.execute(stmt).scalar_one_or_none()


def user_by_person(session: Session, *, org: str, person_id: int) -> User | None:
    stmt = select(User).where(User.org == org, User.person_id == person_id)
    return session.execute(stmt).scalar_one_or_none()


def users(session: Session, *, org: str) -> list[User]:
    return list(session.execute(select(User).where(User.org == org).order_by(User.username)).scalars())


def add_user(session: Session, user: User) -> User:
    session.add(user)
    session.flush()
    return user
