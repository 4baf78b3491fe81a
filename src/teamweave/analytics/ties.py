"""Events -> weighted, undirected ties per window, with reciprocity kept as its own measure.

The weight rule (docs/metrics.md, "Tie weights"): an event has *units* of depth (1 for a message, reply,
mention, e-mail, review, co-authoring or recognition; 0.25 for a reaction; one unit per 15 minutes for a
meeting, call or in-person meeting, between 1 and 8, 30 minutes when the duration is unknown) and it spreads
them over the people it reached the way Newman (2001) spreads a paper over its co-authors: each pair gets
``units / (n - 1)``, where ``n - 1`` is the number of people the actor reached (the audience). A 1:1 message
gives its pair 1, a message to a 10-person channel 0.1 to each listed member, and a one-hour 1:1 meeting 4.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Final

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from teamweave.analytics.queries import load_query, load_table
from teamweave.analytics.windows import MONTHS_PER_QUARTER, check_period
from teamweave.errors import TeamweaveError

TEXT_UNITS: Final = 1.0
REACTION_UNITS: Final = 0.25
SECONDS_PER_SYNC_UNIT: Final = 900.0
MIN_SYNC_UNITS: Final = 1.0
MAX_SYNC_UNITS: Final = 8.0
DEFAULT_SYNC_SECONDS: Final = 1800
SYNC_KINDS: Final = frozenset({"meeting", "call", "in_person"})
CHANNELS: Final = ("chat", "email", "meeting", "code_review", "in_person")
STRONG_WEEKLY_WEIGHT: Final = 2.0
WEEKS_PER_MONTH: Final = 4
OFFSET_BUCKET_US: Final = 15 * 60 * 1_000_000
"""The span of time over which a zone's UTC offset is looked up once (sql/zone_offsets.sql): a quarter hour, the
grain of nearly every transition in the tz database (a bucket with one off it is looked up row by row)."""
DAY_US: Final = 24 * 3600 * 1_000_000
TIE_COLUMNS: Final = ("window_start", "a", "b", "weight", "reciprocated", *(f"{name}_weight" for name in CHANNELS))

PEOPLE_SCHEMA: Final = pa.schema(
    [
        pa.field("pseudonym", pa.string(), nullable=False),
        pa.field("team_id", pa.int64()),
        pa.field("timezone", pa.string(), nullable=False),
        pa.field("start_date", pa.date32()),
        pa.field("site_id", pa.int64()),
    ]
)
NAMED_TIES: Final = (
    "SELECT na.name AS a, nb.name AS b, t.* FROM tw_ties AS t"
    " JOIN tw_tie_names AS na ON na.id = t.a_id JOIN tw_tie_names AS nb ON nb.id = t.b_id"
)
"""SQL: the rows of ``tw_ties`` with the pseudonyms of both ends (``a``, ``b``), which the table itself does not
carry (its joins and groupings run on the integer ids)."""
_ALIAS_SCHEMA: Final = pa.schema([pa.field("identity", pa.string()), pa.field("person", pa.string())])


def pair_weight(kind: str, *, audience: int, duration_s: int | None = None) -> float:
    """The tie weight one human event adds to each pair of people it connects.

    Measures depth of contact: it falls with the audience (Newman's 1/(n-1) collaboration weighting) and
    grows with the length of synchronous contact. Unit: *tie units*; one 1:1 message is 1.

    Parameters
    ----------
    kind : str
        The event kind (``message``, ``reaction``, ``meeting``, ...).
    audience : int
        How many people the actor reached (``n - 1``); values below 1 count as 1.
    duration_s : int, optional
        Length of a meeting or call in seconds (30 minutes when unknown).

    Returns
    -------
    float
        Weight per pair: ``units / max(audience, 1)``.

    References
    ----------
    .. [1] Newman, M. E. J. (2001). Scientific collaboration networks. II. Shortest paths, weighted networks,
       and centrality. Physical Review E 64, 016132. https://doi.org/10.1103/PhysRevE.64.016132

    Examples
    --------
    >>> pair_weight("message", audience=1)
    1.0
    >>> pair_weight("message", audience=4)
    0.25
    >>> pair_weight("meeting", audience=1, duration_s=3600)
    4.0
    >>> pair_weight("meeting", audience=4)  # 30 minutes, five people
    0.5
    """
    if kind in SYNC_KINDS:
        seconds = DEFAULT_SYNC_SECONDS if duration_s is None else duration_s
        units = min(max(seconds / SECONDS_PER_SYNC_UNIT, MIN_SYNC_UNITS), MAX_SYNC_UNITS)
    elif kind == "reaction":
        units = REACTION_UNITS
    else:
        units = TEXT_UNITS
    return units / max(audience, 1)


def strong_threshold(*, period: str) -> float:
    """The tie weight from which a reciprocated tie is *strong* in a window of this period.

    A strong tie is one with acts in both directions and weight at least that of one 30-minute 1:1 meeting
    (2 units) per week: 2 in a week, 8 in a month (counted as four weeks, so a weekly 1:1 keeps a tie strong
    in every month), 24 in a quarter (three such months; a quarter has 13 weeks). Unit: tie units.

    References
    ----------
    .. [1] Granovetter, M. S. (1973). The strength of weak ties. American Journal of Sociology 78(6),
       1360-1380. https://doi.org/10.1086/225469

    Examples
    --------
    >>> strong_threshold(period="week"), strong_threshold(period="month"), strong_threshold(period="quarter")
    (2.0, 8.0, 24.0)
    """
    weeks = {"week": 1, "month": WEEKS_PER_MONTH, "quarter": WEEKS_PER_MONTH * MONTHS_PER_QUARTER}
    return STRONG_WEEKLY_WEIGHT * weeks[check_period(period)]


def people_table(
    rows: Iterable[
        tuple[str, int | None, str]
        | tuple[str, int | None, str, date | None]
        | tuple[str, int | None, str, date | None, int | None]
    ],
) -> pa.Table:
    """The analysis's nodes as an Arrow table (:data:`PEOPLE_SCHEMA`): (pseudonym, team_id, IANA time
    zone[, start date[, site_id]]) per person.

    A person takes part in the analysis from their start date (in their own zone) on, when it is known:
    before it they were not in the organisation, whatever a channel's member list says. The site (the
    directory's office or location id; None: unknown) is what cross-site reach compares.

    Examples
    --------
    >>> people_table([("a", 1, "UTC"), ("b", None, "Europe/Paris", date(2024, 5, 1), 3)]).column("site_id").to_pylist()
    [None, 3]
    """
    pseudonyms, teams, zones, starts, sites = [], [], [], [], []
    for row in rows:
        pseudonyms.append(row[0])
        teams.append(row[1])
        zones.append(row[2])
        starts.append(row[3] if len(row) > 3 else None)
        sites.append(row[4] if len(row) > 4 else None)
    return pa.table([pseudonyms, teams, zones, starts, sites], schema=PEOPLE_SCHEMA)


def as_people(people: pa.Table) -> pa.Table:
    """``people`` as a :data:`PEOPLE_SCHEMA` table: a table without ``site_id`` (built before sites were
    known, e.g. a benchmark's people file) gets a null one (every site unknown).

    Examples
    --------
    >>> as_people(pa.table({"pseudonym": ["a"], "team_id": [1], "timezone": ["UTC"],
    ...                     "start_date": pa.nulls(1, pa.date32())})).column_names
    ['pseudonym', 'team_id', 'timezone', 'start_date', 'site_id']
    """
    if "site_id" not in people.column_names:
        people = people.append_column("site_id", pa.nulls(people.num_rows, pa.int64()))
    return people.select(PEOPLE_SCHEMA.names).cast(PEOPLE_SCHEMA)


def with_teams(ties: pa.Table, *, people: pa.Table) -> pa.Table:
    """``ties`` with the team of each end appended as ``team_a_of`` and ``team_b_of`` (null: no team, or not
    in ``people``).

    Done with Arrow lookups rather than SQL joins: joining the people table twice let DuckDB's planner pick
    a cross product of people.

    Examples
    --------
    >>> ties = pa.table({"a": ["a", "b"], "b": ["b", "z"]})
    >>> with_teams(ties, people=people_table([("a", 1, "UTC"), ("b", 2, "UTC")])).column("team_b_of").to_pylist()
    [2, None]
    """
    keys = people.column("pseudonym")
    teams = people.column("team_id").cast(pa.int64())
    for end, name in (("a", "team_a_of"), ("b", "team_b_of")):
        positions = pc.index_in(ties.column(end), value_set=keys)
        ties = ties.append_column(name, pc.take(teams, positions))
    return ties


def with_channels(ties: pa.Table) -> pa.Table:
    """``ties`` with every channel weight column (``chat_weight`` ... ``in_person_weight``) it lacks added as
    nulls: a tie table built by hand (or by an older engine) has an unknown channel mix, not a zero one.

    Examples
    --------
    >>> with_channels(pa.table({"a": ["a"], "b": ["b"], "weight": [1.0]})).column("email_weight").to_pylist()
    [None]
    """
    for name in CHANNELS:
        if f"{name}_weight" not in ties.column_names:
            ties = ties.append_column(f"{name}_weight", pa.nulls(ties.num_rows, pa.float64()))
    return ties


def load_sites(con: duckdb.DuckDBPyConnection, people: pa.Table) -> None:
    """Load the temporary table ``tw_sites(pseudonym, site_id)``: the people of ``people`` whose site is known
    (cross-site reach, ``sql/person_ties.sql``, reads it).

    Examples
    --------
    >>> con = duckdb.connect()
    >>> load_sites(con, people_table([("a", 1, "UTC", None, 7), ("b", 1, "UTC")]))
    >>> con.execute("SELECT * FROM tw_sites").fetchall()
    [('a', 7)]
    """
    table = as_people(people)
    sited = table.filter(pc.is_valid(table.column("site_id"))).select(["pseudonym", "site_id"])
    load_table(con, "tw_sites", sited)


def load_participants(
    con: duckdb.DuckDBPyConnection,
    events: duckdb.DuckDBPyRelation,
    *,
    people: pa.Table,
    aliases: Mapping[str, str] | None = None,
    excluded: Iterable[str] = (),
    bots: Iterable[str] = (),
    work_day_start: int = 8,
    work_day_end: int = 19,
) -> int:
    """Prepare ``con`` for :func:`tie_table` and ``load.activity_table``; return the participation rows.

    Builds the temporary table ``tw_participants``: one row per (event, person) for the people in
    ``people`` (identities mapped through ``aliases`` first; bot actors and everyone else dropped), with the
    event's weight units, its audience, its week and month (UTC) and whether it fell outside
    ``work_day_start``..``work_day_end`` or on a weekend in the person's own time zone. Events acted by a
    person in ``excluded`` (people who opted out of analytics) are dropped whole. An event whose every
    target is one of ``bots`` (a person writing to a bot or an AI assistant) is a tool interaction, like an
    event a bot acted in. Each row also says whether it is a message the person sent to people (``message``)
    and the duration of a meeting they had with another human (``meeting_s``; docs/metrics.md, "Person
    metrics": ``messages_sent``, ``meeting_hours``). The sites of ``people`` go to ``tw_sites``
    (:func:`load_sites`).
    """
    if not 0 <= work_day_start < work_day_end <= 24:
        raise TeamweaveError(
            f"work day {work_day_start}..{work_day_end} is not a range of hours", where="work_day_start"
        )
    con.execute("SET TimeZone = 'UTC'")
    con.execute("DROP TABLE IF EXISTS tw_focus_days")  # computed from the participants replaced here
    events.create_view("tw_events", replace=True)
    pairs = sorted((aliases or {}).items())
    alias_table = pa.table([[k for k, _ in pairs], [v for _, v in pairs]], schema=_ALIAS_SCHEMA)
    load_table(con, "tw_aliases", alias_table)
    load_table(con, "tw_people", as_people(people))
    load_table(con, "tw_excluded", pa.table({"person": pa.array(sorted(set(excluded)), type=pa.string())}))
    bot_list = sorted(set(bots))
    load_table(con, "tw_bots", pa.table({"identity": pa.array(bot_list, type=pa.string())}))
    con.execute(  # integer ids in pseudonym order: ties are joined and grouped on these, not on the strings
        "CREATE OR REPLACE TEMP TABLE tw_nodes AS SELECT (row_number() OVER (ORDER BY pseudonym))::INTEGER AS pid,"
        " pseudonym, team_id, timezone, start_date, site_id, (dense_rank() OVER (ORDER BY timezone))::INTEGER AS zone,"
        " epoch_us(start_date::TIMESTAMP) AS start_us FROM tw_people"  # zone, start_us: for participants.sql
    )
    con.execute(load_query("zone_offsets"), {"bucket_us": OFFSET_BUCKET_US})
    load_sites(con, people)
    con.execute(
        load_query("participants"),
        {
            "work_day_start": work_day_start,
            "work_day_end": work_day_end,
            "text_units": TEXT_UNITS,
            "reaction_units": REACTION_UNITS,
            "seconds_per_unit": SECONDS_PER_SYNC_UNIT,
            "min_sync_units": MIN_SYNC_UNITS,
            "max_sync_units": MAX_SYNC_UNITS,
            "default_duration_s": DEFAULT_SYNC_SECONDS,
            "bots": bot_list,
            "bucket_us": OFFSET_BUCKET_US,
            "day_us": DAY_US,
        },
    )
    if pairs:  # two identities of one person in one event: one row for the person
        con.execute(load_query("participants_merge"))
    rows = con.execute("SELECT count(*) FROM tw_participants").fetchall()
    return int(rows[0][0]) if rows else 0


def tie_table(con: duckdb.DuckDBPyConnection, *, period: str) -> pa.Table:
    """Undirected ties per window: ``window_start, a, b, weight, reciprocated`` with ``a < b``, and the
    weight split by channel: ``chat_weight, email_weight, meeting_weight, code_review_weight,
    in_person_weight`` (they sum to ``weight``).

    ``weight`` is the sum over both directions of :func:`pair_weight` for the window's human events (tie
    units); ``reciprocated`` is true when each of the two acted towards the other (meetings count as acts in
    both directions). An event's channel (:data:`CHANNELS`): ``in_person`` when it had a physical location
    (or kind ``in_person``), ``meeting`` for other meetings and calls, ``code_review`` for reviews,
    co-authoring and anything from git or GitHub, ``email`` for e-mail, ``chat`` for everything else
    (messages, replies, reactions, mentions, recognition). Call :func:`load_participants` first.

    References
    ----------
    .. [1] Newman, M. E. J. (2001). Scientific collaboration networks. II. Physical Review E 64, 016132.
       https://doi.org/10.1103/PhysRevE.64.016132

    Examples
    --------
    Five people: a and b exchange 1:1 messages, c meets d and e for an hour, a writes to c, d and e at once.

    >>> from datetime import datetime, timezone
    >>> t = datetime(2024, 1, 8, 10, tzinfo=timezone.utc)
    >>> con = duckdb.connect()
    >>> events = con.from_arrow(pa.table({
    ...     "event_id": ["1", "2", "3", "4"], "ts": [t] * 4, "kind": ["message", "message", "meeting", "message"],
    ...     "source": ["slack", "slack", "calendar", "email"], "in_person": [False, False, True, False],
    ...     "duration_s": [None, None, 3600, None], "actor": ["a", "b", "c", "a"],
    ...     "targets": [["b"], ["a"], ["d", "e"], ["c", "d", "e"]], "audience": [1, 1, 2, 3],
    ...     "by_bot": [False] * 4, "via_ai": [False] * 4}))
    >>> load_participants(con, events, people=people_table([(p, 1, "UTC") for p in "abcde"]))
    11
    >>> for r in tie_table(con, period="week").to_pylist():
    ...     print(r["a"], r["b"], round(r["weight"], 3), r["reciprocated"], r["chat_weight"], r["in_person_weight"])
    a b 2.0 True 2.0 0.0
    a c 0.333 False 0.0 0.0
    a d 0.333 False 0.0 0.0
    a e 0.333 False 0.0 0.0
    c d 2.0 True 0.0 2.0
    c e 2.0 True 0.0 2.0
    d e 2.0 True 0.0 2.0
    """
    build_ties(con, period=period)
    return fetch_ties(con)


def build_ties(
    con: duckdb.DuckDBPyConnection, *, period: str, first: date | None = None, last: date | None = None
) -> int:
    """Build the DuckDB table ``tw_ties`` of :func:`tie_table` for ``period`` from ``tw_participants``, with
    integer ids of the ends (``a_id, b_id``, named by the view ``tw_tie_names``) and their teams
    (``team_a_of, team_b_of``: those of the people given to :func:`load_participants`); return its rows.
    The metrics read it there: a tie table never has to leave DuckDB (see ``analytics.tie_store``).

    Only the windows from ``first`` to ``last`` are built (None: no bound); a window's ties depend on its own
    participation rows only, so those windows' ties are the same as when every window is built.

    Examples
    --------
    >>> from datetime import datetime, timezone
    >>> con = duckdb.connect()
    >>> days = [datetime(2024, 1, d, 10, tzinfo=timezone.utc) for d in (8, 15, 22)]
    >>> events = con.from_arrow(pa.table({
    ...     "event_id": ["1", "2", "3"], "ts": days, "kind": ["message"] * 3, "source": ["slack"] * 3,
    ...     "in_person": [False] * 3, "duration_s": pa.nulls(3, pa.int64()), "actor": ["a", "b", "a"],
    ...     "targets": [["b"], ["a"], ["b"]], "audience": [1] * 3, "by_bot": [False] * 3, "via_ai": [False] * 3}))
    >>> load_participants(con, events, people=people_table([("a", 1, "UTC"), ("b", 1, "UTC")]))
    6
    >>> build_ties(con, period="week"), build_ties(con, period="week", first=date(2024, 1, 15))
    (3, 2)
    >>> build_ties(con, period="week", first=date(2024, 1, 9), last=date(2024, 1, 20))
    1
    """
    con.execute(load_query("ties"), {"period": check_period(period), "first": first, "last": last})
    con.execute("CREATE OR REPLACE TEMP VIEW tw_tie_names AS SELECT pid AS id, pseudonym AS name FROM tw_nodes")
    rows = con.execute("SELECT count(*) FROM tw_ties").fetchall()
    return int(rows[0][0]) if rows else 0


def fetch_ties(con: duckdb.DuckDBPyConnection) -> pa.Table:
    """The DuckDB table ``tw_ties`` as an Arrow tie table (:data:`TIE_COLUMNS`), ordered by window and pair."""
    return con.sql(
        f"SELECT {', '.join(TIE_COLUMNS)} FROM ({NAMED_TIES}) ORDER BY window_start, a_id, b_id"
    ).to_arrow_table()


def reciprocity(ties: pa.Table) -> float | None:
    """Share of ties with acts in both directions (None when there are no ties). Unit: share, 0..1.

    References
    ----------
    .. [1] Wasserman, S. & Faust, K. (1994). Social Network Analysis: Methods and Applications,
       section 13.2 (mutuality). Cambridge University Press. https://doi.org/10.1017/CBO9780511815478

    Examples
    --------
    >>> ties = pa.table({"a": ["a", "a", "b", "c"], "b": ["b", "c", "d", "e"],
    ...                  "weight": [1.0, 2.0, 1.0, 3.0], "reciprocated": [True, False, True, False]})
    >>> reciprocity(ties)
    0.5
    """
    if ties.num_rows == 0:
        return None
    mutual = sum(1 for flag in ties.column("reciprocated").to_pylist() if flag)
    total: int = ties.num_rows
    return mutual / total
