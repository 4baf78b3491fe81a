"""New-hire integration: how many people a newcomer is in touch with by day 30, 60 and 90 after starting."""

from __future__ import annotations

from datetime import date
from typing import Final

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from teamweave.analytics.queries import load_query, load_table

DAYS: Final = (30, 60, 90)


def integration_curve(
    con: duckdb.DuckDBPyConnection, *, first_day: date | None = None, last_day: date | None = None
) -> pa.Table:
    """Per person who started within the data: ``person, start_date, ties_30, ties_60, ties_90``.

    ``ties_N`` counts the different people the newcomer was in touch with (any human interaction that makes
    a tie, in either direction) in their first N days, counted from their start date in their own time zone
    (days ``[start, start + N)``). Unit: people. Null while day N lies after the last day of the data.
    Newcomers who build ties in their first months stay and perform better (Bauer et al. 2007); a curve
    that stays flat is the early sign of a new hire who never integrates. Call
    ``ties.load_participants`` first; people who started before the first day of the data (``first_day`` when
    the participants hold only part of the data, an incremental run, which also gives ``last_day``) are left out.

    References
    ----------
    .. [1] Bauer, T. N., Bodner, T., Erdogan, B., Truxillo, D. M. & Tucker, J. S. (2007). Newcomer adjustment
       during organizational socialization: a meta-analytic review of antecedents, outcomes, and methods.
       Journal of Applied Psychology 92(3), 707-721. https://doi.org/10.1037/0021-9010.92.3.707

    Examples
    --------
    ``n`` starts on 2 January 2024 (day 0): a 1:1 message to ``a`` on day 0, a meeting with ``b`` and ``c``
    on day 40; the data ends on day 70, so day 90 is not known yet.

    >>> from datetime import date, datetime, timedelta, timezone
    >>> from teamweave.analytics.ties import load_participants, people_table
    >>> def t(day): return datetime(2024, 1, 2, 12, tzinfo=timezone.utc) + timedelta(days=day)
    >>> con = duckdb.connect()
    >>> events = con.from_arrow(pa.table({
    ...     "event_id": ["1", "2", "3", "4"], "ts": [t(-1), t(0), t(40), t(70)],
    ...     "kind": ["message", "message", "meeting", "message"], "source": ["slack", "slack", "calendar", "slack"],
    ...     "in_person": [False] * 4, "duration_s": [None, None, 1800, None], "actor": ["a", "n", "b", "a"],
    ...     "targets": [["b"], ["a"], ["n", "c"], ["b"]], "audience": [1, 1, 2, 1],
    ...     "by_bot": [False] * 4, "via_ai": [False] * 4}))
    >>> people = people_table([("a", 1, "UTC"), ("b", 1, "UTC"), ("c", 1, "UTC"), ("n", 1, "UTC", date(2024, 1, 2))])
    >>> _ = load_participants(con, events, people=people)
    >>> integration_curve(con).to_pylist()
    [{'person': 'n', 'start_date': datetime.date(2024, 1, 2), 'ties_30': 1, 'ties_60': 3, 'ties_90': None}]
    """
    contacts = newcomer_contacts(con, first_day=first_day)
    return curves_from_contacts(con, contacts, first_day=first_day, last_day=last_day)


def newcomer_contacts(con: duckdb.DuckDBPyConnection, *, first_day: date | None = None) -> pa.Table:
    """The first half of :func:`integration_curve`: ``person, other, first_offset`` per newcomer and each person
    they were in touch with in their first 90 days in the loaded participants, with the first of those days
    (0: the start date). A full analysis that loads one month at a time (``analytics.chunks``) gathers these
    from every pass (giving ``first_day``, the data's first day) and ends with :func:`curves_from_contacts`."""
    return con.sql(load_query("integration_contacts"), params={"first_day": first_day}).to_arrow_table()


def curves_from_contacts(
    con: duckdb.DuckDBPyConnection,
    contacts: pa.Table,
    *,
    first_day: date | None = None,
    last_day: date | None = None,
) -> pa.Table:
    """:func:`integration_curve` from the rows of :func:`newcomer_contacts` (of one or more passes: a pair
    counts once, on its earliest day). ``first_day`` and ``last_day`` default to those of the loaded
    participants; the newcomers are the people given to ``ties.load_participants``."""
    load_table(con, "tw_contacts", contacts)
    return con.sql(load_query("integration"), params={"first_day": first_day, "last_day": last_day}).to_arrow_table()


def newcomers(people: pa.Table, *, started_from: date) -> pa.Array:
    """The pseudonyms of the people (``pseudonym, start_date``, as given to ``ties.load_participants``) who
    started on or after ``started_from``.

    Examples
    --------
    >>> people = pa.table({"pseudonym": ["n", "o", "p"], "start_date": [date(2024, 5, 1), date(2024, 1, 1), None]})
    >>> newcomers(people, started_from=date(2024, 3, 1)).to_pylist()
    ['n']
    """
    started = people.column("start_date")
    recent = pc.fill_null(pc.greater_equal(started, pa.scalar(started_from, started.type)), False)
    return people.column("pseudonym").filter(recent).combine_chunks()


def contacts_of_newcomers(contacts: pa.Table, people: pa.Table, *, started_from: date) -> pa.Table:
    """The rows of :func:`newcomer_contacts` of the :func:`newcomers` who started on or after ``started_from``:
    what an incremental run can still need of them (a newcomer's curve ends 90 days after the start).

    Examples
    --------
    >>> contacts = pa.table({"person": ["n", "o"], "other": ["a", "a"], "first_offset": [0, 3]})
    >>> people = pa.table({"pseudonym": ["n", "o"], "start_date": [date(2024, 5, 1), date(2024, 1, 1)]})
    >>> contacts_of_newcomers(contacts, people, started_from=date(2024, 3, 1)).column("person").to_pylist()
    ['n']
    """
    hires = newcomers(people, started_from=started_from)
    return contacts.filter(pc.is_in(contacts.column("person"), value_set=hires))
