"""``teamweave users create`` / ``users list``: logins linked to people by e-mail; errors as one line."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from teamweave.accounts import service as accounts
from teamweave.accounts.models import User
from teamweave.cli.main import app
from teamweave.config import load_settings
from teamweave.errors import InputFormatError, NotFound
from teamweave.people.models import Person
from teamweave.runtime import Runtime
from teamweave.store.session import session_scope


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TEAMWEAVE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TEAMWEAVE_ENV", "test")
    monkeypatch.delenv("TEAMWEAVE_DATABASE_URL", raising=False)
    runtime = Runtime(load_settings())
    runtime.migrate()
    with session_scope(runtime.sessions) as session:
        session.add(Person(org="default", email="ana@example.org", name="Ana", pseudonym="p-ana", timezone="UTC"))
    runtime.close()
    return tmp_path / "data"


def _users(data_dir: Path) -> list[User]:
    runtime = Runtime(load_settings())
    try:
        with session_scope(runtime.sessions) as session:
            return list(session.execute(select(User).order_by(User.username)).scalars())
    finally:
        runtime.close()


def test_create_a_user_linked_to_a_person(data_dir: Path) -> None:
    runner = CliRunner()
    args = [
        "users",
        "create",
        "ana",
        "--role",
        "member",
        "--person-email",
        "ANA@example.org",
        "--password",
        "s3cret-pass",
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "created user ana (member)" in result.output
    users = _users(data_dir)
    assert [(u.username, u.role, u.person_id is not None) for u in users] == [("ana", "member", True)]
    runtime = Runtime(load_settings())
    with session_scope(runtime.sessions) as session:
        assert accounts.authenticate(session, org="default", username="ana", password="s3cret-pass").username == "ana"
    runtime.close()
    listed = runner.invoke(app, ["users", "list"])
    assert listed.exit_code == 0
    assert "ana" in listed.output


def test_password_is_prompted_when_not_given(data_dir: Path) -> None:
    result = CliRunner().invoke(
        app, ["users", "create", "root", "--role", "admin"], input="long-password\nlong-password\n"
    )
    assert result.exit_code == 0, result.output
    assert "long-password" not in result.output
    assert [u.role for u in _users(data_dir)] == ["admin"]


def test_unknown_role_and_unknown_person_are_typed_errors(data_dir: Path) -> None:
    runner = CliRunner()
    bad_role = runner.invoke(app, ["users", "create", "x", "--role", "boss", "--password", "long-password"])
    assert isinstance(bad_role.exception, InputFormatError)
    nobody = ["users", "create", "x", "--role", "member", "--person-email", "no@example.org", "--password", "long-pass"]
    unknown = runner.invoke(app, nobody)
    assert isinstance(unknown.exception, NotFound)
    assert _users(data_dir) == []
