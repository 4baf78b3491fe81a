"""The check-in pages end to end with TestClient, on a schema made by ``metadata.create_all`` (checkins tables
are not in the migration yet): a report submits, their manager sees the trend, another manager gets 403."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from tests.web.conftest import csrf_of, log_in
from tests.web.seeding import PASSWORD, SeededOrg, seed_org

from teamweave.accounts.service import create_user
from teamweave.checkins.models import HeldOneOnOne
from teamweave.checkins.schemas import WHO5_ITEMS
from teamweave.config import Settings
from teamweave.people.models import Person
from teamweave.runtime import Runtime
from teamweave.store.models import metadata
from teamweave.store.session import session_scope
from teamweave.web.app import create_app

SECRET_TEXT = "tired of the reorg, honestly"


@pytest.fixture
def web(tmp_path: Path) -> Iterator[tuple[TestClient, SeededOrg]]:
    settings = Settings(  # type: ignore[call-arg]
        env="test", data_dir=tmp_path / "data", database_url=f"sqlite:///{tmp_path / 'web.db'}", _env_file=None
    )
    runtime = Runtime(settings)
    metadata.create_all(runtime.engine)
    with session_scope(runtime.sessions) as session:
        seeded = seed_org(session, org=settings.org)
        dan = create_user(
            session,
            org=settings.org,
            username="dan",
            password=PASSWORD,
            role="manager",
            person_id=seeded.people["dan"],
        )
        seeded.users["dan"] = dan.id
    with TestClient(create_app(settings, runtime=runtime), follow_redirects=False) as client:
        yield client, seeded
    runtime.close()


def _submit(client: TestClient, answers: list[int], text: str = SECRET_TEXT) -> None:
    page = client.get("/checkins")
    assert page.status_code == 200
    form = {f"who5_{n}": str(a) for n, a in enumerate(answers, start=1)}
    form.update(how_are_you=text, connection="Bob", csrf_token=csrf_of(page.text))
    response = client.post("/checkins", data=form)
    assert response.status_code == 303
    assert response.headers["location"] == "/checkins?saved=1"


def test_the_form_has_the_official_items_and_scale(web: tuple[TestClient, SeededOrg]) -> None:
    client, _ = web
    log_in(client, "alice")
    page = client.get("/checkins").text
    for item in WHO5_ITEMS:
        assert item in page
    assert "At no time" in page
    assert "All of the time" in page
    assert "How are you, really?" in page
    assert page.count('type="radio"') == 30
    assert page.index("At no time") < page.index("All of the time")


def test_free_text_is_escaped(web: tuple[TestClient, SeededOrg]) -> None:
    client, _ = web
    log_in(client, "alice")
    _submit(client, [3, 3, 3, 3, 3], text="<script>alert(1)</script>")
    page = client.get("/checkins").text
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)" in page


def test_a_report_submits_and_their_manager_sees_the_trend(web: tuple[TestClient, SeededOrg]) -> None:
    client, seeded = web
    log_in(client, "alice")
    _submit(client, [4, 4, 4, 4, 4])
    _submit(client, [2, 2, 3, 2, 2], text="second")
    own = client.get("/checkins?saved=1").text
    assert "your check-in is saved" in own
    assert "44" in own  # 11 x 4
    assert SECRET_TEXT in own
    log_in(client, "mia")
    overview = client.get("/checkins/reports").text
    assert "Alice" in overview
    assert "<svg" in overview
    assert "dropped 10+" in overview
    assert "50 or less" in overview
    detail = client.get(f"/checkins/reports/{seeded.people['alice']}")
    assert detail.status_code == 200
    assert SECRET_TEXT in detail.text


def test_another_manager_gets_403_and_no_answers(web: tuple[TestClient, SeededOrg]) -> None:
    client, seeded = web
    log_in(client, "alice")
    _submit(client, [1, 1, 1, 1, 1])
    for other in ("dan", "pat"):
        log_in(client, other)
        response = client.get(f"/checkins/reports/{seeded.people['alice']}")
        assert response.status_code == 403
        assert SECRET_TEXT not in response.text
        assert "Alice" not in client.get("/checkins/reports").text


def test_people_admin_sees_only_the_guarded_team_aggregate(web: tuple[TestClient, SeededOrg]) -> None:
    client, _ = web
    log_in(client, "alice")
    _submit(client, [1, 1, 1, 1, 1])
    log_in(client, "pat")
    page = client.get("/checkins/teams")
    assert page.status_code == 200
    assert "too few people to show" in page.text
    assert SECRET_TEXT not in page.text


def test_posting_without_csrf_is_403(web: tuple[TestClient, SeededOrg]) -> None:
    client, seeded = web
    log_in(client, "alice")
    form = {f"who5_{n}": "3" for n in range(1, 6)}
    assert client.post("/checkins", data=form).status_code == 403
    log_in(client, "mia")
    assert client.post(f"/checkins/reports/{seeded.people['alice']}/held").status_code == 403
    assert "No check-ins yet" in client.get(f"/checkins/reports/{seeded.people['alice']}").text


def test_logging_a_held_1on1_clears_overdue(web: tuple[TestClient, SeededOrg]) -> None:
    client, seeded = web
    log_in(client, "mia")
    alice = seeded.people["alice"]
    page = client.get(f"/checkins/reports/{alice}")
    assert "overdue" in page.text
    token = csrf_of(page.text)
    assert client.post(f"/checkins/reports/{alice}/held", data={"csrf_token": token}).status_code == 303
    assert (
        client.post(f"/checkins/reports/{alice}/cadence", data={"csrf_token": token, "every_days": "7"}).status_code
        == 303
    )
    after = client.get(f"/checkins/reports/{alice}").text
    assert "overdue" not in after
    assert "every 7 days" in after


def test_out_of_range_answers_are_422(web: tuple[TestClient, SeededOrg]) -> None:
    client, _ = web
    log_in(client, "alice")
    token = csrf_of(client.get("/checkins").text)
    form = {f"who5_{n}": "3" for n in range(1, 6)} | {"who5_2": "6", "csrf_token": token}
    assert client.post("/checkins", data=form).status_code == 422


def _post(client: TestClient, page_path: str, action: str, **form: str) -> int:
    token = csrf_of(client.get(page_path).text)
    return client.post(action, data={"csrf_token": token, **form}).status_code


def test_prompts_from_the_bank_then_from_the_signals_with_consent(web: tuple[TestClient, SeededOrg]) -> None:
    client, seeded = web
    alice = seeded.people["alice"]
    log_in(client, "alice")
    _submit(client, [4, 4, 4, 4, 4])
    _submit(client, [2, 2, 2, 2, 2])
    log_in(client, "mia")
    page = client.get(f"/checkins/reports/{alice}").text
    assert "Before your next 1:1" in page
    assert "From the question bank" in page
    assert "fell from 80 to 40" not in page
    log_in(client, "alice")
    assert "Let my signals shape coaching prompts" in client.get("/checkins").text
    assert _post(client, "/checkins", "/checkins/consent", allow="1") == 303
    form = client.get("/checkins").text
    assert "Withdraw my consent" in form
    assert "never more than this page shows" not in form  # false: the after-hours share is not on her page
    assert "outside working hours last month" in form
    assert "does not otherwise see" in form
    assert "if your manager changes, the new one gets none of this" in form
    log_in(client, "mia")
    page = client.get(f"/checkins/reports/{alice}").text
    assert "Their WHO-5 fell from 80 to 40" in page
    assert "Why:" in page


def test_notes_carry_and_items_are_ticked_by_the_pair_only(web: tuple[TestClient, SeededOrg]) -> None:
    client, seeded = web
    alice = seeded.people["alice"]
    log_in(client, "mia")
    report_page = f"/checkins/reports/{alice}"
    assert _post(client, report_page, f"{report_page}/notes", text="talk about the <b>conference</b>") == 303
    assert _post(client, report_page, f"{report_page}/items", text="book the trip", owner="report") == 303
    log_in(client, "alice")
    own = client.get("/checkins").text
    assert "talk about the &lt;b&gt;conference&lt;/b&gt;" in own
    assert "book the trip" in own
    item_id = int(own.split('action="/checkins/items/')[1].split('"')[0])
    log_in(client, "dan")
    assert _post(client, "/checkins/reports", f"/checkins/items/{item_id}", done="1") == 404
    assert _post(client, "/checkins/reports", f"{report_page}/notes", text="not my report") == 403
    log_in(client, "alice")
    assert _post(client, "/checkins", f"/checkins/items/{item_id}", done="1") == 303
    assert "<s>book the trip</s>" in client.get("/checkins").text
    log_in(client, "mia")
    assert "<s>book the trip</s>" in client.get(report_page).text


def test_a_report_asks_for_a_1on1_and_the_manager_gets_it(web: tuple[TestClient, SeededOrg]) -> None:
    client, _ = web
    log_in(client, "alice")
    token = csrf_of(client.get("/checkins").text)
    response = client.post("/checkins/ask", data={"csrf_token": token})
    assert response.status_code == 303
    assert "Your manager has been asked for a 1:1" in client.get(response.headers["location"]).text
    log_in(client, "mia")
    assert "Alice asks for a 1:1" in client.get("/inbox").text


def test_the_managers_own_cadence_page(web: tuple[TestClient, SeededOrg]) -> None:
    client, seeded = web
    log_in(client, "mia")
    alice = seeded.people["alice"]
    assert _post(client, f"/checkins/reports/{alice}", f"/checkins/reports/{alice}/held") == 303
    page = client.get("/checkins/cadence")
    assert page.status_code == 200
    assert "<svg" in page.text
    assert "11%" in page.text  # 1 of 9 reports within cadence
    assert "Alice" in page.text
    log_in(client, "alice")
    assert client.get("/checkins/cadence").status_code == 403


def test_scheduling_sends_invites_and_bad_times_are_422(web: tuple[TestClient, SeededOrg]) -> None:
    client, seeded = web
    alice = seeded.people["alice"]
    log_in(client, "mia")
    page = f"/checkins/reports/{alice}"
    token = csrf_of(client.get(page).text)
    response = client.post(f"{page}/schedule", data={"csrf_token": token, "start": "2026-11-30T10:00", "minutes": "30"})
    assert response.status_code == 303
    assert "Invites sent" in client.get(response.headers["location"]).text
    assert "1:1 Mia / Alice" in client.get("/inbox").text
    bad = client.post(f"{page}/schedule", data={"csrf_token": token, "start": "next monday", "minutes": "30"})
    assert bad.status_code == 422
    log_in(client, "alice")
    assert "1:1 Mia / Alice" in client.get("/inbox").text


@pytest.mark.parametrize(("role", "status"), [("alice", 403), ("mia", 200), ("pat", 200), ("root", 404), ("port", 403)])
def test_the_cadence_page_as_every_role(web: tuple[TestClient, SeededOrg], role: str, status: int) -> None:
    client, _ = web
    log_in(client, role)
    assert client.get("/checkins/cadence").status_code == status


def test_the_new_forms_need_csrf(web: tuple[TestClient, SeededOrg]) -> None:
    client, seeded = web
    alice = seeded.people["alice"]
    log_in(client, "alice")
    for path, form in (
        ("/checkins/consent", {"allow": "1"}),
        ("/checkins/ask", {}),
        ("/checkins/notes", {"text": "x"}),
        ("/checkins/items", {"text": "x", "owner": "report"}),
    ):
        assert client.post(path, data=form).status_code == 403, path
    log_in(client, "mia")
    for path, form in (
        (f"/checkins/reports/{alice}/notes", {"text": "x"}),
        (f"/checkins/reports/{alice}/schedule", {"start": "2026-11-30T10:00"}),
    ):
        assert client.post(path, data=form).status_code == 403, path
    assert "Notes and action items" in client.get(f"/checkins/reports/{alice}").text
    assert "x</li>" not in client.get(f"/checkins/reports/{alice}").text


def test_a_held_1on1_is_filed_under_the_managers_own_day(web: tuple[TestClient, SeededOrg]) -> None:
    client, seeded = web
    now = datetime.now(UTC)
    zone = "Pacific/Kiritimati" if now.hour >= 10 else "Pacific/Pago_Pago"  # UTC+14 / UTC-11: a day apart from UTC
    runtime: Runtime = client.app.state.runtime  # type: ignore[attr-defined]
    with session_scope(runtime.sessions) as session:
        session.execute(update(Person).where(Person.id == seeded.people["mia"]).values(timezone=zone))
    alice = seeded.people["alice"]
    log_in(client, "mia")
    assert _post(client, f"/checkins/reports/{alice}", f"/checkins/reports/{alice}/held") == 303
    with session_scope(runtime.sessions) as session:
        day = session.scalars(select(HeldOneOnOne.day)).one()
    assert day == datetime.now(ZoneInfo(zone)).date()
    assert day != datetime.now(UTC).date()
