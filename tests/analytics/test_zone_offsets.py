"""A person's wall-clock time in tw_participants comes from their zone's offset in the event's quarter hour
(sql/zone_offsets.sql); it must be exactly DuckDB's own time zone lookup, across daylight-saving changes, half-hour
and 45-minute zones, transitions that fall inside a quarter hour and times before 1970; and the start-date rule,
which looks the zone up only near the start date, must keep exactly the acts on or after it in the person's own
zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import duckdb
import pyarrow as pa

from teamweave.analytics.ties import load_participants, people_table

PEOPLE = [
    ("paris", 1, "Europe/Paris", None),
    ("new_york", 1, "America/New_York", None),
    ("lord_howe", 2, "Australia/Lord_Howe", None),  # half-hour daylight saving, changing at 15:30 UTC
    ("kathmandu", 2, "Asia/Kathmandu", None),  # +05:45
    ("chatham", 3, "Pacific/Chatham", None),  # +12:45 / +13:45
    ("monrovia", 3, "Africa/Monrovia", None),  # -00:44:30 until 00:44:30 UTC on 7 January 1972
    ("kiritimati", 3, "Pacific/Kiritimati", date(2024, 4, 7)),  # +14: starts early in UTC terms
    ("pago_pago", 1, "Pacific/Pago_Pago", date(2024, 4, 7)),  # -11: starts late in UTC terms
]
SPANS = [  # two days of events around each transition (and around the start dates)
    datetime(1969, 4, 26, tzinfo=UTC),  # New York: daylight saving from 07:00 UTC on the 27th, before the epoch
    datetime(1972, 1, 6, tzinfo=UTC),
    datetime(1979, 9, 30, tzinfo=UTC),  # Kiritimati: -10:40 to -10:00 at 10:40 UTC
    datetime(2024, 3, 9, tzinfo=UTC),
    datetime(2024, 3, 30, tzinfo=UTC),
    datetime(2024, 4, 5, 12, tzinfo=UTC),
    datetime(2024, 10, 4, 12, tzinfo=UTC),
]


def _events() -> pa.Table:
    times = [start + timedelta(seconds=433 * i) for start in SPANS for i in range(400)]  # every 7 min 13 s
    names = [p[0] for p in PEOPLE]
    actors = [names[i % len(names)] for i in range(len(times))]
    return pa.table(
        {
            "event_id": [str(i) for i in range(len(times))],
            "ts": pa.array(times, pa.timestamp("us", tz="UTC")),
            "kind": ["message"] * len(times),
            "source": ["slack"] * len(times),
            "in_person": [False] * len(times),
            "duration_s": pa.nulls(len(times), pa.int64()),
            "actor": actors,
            "targets": [[n for n in names if n != a] for a in actors],
            "audience": [len(names) - 1] * len(times),
            "by_bot": [False] * len(times),
            "via_ai": [False] * len(times),
        }
    )


def test_local_time_is_the_zone_lookup_exactly() -> None:
    con = duckdb.connect()
    events = _events()
    load_participants(con, con.from_arrow(events), people=people_table(PEOPLE))
    got = con.execute(
        "SELECT n.pseudonym, p.local_ts, p.is_actor, p.week, p.month"
        " FROM tw_participants AS p JOIN tw_nodes AS n USING (pid)"
    ).fetchall()
    con.register("ev", events)
    want = con.execute(
        """SELECT n.pseudonym, timezone(n.timezone, e.ts) AS local_ts, n.pseudonym = e.actor,
                  date_trunc('week', timezone('UTC', e.ts))::DATE, date_trunc('month', timezone('UTC', e.ts))::DATE
           FROM ev AS e CROSS JOIN tw_nodes AS n
           WHERE n.start_date IS NULL OR timezone(n.timezone, e.ts)::DATE >= n.start_date"""
    ).fetchall()
    assert len(got) == len(set(got))
    assert set(got) == set(want)
    # the start date cuts each late starter's acts of the two days around it: some are in, some out
    for name in ("kiritimati", "pago_pago"):
        acts = [r for r in got if r[0] == name and r[2] and r[4] == date(2024, 4, 1)]
        assert 0 < len(acts) < 400 // len(PEOPLE)
    # the offsets were used, and some quarter hours (Monrovia 1972, Kiritimati 1979) were looked up row by row
    zones, buckets, kept = con.execute(
        "SELECT (SELECT count(DISTINCT zone) FROM tw_nodes), (SELECT count(DISTINCT floor(epoch_us(ts) / 900000000))"
        " FROM ev), (SELECT count(*) FROM tw_zone_offsets)"
    ).fetchall()[0]
    assert 0 < kept < zones * buckets
