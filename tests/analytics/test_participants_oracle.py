"""Participants and ties of random events with every complication at once (aliases that repeat a person within
an event, a target who is the actor, repeated targets, bots, opt-outs, start dates, unknown identities),
against a plain-Python reading of the rules of ``sql/participants.sql`` and ``sql/ties.sql``."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest

from teamweave.analytics.ties import build_ties, fetch_ties, load_participants, pair_weight, people_table, tie_table
from teamweave.ingest.records import Interaction
from teamweave.store.events import EventStore

ZONES = {"ana": "UTC", "ben": "America/New_York", "cy": "Asia/Tokyo", "dee": "UTC", "eve": "Europe/Paris"}
STARTS = {"cy": date(2024, 1, 10), "eve": date(2024, 1, 9)}
ALIASES = {"ana-mail": "ana", "ana-git": "ana", "ben-mail": "ben", "eve-mail": "eve", "old-dee": "dee"}
EXCLUDED = {"dee"}
BOTS = {"deploy-bot", "copilot"}
IDENTITIES = [*ZONES, *ALIASES, *BOTS, "stranger"]
KINDS = ["message", "reply", "reaction", "email", "meeting", "call"]
MONDAY = datetime(2024, 1, 8, 6, tzinfo=UTC)


def _events(seed: int) -> list[Interaction]:
    rng = random.Random(seed)
    events = []
    for n in range(120):
        kind = rng.choice(KINDS)
        actor = rng.choice(IDENTITIES)
        targets = tuple(rng.choice(IDENTITIES) for _ in range(rng.randint(1, 5)))
        events.append(
            Interaction(
                org="acme",
                event_id=f"e{n}",
                source="calendar" if kind in ("meeting", "call") else "slack",
                kind=kind,
                ts=MONDAY + timedelta(hours=rng.randint(0, 24 * 9)),
                actor=actor,
                targets=targets,
                audience=max(1, len(targets) + rng.randint(-1, 3)),
                duration_s=rng.choice([None, 600, 3600]) if kind in ("meeting", "call") else None,
                by_bot=actor in BOTS,
                via_ai=rng.random() < 0.05,
            )
        )
    return events


def _person(identity: str) -> str:
    return ALIASES.get(identity, identity)


def _takes_part(person: str, ts: datetime) -> bool:
    if person not in ZONES or person in EXCLUDED:
        return False
    start = STARTS.get(person)
    return start is None or ts.astimezone(ZoneInfo(ZONES[person])).date() >= start


Tie = tuple[date, str, str]


def _oracle(events: list[Interaction]) -> tuple[dict[str, list[int]], dict[Tie, tuple[float, bool]]]:
    """Per person [rows, acts, tool rows]; per (week, a, b), (weight, reciprocated)."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    weights: dict[Tie, float] = defaultdict(float)
    directions: set[tuple[date, str, str]] = set()
    for e in events:
        if _person(e.actor) in EXCLUDED:
            continue
        actor = None if e.by_bot or not _takes_part(_person(e.actor), e.ts) else _person(e.actor)
        rows = {actor: True} if actor else {}
        for t in e.targets:
            if _takes_part(_person(t), e.ts):
                rows.setdefault(_person(t), False)
        tool = e.by_bot or e.via_ai or all(t in BOTS for t in e.targets)
        for person, acted in rows.items():
            counts[person][0] += 1
            counts[person][1] += acted
            counts[person][2] += tool
        if tool:
            continue
        others = max(e.audience, len(e.targets) - (e.actor in e.targets), 1)
        w = pair_weight(e.kind, audience=others, duration_s=e.duration_s)
        sync = e.kind in ("meeting", "call")
        week = e.ts.date() - timedelta(days=e.ts.weekday())
        sources = list(rows) if sync else [actor] if actor else []
        for src in sources:
            for dst in rows:
                if dst != src:
                    weights[(week, min(src, dst), max(src, dst))] += w / 2 if sync else w
                    directions.add((week, src, dst))
    ties = {
        tie: (w, (tie[0], tie[1], tie[2]) in directions and (tie[0], tie[2], tie[1]) in directions)
        for tie, w in weights.items()
    }
    return dict(counts), ties


def _loaded(tmp_path: Path, events: list[Interaction]) -> duckdb.DuckDBPyConnection:
    """A connection with the participants of ``events`` (stored in ``tmp_path``) loaded."""
    store = EventStore(tmp_path)
    store.append("acme", events)
    con = duckdb.connect()
    people = people_table([(p, 1, zone, STARTS.get(p)) for p, zone in ZONES.items()])
    load_participants(con, store.read("acme", con), people=people, aliases=ALIASES, excluded=EXCLUDED, bots=BOTS)
    return con


@pytest.mark.parametrize("seed", range(12))
def test_participants_and_ties_match_the_rules(tmp_path: Path, seed: int) -> None:
    events = _events(seed)
    con = _loaded(tmp_path, events)
    counts, ties = _oracle(events)

    rows = con.execute(
        "SELECT n.pseudonym, count(*), count(*) FILTER (WHERE is_actor), count(*) FILTER (WHERE tool)"
        " FROM tw_participants JOIN tw_nodes AS n USING (pid) GROUP BY n.pseudonym"
    ).fetchall()
    assert {person: [n, acts, tools] for person, n, acts, tools in rows} == counts
    repeated = con.execute(
        "SELECT count(*) FROM (SELECT event_key, pid FROM tw_participants GROUP BY ALL HAVING count(*) > 1)"
    )
    assert repeated.fetchall() == [(0,)]

    found = {(r["window_start"], r["a"], r["b"]): r for r in tie_table(con, period="week").to_pylist()}
    assert set(found) == set(ties)
    for tie, (weight, mutual) in ties.items():
        assert (found[tie]["weight"], found[tie]["reciprocated"]) == (pytest.approx(weight), mutual)


@pytest.mark.parametrize("seed", range(4))
def test_ties_of_some_windows_are_those_windows_ties(tmp_path: Path, seed: int) -> None:
    """A monthly pass builds only the windows it keeps (``build_ties(first=, last=)``): their ties, meetings'
    pairs included, are the rules' ties of those windows, and no other window's."""
    events = _events(seed)
    con = _loaded(tmp_path, events)
    _, ties = _oracle(events)
    second = MONDAY.date() + timedelta(days=7)

    for first, last in ((second, None), (None, MONDAY.date()), (second, second)):
        build_ties(con, period="week", first=first, last=last)
        found = {(r["window_start"], r["a"], r["b"]): r for r in fetch_ties(con).to_pylist()}
        wanted = {tie: v for tie, v in ties.items() if (first or tie[0]) <= tie[0] <= (last or tie[0])}
        assert wanted
        assert set(found) == set(wanted)
        for tie, (weight, mutual) in wanted.items():
            assert (found[tie]["weight"], found[tie]["reciprocated"]) == (pytest.approx(weight), mutual)
