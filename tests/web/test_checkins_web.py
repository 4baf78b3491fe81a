"""The check-in pages end to end with TestClient, on a schema made by ``metadata.create_all`` (checkins tables
are not in the migration yet): a report submits, their manager sees the trend, another manager gets 403."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import csrf_of, log_in
from tests.web.seeding import PASSWORD, SeededOrg, seed_org

from teamweave.accounts.service import create_user
from teamweave.checkins.schemas import WHO5_ITEMS
from teamweave.config import Settings
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
