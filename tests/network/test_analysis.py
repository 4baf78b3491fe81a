"""analyze() end to end on SQLite and PostgreSQL: events in a Parquet store, metrics computed by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from teamweave.analytics.windows import PERIODS
from teamweave.imports.models import Identity
from teamweave.ingest.records import Interaction
from teamweave.network.analysis import analyze
from teamweave.network.models import AnalysisRun, PersonMetric, TeamMetric, TeamTie
from teamweave.people.models import Person, Team
from teamweave.privacy.pseudonym import Pseudonymiser
from teamweave.store.events import EventStore

ORG = "acme"
P = Pseudonymiser(b"k" * 32)
ZONES = {"ana": "UTC", "ben": "America/New_York", "eve": "UTC", "cy": "UTC", "fay": "UTC", "gus": "UTC", "dee": "UTC"}
ALPHA, BETA = ("ana", "ben", "eve"), ("cy", "fay", "gus", "dee")


def pid(name: str) -> str:
    return P.person_of_email(f"{name}@acme.test")


SLACK_ANA = P.identity("slack", "U-ANA")
BOT = P.identity("slack", "B-BOT")


def _seed_people(session: Session) -> dict[str, int]:
    teams = {name: Team(org=ORG, name=name) for name in ("Alpha", "Beta")}
    session.add_all(teams.values())
    session.flush()
    for name, zone in ZONES.items():
        team = teams["Alpha"] if name in ALPHA else teams["Beta"]
        session.add(
            Person(
                org=ORG,
                email=f"{name}@acme.test",
                name=name.title(),
                pseudonym=pid(name),
                team_id=team.id,
                timezone=zone,
                analytics_opt_out=name == "dee",
            )
        )
    session.flush()
    ana = session.execute(select(Person).where(Person.pseudonym == pid("ana"))).scalar_one()
    session.add(Identity(org=ORG, source="slack", pseudonym=SLACK_ANA, label="@ana", person_id=ana.id))
    session.add(Identity(org=ORG, source="slack", pseudonym=BOT, label="deploybot", is_bot=True))
    session.flush()
    return {name: team.id for name, team in teams.items()}


def _ev(n: int, kind: str, ts: datetime, actor: str, *targets: str, **extra: object) -> Interaction:
    return Interaction(
        org=ORG,
        event_id=P.event_id("slack", str(n)),
        source="calendar" if kind == "meeting" else "slack",
        kind=kind,
        ts=ts,
        actor=actor,
        targets=targets,
        audience=len(targets),
        **extra,  # type: ignore[arg-type]
    )


def _t(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2024, month, day, hour, minute, tzinfo=UTC)


def _events() -> list[Interaction]:
    ana, ben, cy, dee = pid("ana"), pid("ben"), pid("cy"), pid("dee")
    january = [
        _ev(1, "message", _t(1, 8, 10), ana, ben),
        _ev(2, "message", _t(1, 9, 12), ben, ana),  # 07:00 in New York: after hours for ben
        _ev(7, "message", _t(1, 9, 23, 30), ben, ana),  # 18:30 in New York: working hours for ben
        _ev(3, "meeting", _t(1, 10, 15), ana, ben, cy, duration_s=1800),  # 2 units over 2 others: 1 a pair
        _ev(4, "message", _t(1, 10, 9), BOT, ana, by_bot=True),
        _ev(5, "message", _t(1, 11, 10), cy, dee),  # dee opted out: no tie
        _ev(6, "message", _t(1, 13, 10), SLACK_ANA, cy),  # Saturday; ana through her Slack identity
        _ev(10, "message", _t(1, 10, 10), dee, ana),  # acted by an opted-out person: dropped
        _ev(8, "message", _t(1, 16, 10), ana, ben),
        _ev(9, "message", _t(1, 16, 11), ana, cy, via_ai=True),
    ]
    weekly_one_to_one = [_ev(11 + i, "meeting", _t(2, 5 + 7 * i, 10), ana, ben, duration_s=1800) for i in range(4)]
    return [*january, *weekly_one_to_one, _ev(15, "message", _t(2, 6, 9), BOT, ben, by_bot=True)]


@pytest.fixture
def store(tmp_path: Path) -> EventStore:
    events = EventStore(tmp_path / "events")
    events.append(ORG, _events())
    return events


def _person(session: Session, period: str, start: date, name: str) -> PersonMetric:
    stmt = select(PersonMetric).where(
        PersonMetric.org == ORG,
        PersonMetric.period == period,
        PersonMetric.window_start == start,
        PersonMetric.pseudonym == pid(name),
    )
    return session.execute(stmt).scalar_one()


def _team(session: Session, period: str, start: date, team_id: int) -> TeamMetric:
    stmt = select(TeamMetric).where(
        TeamMetric.org == ORG,
        TeamMetric.period == period,
        TeamMetric.window_start == start,
        TeamMetric.team_id == team_id,
    )
    return session.execute(stmt).scalar_one()


def _count(session: Session, model: type[PersonMetric] | type[TeamMetric] | type[TeamTie], period: str) -> int:
    stmt = select(func.count()).select_from(model).where(model.period == period, model.org == ORG)
    return int(session.execute(stmt).scalar_one())


def _values(m: PersonMetric) -> tuple[object, ...]:
    return (m.ties, m.strong_ties, m.weak_ties, m.strength, m.human_events, m.tool_events)


def test_summary_and_run_row(session: Session, store: EventStore) -> None:
    _seed_people(session)
    summary = analyze(session, org=ORG, events=store, k=3)
    session.commit()
    # windows: the weeks and months of before and one quarter
    assert (summary.events, summary.windows, summary.people, summary.teams, summary.ties) == (15, 11, 3, 2, 3)
    assert summary.periods == ("week", "month", "quarter")
    run = session.execute(select(AnalysisRun)).scalar_one()
    assert (run.id, run.events, run.windows) == (summary.run_id, 15, 11)
    assert run.finished_at is not None
    assert _count(session, PersonMetric, "week") == 14
    assert _count(session, PersonMetric, "month") == 5
    assert _count(session, TeamMetric, "week") == 16
    assert _count(session, TeamMetric, "month") == 4


def test_weekly_person_metrics(session: Session, store: EventStore) -> None:
    _seed_people(session)
    analyze(session, org=ORG, events=store, k=3, periods=("week",))
    ana, ben, cy = (_person(session, "week", date(2024, 1, 8), n) for n in ("ana", "ben", "cy"))
    assert _values(ana) == (2, 2, 0, 6.0, 5, 1)
    assert ana.cross_team_share == pytest.approx(2 / 6)
    assert ana.human_share == pytest.approx(5 / 6)  # the bot's message lowers it
    assert ana.after_hours_share == pytest.approx(1 / 3)  # the Saturday message
    assert (ana.ties_change, ana.strength_change) == (None, None)  # first window of the data
    assert _values(ben) == (2, 1, 1, 5.0, 4, 0)
    assert ben.cross_team_share == pytest.approx(1 / 5)
    assert ben.after_hours_share == 0.5  # 07:00 in New York is late, 18:30 is not
    assert _values(cy) == (2, 1, 1, 3.0, 3, 0)
    assert cy.cross_team_share == 1.0
    assert cy.after_hours_share == 0.0

    ana2, ben2, cy2 = (_person(session, "week", date(2024, 1, 15), n) for n in ("ana", "ben", "cy"))
    assert _values(ana2) == (1, 0, 1, 1.0, 1, 1)
    assert (ana2.ties_change, ana2.strength_change) == (-1, pytest.approx(-5.0))
    assert (ana2.human_share, ana2.after_hours_share) == (0.5, 0.0)
    assert (ben2.ties_change, ben2.strength_change, ben2.after_hours_share) == (-1, pytest.approx(-4.0), None)
    assert _values(cy2) == (0, 0, 0, 0.0, 0, 1)
    assert (cy2.cross_team_share, cy2.human_share) == (None, 0.0)
    assert (cy2.ties_change, cy2.strength_change) == (-2, pytest.approx(-3.0))

    feb = _person(session, "week", date(2024, 2, 5), "ana")
    assert _values(feb) == (1, 1, 0, 2.0, 1, 0)  # a 30-minute 1:1 a week is a strong tie
    assert (feb.ties_change, feb.strength_change) == (1, pytest.approx(2.0))  # absent the week before


def test_monthly_person_metrics(session: Session, store: EventStore) -> None:
    _seed_people(session)
    analyze(session, org=ORG, events=store, k=3, periods=("month",))
    ana = _person(session, "month", date(2024, 1, 1), "ana")
    assert _values(ana) == (2, 0, 2, 7.0, 6, 2)
    assert (ana.cross_team_share, ana.human_share, ana.after_hours_share) == (pytest.approx(2 / 7), 0.75, 0.2)
    ben = _person(session, "month", date(2024, 1, 1), "ben")
    assert (ben.strength, ben.human_share, ben.after_hours_share) == (6.0, 1.0, 0.5)
    feb = _person(session, "month", date(2024, 2, 1), "ana")
    assert _values(feb) == (1, 1, 0, 8.0, 4, 0)  # four weekly 1:1s: strong in the month too
    assert (feb.ties_change, feb.strength_change) == (-1, pytest.approx(1.0))
    ben_feb = _person(session, "month", date(2024, 2, 1), "ben")
    assert (ben_feb.human_events, ben_feb.tool_events, ben_feb.human_share) == (4, 1, 0.8)


def test_team_metrics_and_team_ties(session: Session, store: EventStore) -> None:
    teams = _seed_people(session)
    analyze(session, org=ORG, events=store, k=3, periods=("month",))
    alpha = _team(session, "month", date(2024, 1, 1), teams["Alpha"])
    assert alpha.members == 3
    assert alpha.density == pytest.approx(1 / 3)
    assert alpha.ei_index == pytest.approx(1 / 3)
    assert alpha.external_share == pytest.approx(3 / 13)
    assert alpha.no_strong_tie == 3
    # Only two of Alpha's three members had a human / after-hours share (0.875 and 0.35 on average): a mean
    # over fewer than k = 3 people is withheld at analysis time.
    assert (alpha.human_share, alpha.after_hours_share) == (None, None)
    assert alpha.mean_ties == pytest.approx(4 / 3)
    beta = _team(session, "month", date(2024, 1, 1), teams["Beta"])
    assert (beta.members, beta.density, beta.ei_index, beta.external_share) == (3, 0.0, 1.0, 1.0)
    alpha_feb = _team(session, "month", date(2024, 2, 1), teams["Alpha"])
    assert (alpha_feb.ei_index, alpha_feb.no_strong_tie, alpha_feb.human_share) == (-1.0, 1, None)
    beta_feb = _team(session, "month", date(2024, 2, 1), teams["Beta"])
    assert (beta_feb.ei_index, beta_feb.human_share, beta_feb.mean_ties) == (None, None, 0.0)
    ties = session.execute(select(TeamTie).where(TeamTie.org == ORG)).scalars().all()
    assert [(t.window_start, t.team_a, t.team_b, t.weight, t.ties) for t in ties] == [
        (date(2024, 1, 1), teams["Alpha"], teams["Beta"], 3.0, 2)
    ]


def test_opted_out_and_bots_are_never_nodes(session: Session, store: EventStore) -> None:
    _seed_people(session)
    analyze(session, org=ORG, events=store, k=3)
    stored = set(session.execute(select(PersonMetric.pseudonym)).scalars())
    assert stored == {pid("ana"), pid("ben"), pid("cy")}
    assert pid("dee") not in stored
    assert BOT not in stored
    assert SLACK_ANA not in stored


def test_rerun_is_idempotent_and_k_hides_small_team_ties(session: Session, store: EventStore) -> None:
    _seed_people(session)
    analyze(session, org=ORG, events=store, k=3)
    session.commit()
    before = [_count(session, m, p) for m in (PersonMetric, TeamMetric, TeamTie) for p in PERIODS]
    summary = analyze(session, org=ORG, events=store, k=5)
    session.commit()
    after = [_count(session, m, p) for m in (PersonMetric, TeamMetric, TeamTie) for p in PERIODS]
    assert before == [14, 5, 3, 16, 4, 2, 1, 1, 1]
    assert after == [14, 5, 3, 16, 4, 2, 0, 0, 0]
    assert summary.team_ties_hidden == 3
    assert session.execute(select(func.count()).select_from(AnalysisRun)).scalar_one() == 2


def test_empty_store(session: Session, tmp_path: Path) -> None:
    _seed_people(session)
    summary = analyze(session, org=ORG, events=EventStore(tmp_path / "none"), k=3)
    assert (summary.events, summary.windows, summary.people, summary.ties) == (0, 0, 0, 0)
