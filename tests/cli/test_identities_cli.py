"""``teamweave identities list|resolve|alias`` against a temporary data dir."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from sqlalchemy import select
from typer.testing import CliRunner

from teamweave.cli import identities
from teamweave.config import load_settings
from teamweave.errors import InputFormatError, NotFound
from teamweave.imports import service
from teamweave.imports.models import Identity
from teamweave.imports.service import BotIdentity
from teamweave.people.models import Person
from teamweave.runtime import Runtime
from teamweave.store.session import session_scope

ORG = "default"


@pytest.fixture
def app() -> typer.Typer:
    root = typer.Typer()
    identities.register(root)
    return root


@pytest.fixture
def ids(data_dir: Path) -> dict[str, int]:
    """A fresh instance with ana and ben in the directory, an unresolved Slack user and a bot; their ids."""
    runtime = Runtime(load_settings())
    try:
        runtime.migrate()
        p = runtime.pseudonymiser
        with session_scope(runtime.sessions) as session:
            for name in ("ana", "ben"):
                email = f"{name}@acme.test"
                session.add(Person(org=ORG, email=email, name=name, pseudonym=p.person_of_email(email), timezone="UTC"))
            ghost = service.add_identity(
                session,
                org=ORG,
                source="slack",
                pseudonym=p.identity("slack", "T1:U3"),
                label="@ghost (Slack U3)",
                is_bot=False,
                run_id=None,
            )
            bot = service.add_identity(
                session,
                org=ORG,
                source="slack",
                pseudonym=p.identity("slack", "T1:U9"),
                label="@deploybot (Slack U9, bot)",
                is_bot=True,
                run_id=None,
            )
            session.flush()
            return {"ghost": ghost.id, "bot": bot.id}
    finally:
        runtime.close()


def _person_of(identity_id: int) -> str | None:
    runtime = Runtime(load_settings())
    try:
        with session_scope(runtime.sessions) as session:
            identity = session.execute(select(Identity).where(Identity.id == identity_id)).scalar_one()
            if identity.person_id is None:
                return None
            return session.execute(select(Person.email).where(Person.id == identity.person_id)).scalar_one()
    finally:
        runtime.close()


def test_list_shows_ids_labels_and_people(app: typer.Typer, ids: dict[str, int]) -> None:
    result = CliRunner().invoke(app, ["identities", "list", "--unresolved"])
    assert result.exit_code == 0, result.output
    assert "@ghost (Slack U3)" in result.output
    assert "@deploybot (Slack U9, bot)" in result.output
    assert "2 identities" in result.output


def test_resolve_by_email_then_list_shows_the_person(app: typer.Typer, ids: dict[str, int]) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["identities", "resolve", str(ids["ghost"]), "Ana@acme.test"])
    assert result.exit_code == 0, result.output
    assert f"resolved identity {ids['ghost']} (slack) to Ana@acme.test" in result.output
    assert _person_of(ids["ghost"]) == "ana@acme.test"
    unresolved = runner.invoke(app, ["identities", "list", "--unresolved"])
    assert "@ghost" not in unresolved.output
    assert "1 identity" in unresolved.output
    everything = runner.invoke(app, ["identities", "list"])
    assert "ana@acme.test" in everything.output


def test_resolve_refuses_bots_and_unknown_people(app: typer.Typer, ids: dict[str, int]) -> None:
    runner = CliRunner()
    bot = runner.invoke(app, ["identities", "resolve", str(ids["bot"]), "ana@acme.test"])
    assert isinstance(bot.exception, BotIdentity)
    unknown = runner.invoke(app, ["identities", "resolve", str(ids["ghost"]), "zed@acme.test"])
    assert isinstance(unknown.exception, NotFound)
    assert _person_of(ids["bot"]) is None
    assert _person_of(ids["ghost"]) is None


def test_alias_applies_good_rows_reports_bad_ones_and_is_idempotent(
    app: typer.Typer, ids: dict[str, int], tmp_path: Path
) -> None:
    path = tmp_path / "aliases.csv"
    path.write_text(
        "source,identity,email\nslack,T1:U3,ben@acme.test\nslack,T1:U404,ana@acme.test\nslack,T1:U3,zed@acme.test\n"
    )
    runner = CliRunner()
    first = runner.invoke(app, ["identities", "alias", str(path)])
    assert first.exit_code == 0, first.output
    lines = first.output.splitlines()
    assert "aliases.csv, line 3, field 'identity': unknown identity 'T1:U404' in slack (no import has seen it)" in lines
    assert "aliases.csv, line 4, field 'email': unknown e-mail zed@acme.test (not in the HR directory)" in lines
    assert _person_of(ids["ghost"]) == "ben@acme.test"
    assert "resolved" in first.output

    second = runner.invoke(app, ["identities", "alias", str(path)])
    assert second.exit_code == 0, second.output
    assert "run `teamweave analyze`" not in second.output  # nothing newly resolved
    assert _person_of(ids["ghost"]) == "ben@acme.test"


def test_alias_with_a_bad_header_raises_a_located_error(app: typer.Typer, ids: dict[str, int], tmp_path: Path) -> None:
    path = tmp_path / "aliases.csv"
    path.write_text("who,email\nT1:U3,ana@acme.test\n")
    result = CliRunner().invoke(app, ["identities", "alias", str(path)])
    assert isinstance(result.exception, InputFormatError)
    assert str(result.exception).startswith("aliases.csv, line 1: missing column(s): source, identity")
