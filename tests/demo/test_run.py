"""End to end: ``demo.run.prepare`` imports the demo like a user's data, and the metrics detect each phenomenon.

Runs the whole pipeline (HR import, Slack and calendar imports, analysis, logins) into a temporary data dir,
on SQLite and on the real PostgreSQL server.
"""

from __future__ import annotations

import shutil
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from statistics import mean

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.demo.conftest import DEMO_END
from tests.support.databases import postgres_database
from tests.support.stored_text import stored_text
from tests.web.conftest import log_in

from teamweave.accounts import service as accounts_service
from teamweave.analytics.windows import window_name
from teamweave.checkins import service as checkins_service
from teamweave.config import Settings
from teamweave.demo.run import DemoInfo, prepare
from teamweave.moments import service as moments_service
from teamweave.network.models import NetworkStructure, PersonMetric, TeamMetric
from teamweave.people import service as people_service
from teamweave.people.schemas import DirectoryEntry
from teamweave.recognition import service as recognition_service
from teamweave.runtime import Runtime
from teamweave.store.session import session_scope
from teamweave.web.app import create_app

MANY_TIES_QUANTILE = 0.75


@dataclass
class Prepared:
    runtime: Runtime
    info: DemoInfo
    people: list[DirectoryEntry]
    person_months: list[PersonMetric]
    team_months: list[TeamMetric]

    @property
    def months(self) -> list[date]:
        return sorted({m.window_start for m in self.team_months})

    def team_id(self, name: str) -> int:
        return next(p.team_id for p in self.people if p.team_name == name and p.team_id is not None)

    def pseudonym(self, email: str) -> str:
        return next(p.pseudonym for p in self.people if p.email == email)

    def person_series(self, attribute: str) -> dict[str, dict[date, float]]:
        series: dict[str, dict[date, float]] = defaultdict(dict)
        for m in self.person_months:
            value = getattr(m, attribute)
            if value is not None:
                series[m.pseudonym][m.window_start] = float(value)
        return series

    def team_series(self, attribute: str) -> dict[int, list[float]]:
        """Per team, the attribute in each month (teams without a value in a month are left out there)."""
        by_team: dict[int, dict[date, float]] = defaultdict(dict)
        for m in self.team_months:
            value = getattr(m, attribute)
            if value is not None:
                by_team[m.team_id][m.window_start] = float(value)
        return {team: [values[d] for d in sorted(values)] for team, values in by_team.items()}


def _load(runtime: Runtime, info: DemoInfo) -> Prepared:
    org = runtime.settings.org
    with session_scope(runtime.sessions) as session:
        people = people_service.directory(session, org=org)
        persons = _person_rows(session, org)
        teams = _team_rows(session, org)
    return Prepared(runtime, info, people, persons, teams)


def _person_rows(session: Session, org: str) -> list[PersonMetric]:
    stmt = select(PersonMetric).where(PersonMetric.org == org, PersonMetric.period == "month")
    return list(session.execute(stmt).scalars())


def _team_rows(session: Session, org: str) -> list[TeamMetric]:
    stmt = select(TeamMetric).where(TeamMetric.org == org, TeamMetric.period == "month")
    return list(session.execute(stmt).scalars())


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def prepared(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Prepared]:
    data_dir = tmp_path_factory.mktemp(f"demo-{request.param}")
    if request.param == "sqlite":
        yield from _prepared(Settings(env="test", data_dir=data_dir, _env_file=None))
        return
    with postgres_database() as url:
        settings = Settings(env="test", data_dir=data_dir, database_url=url, _env_file=None)
        yield from _prepared(settings)


def _prepared(settings: Settings) -> Iterator[Prepared]:
    runtime = Runtime(settings)
    try:
        info = prepare(runtime, end=DEMO_END)
        yield _load(runtime, info)
    finally:
        runtime.close()


def test_prepare_imports_the_demo_and_creates_logins(prepared: Prepared) -> None:
    info = prepared.info
    print(f"demo prepare: {info.seconds:.1f} s, steps {info.steps}, {info.events} events")  # noqa: T201
    assert info.generated
    assert not info.reused
    assert info.people == info.manifest.people == len(prepared.people)
    assert info.events > info.manifest.slack_messages
    assert prepared.person_months
    assert prepared.team_months
    assert len(prepared.months) == 12
    org = prepared.runtime.settings.org
    with session_scope(prepared.runtime.sessions) as session:
        users = {u.username: u for u in accounts_service.list_users(session, org=org)}
        for login in info.logins:
            assert users[login.username].role == login.role
            user = accounts_service.authenticate(session, org=org, username=login.username, password=info.password)
            assert (user.person_id is None) == (login.email is None)


def test_running_prepare_again_reuses_the_data(prepared: Prepared) -> None:
    before = prepared.runtime.events.count(prepared.runtime.settings.org)
    again = prepare(prepared.runtime, end=DEMO_END)
    assert again.reused
    assert not again.generated
    assert again.events == before == prepared.info.events
    assert again.people == prepared.info.people


def test_new_hire_has_the_fewest_ties_in_their_team(prepared: Prepared) -> None:
    planted = prepared.info.manifest.phenomena
    team = prepared.team_id(planted.new_hire_team)
    last = prepared.months[-3:]
    ties = prepared.person_series("ties")
    mean_ties = {
        p.pseudonym: mean(ties.get(p.pseudonym, {}).get(month, 0.0) for month in last)
        for p in prepared.people
        if p.team_id == team
    }
    hire = prepared.pseudonym(planted.new_hire)
    others = [value for pseudonym, value in mean_ties.items() if pseudonym != hire]
    assert mean_ties[hire] < min(others)
    assert mean_ties[hire] < 0.5 * mean(others)


def test_siloed_team_has_the_lowest_ei_index(prepared: Prepared) -> None:
    ei = {team: mean(values) for team, values in prepared.team_series("ei_index").items() if values}
    siloed = prepared.team_id(prepared.info.manifest.phenomena.siloed_team)
    assert min(ei, key=lambda team: ei[team]) == siloed
    assert ei[siloed] < -0.8
    others = sorted(value for team, value in ei.items() if team != siloed)
    assert others[len(others) // 2] > ei[siloed] + 0.3


def test_bridge_person_has_the_highest_cross_team_share_among_well_connected_people(prepared: Prepared) -> None:
    ties = prepared.person_series("ties")
    cross = prepared.person_series("cross_team_share")
    mean_ties = {p: mean(values.values()) for p, values in ties.items()}
    ranked = sorted(mean_ties.values())
    threshold = ranked[int(len(ranked) * MANY_TIES_QUANTILE)]
    candidates = {p: mean(cross[p].values()) for p, value in mean_ties.items() if value >= threshold and cross.get(p)}
    bridge = prepared.pseudonym(prepared.info.manifest.phenomena.bridge_person)
    assert bridge in candidates
    assert max(candidates, key=lambda p: candidates[p]) == bridge
    assert mean_ties[bridge] == max(mean_ties.values())


def test_bridge_person_is_the_broker_of_the_strong_tie_network(prepared: Prepared) -> None:
    """The planted bridge carrier has, month by month on average, the highest betweenness, the lowest Burt's
    constraint and the largest effective size of everyone (analytics.structure, on strong ties)."""
    bridge = prepared.pseudonym(prepared.info.manifest.phenomena.bridge_person)

    def mean_of(attribute: str) -> dict[str, float]:
        return {p: mean(values.values()) for p, values in prepared.person_series(attribute).items()}

    between, constraint, size = mean_of("betweenness"), mean_of("burt_constraint"), mean_of("effective_size")
    assert max(between, key=lambda p: between[p]) == bridge
    assert min(constraint, key=lambda p: constraint[p]) == bridge
    assert max(size, key=lambda p: size[p]) == bridge
    assert len(between) >= 300  # everyone with a tie has a value


def test_communities_follow_the_teams(prepared: Prepared) -> None:
    with session_scope(prepared.runtime.sessions) as session:
        rows = session.execute(select(NetworkStructure).where(NetworkStructure.period == "month")).scalars().all()
    assert len(rows) == len(prepared.months)
    assert all(r.team_nmi is not None and r.team_nmi > 0.9 for r in rows)  # teams talk mostly inside
    assert all(r.communities >= 15 for r in rows)


def test_after_hours_creep_team_rises(prepared: Prepared) -> None:
    series = prepared.team_series("after_hours_share")
    creep = prepared.team_id(prepared.info.manifest.phenomena.after_hours_creep_team)
    rise = mean(series[creep][-3:]) - mean(series[creep][:3])
    assert rise > 0.15
    others = [mean(v[-3:]) - mean(v[:3]) for team, v in series.items() if team != creep and len(v) >= 6]
    assert max(others) < rise / 2


def test_bot_team_human_share_falls(prepared: Prepared) -> None:
    series = prepared.team_series("human_share")
    bot = prepared.team_id(prepared.info.manifest.phenomena.bot_team)
    fall = mean(series[bot][:3]) - mean(series[bot][-3:])
    assert fall > 0.15
    last = {team: values[-1] for team, values in series.items() if values}
    assert min(last, key=lambda team: last[team]) == bot


def test_the_demo_holds_a_quarter_of_rituals(prepared: Prepared) -> None:
    """Recognitions (none for the new hire), the planted celebrations, the member's falling WHO-5, found 1:1s."""
    runtime, manifest = prepared.runtime, prepared.info.manifest
    org, end = runtime.settings.org, manifest.end
    member = next(login for login in manifest.logins if login.role == "member")
    with session_scope(runtime.sessions) as session:
        feed = recognition_service.operator_feed(session, org=org, limit=1000)
        around = moments_service.upcoming(session, org=org, first=end - timedelta(days=7), days=14)
        user = next(u for u in accounts_service.list_users(session, org=org) if u.username == member.username)
        history = checkins_service.my_checkins(session, org=org, viewer=user)
    new_hire = next(p.name for p in prepared.people if p.email == manifest.phenomena.new_hire)
    assert len(feed) > 300
    assert all(new_hire not in view.receivers for view in feed)
    assert all(view.created_at.date() < end for view in feed)  # never later in the day than now
    assert {c.title for c in around if c.moment_id is not None} >= {
        "Migrated checkout to the new ledger",
        "One million sign-ups",
        "First production deploy",
    }
    assert [view.who5.score for view in history] == [76, 68, 60, 48, 40]


def test_team_wellbeing_has_averages_and_the_creep_team_is_lowest(prepared: Prepared) -> None:
    """Most people check in, so the people-admins' team averages show (over k), and the team whose after-hours
    work creeps up is the unhappiest by its latest check-ins."""
    runtime, manifest = prepared.runtime, prepared.info.manifest
    org = runtime.settings.org
    admin = next(login for login in manifest.logins if login.role == "people-admin")
    with session_scope(runtime.sessions) as session:
        viewer = next(u for u in accounts_service.list_users(session, org=org) if u.username == admin.username)
        shown = {
            team.name: checkins_service.team_wellbeing(session, org=org, viewer=viewer, team_id=team.team_id, k=5)
            for team in people_service.teams(session, org=org)
        }
    means = {name: w.mean_score for name, w in shown.items() if not w.too_few and w.mean_score is not None}
    assert len(means) >= len(shown) // 2
    creep = manifest.phenomena.after_hours_creep_team
    assert min(means, key=lambda name: means[name]) == creep
    assert means[creep] < 50 < mean(means.values())


def test_demo_messages_never_reach_the_store(prepared: Prepared, tmp_path: Path) -> None:
    """Privacy: no generated message text or meeting summary appears in any byte the store wrote."""
    data_dir = prepared.runtime.settings.data_dir
    copy = tmp_path / "store"
    shutil.copytree(data_dir, copy, ignore=lambda folder, names: ["demo"] if Path(folder) == data_dir else [])
    written = stored_text(copy)
    assert len(written) > 1_000_000
    for phrase in ("the flaky integration test", "deployed build", "Team sync", "Architecture forum"):
        assert phrase not in written


def test_regenerate_writes_the_files_anew_and_replaces_the_events(prepared: Prepared) -> None:
    """Runs last in this module: it re-imports everything (same seed and end, so the same events)."""
    manifest_file = prepared.info.directory / "manifest.json"
    before = manifest_file.stat().st_mtime_ns
    again = prepare(prepared.runtime, end=DEMO_END, regenerate=True)
    assert again.generated
    assert not again.reused
    assert manifest_file.stat().st_mtime_ns > before
    assert again.events == prepared.info.events
    assert again.people == prepared.info.people


def test_the_quarters_show_the_silo_and_the_pages_show_the_quarters(prepared: Prepared) -> None:
    """Each whole quarter of the demo year finds the planted silo (combined from its months when the demo is large
    enough to be analysed month by month; computed from its events otherwise: the same rows), and the org, team
    and personal pages show the quarters."""
    runtime, info = prepared.runtime, prepared.info
    org = runtime.settings.org
    siloed = prepared.team_id(info.manifest.phenomena.siloed_team)
    with session_scope(runtime.sessions) as session:
        stmt = select(TeamMetric).where(TeamMetric.org == org, TeamMetric.period == "quarter")
        quarters = list(session.execute(stmt).scalars())
    starts = sorted({m.window_start for m in quarters})
    assert len(starts) in (4, 5)  # a year: four quarters, five when it does not start on a quarter's first day
    for start in starts[1:-1]:  # the whole ones
        ei = {m.team_id: m.ei_index for m in quarters if m.window_start == start and m.ei_index is not None}
        assert min(ei, key=lambda team: ei[team]) == siloed, start
    admin = next(login for login in info.logins if login.role == "admin")
    member = next(login for login in info.logins if login.role == "member")
    with TestClient(create_app(runtime.settings, runtime=runtime), follow_redirects=False) as client:
        log_in(client, admin.username, info.password)
        page = client.get("/org?period=quarter")
        assert page.status_code == 200
        assert "Quarter starting" in page.text
        assert 'href="?period=quarter" class="on"' in page.text
        assert "Too few windows yet to test for a change" in page.text  # four finished quarters
        assert "Too few windows yet to test" not in client.get("/org?period=month").text
        assert len(client.get("/api/org?period=quarter").json()["nodes"]) > 1
        team = client.get(f"/teams/{siloed}?period=quarter")
        assert team.status_code == 200
        assert "quarter starting" in team.text
        assert "Too few windows yet to test for a change" in team.text
        log_in(client, member.username, info.password)
        me = client.get("/me").text
        assert "Ties per quarter" in me
        # the latest quarter that has ended: the demo ends in November
        assert f"In {window_name(starts[-2], period='quarter')} you were in touch with" in me
