"""A full analysis one month of events at a time (``analytics.chunks``): memory follows a month's events, not
the whole history's, and the rows written equal those of analysing every event at once.

Each monthly pass loads the events of the windows it owns, takes the ties of the window before its first one
from the pass before (kept in the tie cache, as an incremental run takes them), and writes the metrics of its
windows. A quarter is combined from the pieces of its months (``analytics.quarters``: kept in the tie cache by
the month passes) in the pass that computes the last of its months. The newcomers' contacts of every pass are
gathered and turned into integration curves at the end; the distinct pairs with a tie are counted over all
passes. Never commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import pyarrow as pa
from sqlalchemy.orm import Session

from teamweave.analytics.chunks import Chunk, month_chunks
from teamweave.analytics.integration import curves_from_contacts, newcomer_contacts
from teamweave.analytics.tie_store import no_window_ties
from teamweave.analytics.windows import previous_window, window_start
from teamweave.errors import TeamweaveError
from teamweave.network import writer
from teamweave.network.event_spans import span
from teamweave.network.period_analysis import Inputs, PeriodResult, analyze_period, analyze_quarters
from teamweave.progress import ProgressReporter
from teamweave.store.tie_cache import TieCache


@dataclass(frozen=True)
class MonthlyRun:
    """What :func:`analyze_by_month` computed: per period the run's result, the newcomers' contacts (of every
    pass) and curves, and the last local day of the data."""

    results: list[PeriodResult]
    contacts: pa.Table
    curves: pa.Table
    last_day: date | None


def period_runs(first_day: date, last_day: date, *, periods: tuple[str, ...]) -> int:
    """How many times a period is analysed when the events on the UTC days ``first_day`` .. ``last_day`` are
    analysed month by month: each week or month period once a pass, a quarter once (for the progress bar)."""
    chunks = month_chunks(first_day, last_day, periods=_loaded(periods))
    quarters = len(_closing(chunks)) if "quarter" in periods else 0
    return len(chunks) * len(_loaded(periods)) + quarters


def _loaded(periods: tuple[str, ...]) -> tuple[str, ...]:
    """The periods computed from each pass's events (a quarter is combined from its months instead)."""
    return tuple(p for p in periods if p != "quarter")


def _closing(chunks: list[Chunk]) -> dict[date, int]:
    """Per quarter, the index of the pass that computes the last of its months (whose pieces it combines)."""
    last: dict[date, int] = {}
    for index, chunk in enumerate(chunks):
        for month in chunk.windows.get("month", []):
            last[window_start(month, period="quarter")] = index
    return last


def analyze_by_month(
    session: Session,
    con: duckdb.DuckDBPyConnection,
    *,
    org: str,
    periods: tuple[str, ...],
    days: tuple[date, date],
    inputs: Inputs,
    k: int,
    progress: ProgressReporter,
    cache: TieCache,
) -> MonthlyRun:
    """Analyse the events (view ``tw_store``) on the UTC days ``days`` month by month and store every
    period's rows, replacing all the org's rows of those periods; ``progress`` advances by
    ``STEPS_PER_PERIOD`` per :func:`period_runs`. A ``"quarter"`` in ``periods`` needs ``"month"`` before it."""
    if "quarter" in periods and "month" not in periods[: periods.index("quarter")]:
        raise TeamweaveError("a quarter is combined from its months", where="periods", hint="analyse months first")
    for period in periods:
        writer.clear_period(session, org=org, period=period)
        cache.clear(org, period)
    con.execute("CREATE OR REPLACE TEMP TABLE tw_seen_pairs (a_id INTEGER, b_id INTEGER)")
    found: dict[str, list[PeriodResult]] = {p: [] for p in periods}
    first_window: dict[str, date | None] = dict.fromkeys(periods)
    first_day: date | None = None
    last_day: date | None = None
    contacts: list[pa.Table] = []
    chunks = month_chunks(days[0], days[1], periods=_loaded(periods))
    closing = _closing(chunks) if "quarter" in periods else {}
    for index, chunk in enumerate(chunks):
        inputs.load(con, span(con, chunk.start, chunk.end))
        low, high = con.execute("SELECT min(local_ts)::DATE, max(local_ts)::DATE FROM tw_participants").fetchall()[0]
        first_day = first_day or low  # the first pass with participants holds the data's first local day
        if high is not None:
            last_day = high if last_day is None else max(last_day, high)
        contacts.append(newcomer_contacts(con, first_day=first_day))
        for period in _loaded(periods):
            windows = chunk.windows[period]
            context = None
            if index > 0 and first_window[period] is not None:  # (no window before the data's first)
                before = previous_window(windows[0], period=period)
                context = {before: cache.file(org, period, before) or no_window_ties()}
            found[period].append(
                analyze_period(
                    session,
                    con,
                    org=org,
                    period=period,
                    inputs=inputs,
                    k=k,
                    progress=progress,
                    cache=cache,
                    keep=windows,
                    context=context,
                    first_window=first_window[period],
                )
            )
            if period == periods[0]:  # each pass's windows hold each of its events once: count pairs from one period
                con.execute(
                    "INSERT INTO tw_seen_pairs SELECT DISTINCT a_id, b_id FROM tw_ties WHERE window_start IN"
                    " (SELECT unnest($windows::DATE[]))",
                    {"windows": windows},
                )
        for period in _loaded(periods):
            if first_window[period] is None:  # the participants' columns are named after the periods
                first_window[period] = con.execute(f"SELECT min({period}) FROM tw_participants").fetchall()[0][0]
        for quarter in sorted(q for q, last in closing.items() if last == index):
            month = first_window["month"]  # the data's first quarter holds its first month
            first_quarter = first_window["quarter"] = window_start(month or quarter, period="quarter")
            found["quarter"].append(
                analyze_quarters(
                    session,
                    con,
                    org=org,
                    quarters=[quarter],
                    inputs=inputs,
                    k=k,
                    progress=progress,
                    cache=cache,
                    first=first_quarter,
                )
            )
    pairs = int(con.execute("SELECT count(*) FROM (SELECT DISTINCT a_id, b_id FROM tw_seen_pairs)").fetchall()[0][0])
    con.execute("DROP TABLE tw_seen_pairs")
    gathered = pa.concat_tables(contacts)
    curves = curves_from_contacts(con, gathered, first_day=first_day, last_day=last_day)
    return MonthlyRun([_combined(found[p], pairs) for p in periods], gathered, curves, last_day)


def _combined(results: list[PeriodResult], pairs: int) -> PeriodResult:
    """One period's result over all the passes."""
    structures = [r.structure for r in results if r.structure is not None]
    return PeriodResult(
        windows=sum(r.windows for r in results),
        people=set().union(*(r.people for r in results)),
        pairs=pairs,
        hidden=sum(r.hidden for r in results),
        structure=structures[-1] if structures else None,
    )
