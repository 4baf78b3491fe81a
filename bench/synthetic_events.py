"""A seeded, heavy-tailed synthetic organisation written straight to the event store layout as Parquet.

Vectorised numpy/pyarrow only (no Python loop per event), generated and written month by month in chunks so
memory stays bounded whatever the event count. Pseudonyms are 20 hex characters and event ids 32, like
``Pseudonymiser``'s, so string widths (and thus join and group costs) match real stores.

Shape: team sizes and per-person activity are log-normal (a few very active people, a long quiet tail);
70% of targets are teammates of the actor, the rest one of the actor's own cross-team contacts; most acts
reach one person, a geometric tail reaches channels of up to 16 people, meetings 1..12 others.

Cross-team contacts: each person keeps a log-normal number of them (median ``CONTACTS_MEDIAN``), each drawn
from the whole organisation by activity (so the active become hubs), and writes to the first ones most often.
A contact is a hash of (person, its number), so no table of contacts is held. This keeps the yearly graph as sparse
as real collaboration: 4.4M distinct actor-target pairs at 100M events (mean degree ~180; ENVIRONMENT.md's
organisation: 4.6M), ~40 interactions a pair a year (SNAP's email-Eu-core-temporal, email alone: 10.7 in 150
days, ~26 a year); teamweave's yearly graph, which also pairs the attendees of a meeting, has 17.3M ties.
Drawing the 30% from anyone instead (sessions 1-8) gave that graph 58M ties: each person in touch with ~2,300
others a year, most of them once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from teamweave.store.events import EVENT_SCHEMA

ORG = "bench"
YEAR = 2025
CHUNK = 2_000_000
ZONES = ("Europe/Paris", "America/New_York", "Asia/Kolkata", "America/Los_Angeles", "Europe/London", "UTC")
ZONE_P = (0.35, 0.25, 0.15, 0.1, 0.1, 0.05)
KINDS = ("message", "reply", "reaction", "mention", "email", "meeting", "call", "review")
KIND_P = (0.45, 0.15, 0.10, 0.03, 0.15, 0.08, 0.02, 0.02)
SOURCES = ("slack", "slack", "slack", "slack", "mbox", "ics", "ics", "github")
SYNC = np.array([k in ("meeting", "call") for k in KINDS])
BOTS = 20
TEAM_SHARE = 0.7
CONTACTS_MEDIAN = 40
CONTACTS_SIGMA = 0.9
SITES_PER_ZONE = 4
_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)


def _mix(x: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """splitmix64: a bijection on 64-bit integers, so distinct inputs give distinct ids."""
    with np.errstate(over="ignore"):
        z = x + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def hex_ids(index: npt.NDArray[np.uint64], *, chars: int, salt: int) -> pa.StringArray:
    """Unique fixed-width hex strings for distinct ``index`` values (first 16 chars are a bijection)."""
    words = [_mix(index ^ np.uint64(salt))]
    while len(words) * 16 < chars:
        words.append(_mix(words[-1]))
    raw = np.stack(words, axis=1).view(np.uint8).reshape(len(index), -1)
    nibbles = np.empty((len(index), raw.shape[1] * 2), dtype=np.uint8)
    nibbles[:, 0::2] = _HEX[raw >> 4]
    nibbles[:, 1::2] = _HEX[raw & 15]
    data = np.ascontiguousarray(nibbles[:, :chars]).tobytes()
    offsets = np.arange(0, chars * len(index) + 1, chars, dtype=np.int32)
    return pa.StringArray.from_buffers(len(index), pa.py_buffer(offsets), pa.py_buffer(data))


@dataclass(frozen=True)
class Org:
    """People sorted by team: ``team_first[t]``..``+team_size[t]`` are team t's rows."""

    names: pa.StringArray
    team: npt.NDArray[np.int64]
    team_first: npt.NDArray[np.int64]
    team_size: npt.NDArray[np.int64]
    activity_cdf: npt.NDArray[np.float64]
    contacts: npt.NDArray[np.int64]
    salt: int
    bots: pa.StringArray
    people: pa.Table


def make_org(people: int, teams: int, seed: int) -> Org:
    rng = np.random.default_rng(seed)
    sizes = rng.lognormal(0.0, 0.8, teams)
    sizes = np.maximum(1, np.floor(sizes / sizes.sum() * people)).astype(np.int64)
    sizes[np.argmax(sizes)] += people - sizes.sum()
    team = np.repeat(np.arange(teams, dtype=np.int64), sizes)
    first = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    names = hex_ids(np.arange(people, dtype=np.uint64), chars=20, salt=seed)
    activity = rng.lognormal(0.0, 1.2, people)
    zone_of_team = rng.choice(len(ZONES), size=teams, p=ZONE_P)
    starts = np.where(
        rng.random(people) < 0.1,
        np.datetime64(f"{YEAR}-01-01") + rng.integers(0, 365, people).astype("timedelta64[D]"),
        np.datetime64("NaT"),
    )
    # sites: each team at one of SITES_PER_ZONE sites of its zone; 10% of people with no site recorded (a
    # separate generator, so the rest of the organisation and its events are those of earlier versions)
    site_rng = np.random.default_rng(seed + 31)
    site_of_team = zone_of_team * SITES_PER_ZONE + site_rng.integers(0, SITES_PER_ZONE, teams) + 1
    site = np.where(site_rng.random(people) < 0.1, 0, site_of_team[team])
    table = pa.table(
        {
            "pseudonym": names,
            "team_id": pa.array(team + 1, type=pa.int64()),
            "timezone": pa.array(np.array(ZONES)[zone_of_team[team]].tolist(), type=pa.string()),
            "start_date": pa.array(starts.astype("datetime64[D]"), type=pa.date32()),
            "site_id": pa.array(site, type=pa.int64(), mask=site == 0),
        }
    )
    contacts = np.random.default_rng(seed + 53).lognormal(np.log(CONTACTS_MEDIAN), CONTACTS_SIGMA, people)
    bots = hex_ids(np.arange(BOTS, dtype=np.uint64), chars=20, salt=seed + 7919)
    cdf = np.cumsum(activity) / activity.sum()
    return Org(names, team, first, sizes, cdf, np.maximum(1, np.round(contacts)).astype(np.int64), seed, bots, table)


def cross_team_contact(org: Org, owner: npt.NDArray[np.int64], rank: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
    """The contact each ``owner`` writes to, from a uniform ``rank`` in [0, 1): contact number floor(k * rank^2)
    of the owner's k (so the first few take most of the traffic), each a fixed draw from the organisation by
    activity, the same for every event of that owner."""
    number = np.floor(org.contacts[owner] * rank**2).astype(np.uint64)
    key = (owner.astype(np.uint64) << np.uint64(24)) + number
    uniform = (_mix(key ^ np.uint64(org.salt + 977)) >> np.uint64(11)).astype(np.float64) / float(1 << 53)
    return np.searchsorted(org.activity_cdf, uniform).clip(max=len(org.team) - 1)


def _events(org: Org, rng: np.random.Generator, n: int, start: datetime, days: int, first_id: int) -> pa.Table:
    actor = np.searchsorted(org.activity_cdf, rng.random(n)).clip(max=len(org.team) - 1)
    kind = rng.choice(len(KINDS), size=n, p=KIND_P)
    sync = SYNC[kind]
    count = np.where(sync, np.minimum(rng.geometric(0.35, n), 12), np.minimum(rng.geometric(0.6, n), 16))
    offsets = np.concatenate([[0], np.cumsum(count)]).astype(np.int32)
    total = int(offsets[-1])
    owner = np.repeat(actor, count)
    team = org.team[owner]
    mate = org.team_first[team] + (rng.random(total) * org.team_size[team]).astype(np.int64)
    contact = cross_team_contact(org, owner, rng.random(total))
    target = np.where(rng.random(total) < TEAM_SHARE, mate, contact)
    hour = rng.choice(24, size=n, p=_hour_p())
    seconds = rng.integers(0, days, n) * 86400 + hour * 3600 + rng.integers(0, 3600, n)
    ts = np.datetime64(start.replace(tzinfo=None), "us") + (seconds * 1_000_000).astype("timedelta64[us]")
    by_bot = rng.random(n) < 0.01
    actors = pc.take(org.names, pa.array(actor))
    bot_actors = pc.take(org.bots, pa.array(rng.integers(0, BOTS, n)))
    duration = np.where(sync, rng.choice([900, 1800, 3600, 5400], size=n), 0).astype(np.int32)
    return pa.table(
        {
            "org": pa.DictionaryArray.from_arrays(np.zeros(n, dtype=np.int32), [ORG]).cast(pa.string()),
            "event_id": hex_ids(np.arange(first_id, first_id + n, dtype=np.uint64), chars=32, salt=11),
            "source": pc.take(pa.array(SOURCES), pa.array(kind)),
            "kind": pc.take(pa.array(KINDS), pa.array(kind)),
            "ts": pa.array(ts, type=pa.timestamp("us")).cast(pa.timestamp("us", tz="UTC")),
            "duration_s": pa.array(duration, mask=~sync),
            "actor": pc.if_else(pa.array(by_bot), bot_actors, actors),
            "targets": pa.ListArray.from_arrays(pa.array(offsets), pc.take(org.names, pa.array(target))),
            "audience": pa.array(count.astype(np.int32)),
            "channel": pa.nulls(n, pa.string()),
            "thread": pa.nulls(n, pa.string()),
            "by_bot": pa.array(by_bot),
            "via_ai": pa.array(rng.random(n) < 0.02),
            "in_person": pa.array(np.zeros(n, dtype=bool)),
        },
        schema=EVENT_SCHEMA,
    )


def _hour_p() -> npt.NDArray[np.float64]:
    w = np.full(24, 0.2)
    w[7:19] = 3.0
    return w / w.sum()


def _write(root: Path, month: str, table: pa.Table, part: str) -> None:
    directory = root / f"org={ORG}" / f"month={month}"
    directory.mkdir(parents=True, exist_ok=True)
    pq.write_table(table.sort_by("ts"), directory / f"part-{part}.parquet", compression="zstd")


def write_year(root: Path, org: Org, *, events: int, seed: int) -> int:
    """Write ``events`` events over the 12 months of YEAR; return how many were written."""
    rng = np.random.default_rng(seed + 1)
    written = 0
    for m in range(12):
        begin = datetime(YEAR, m + 1, 1, tzinfo=UTC)
        end = datetime(YEAR + (m + 1) // 12, (m + 1) % 12 + 1, 1, tzinfo=UTC)
        todo = events * (m + 1) // 12 - written
        part = 0
        while todo > 0:
            n = min(todo, CHUNK)
            _write(root, f"{YEAR}-{m + 1:02d}", _events(org, rng, n, begin, (end - begin).days, written), str(part))
            written += n
            todo -= n
            part += 1
    return written


def write_week(root: Path, org: Org, *, events: int, seed: int, first_id: int) -> date:
    """One week of events (events/52) right after the year, in its own store root; return its Monday."""
    monday = date(YEAR + 1, 1, 5)
    rng = np.random.default_rng(seed + 2)
    begin = datetime(monday.year, monday.month, monday.day, tzinfo=UTC)
    table = _events(org, rng, max(events // 52, 1), begin, 7, first_id)
    _write(root, (monday + timedelta(days=0)).strftime("%Y-%m"), table, "newweek")
    return monday
