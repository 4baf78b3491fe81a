"""What an analysis depends on besides the events, and whether a change of it reaches back into history.

An incremental run (``analytics.incremental``) recomputes only the windows new events can change and keeps
every other stored row. Those rows equal a full run's only if everything else the analysis reads is what it
was at the last run: the people (team, time zone, start date, site), who opted out, the alias map, the bots,
the work day, the group size k and the version of teamweave. When any of that changed in a way that can reach
a window before the new events (someone opted out, moved team, left the directory; an identity was mapped to
another person), the run must be a full one: else an opted-out person's old windows would still count them.

One change is allowed, because it cannot reach back: people added to the directory who start on or after
the new events' first UTC day, with new aliases of theirs. A person takes part only from their start date on
(in their own zone, at most a day before that UTC day, inside the first window recomputed), so no earlier
window holds them. New hires join every week; without this rule most weekly runs would be full ones.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Final

import pyarrow as pa

INPUTS_METADATA: Final = b"teamweave.run_inputs"
"""Schema metadata of the kept people table: the opt-outs, bots and settings, as JSON."""
ALIAS_SCHEMA: Final = pa.schema([("identity", pa.string()), ("person", pa.string())])


@dataclass(frozen=True)
class RunInputs:
    """Everything an analysis reads besides the events: the people who may become nodes (``ties.people_table``:
    pseudonym, team_id, timezone, start_date, site_id; opted-out people are not among them), who opted out,
    the alias map (identity -> person), the bot identities and the settings (work day hours, k, and the version
    of teamweave: another version may compute the metrics otherwise)."""

    people: pa.Table
    opted_out: frozenset[str] = frozenset()
    aliases: Mapping[str, str] = field(default_factory=dict)
    bots: frozenset[str] = frozenset()
    settings: Mapping[str, int | str] = field(default_factory=dict)


def as_tables(inputs: RunInputs) -> tuple[pa.Table, pa.Table]:
    """``inputs`` as two Arrow tables to keep (``store.tie_cache``): the people, with the opt-outs, bots and
    settings in the schema metadata, and the alias map. :func:`from_tables` reads them back.

    Examples
    --------
    >>> from teamweave.analytics.ties import people_table
    >>> kept = RunInputs(people_table([("a", 1, "UTC")]), frozenset({"z"}), {"u1": "a"}, settings={"k": 5})
    >>> from_tables(*as_tables(kept)) == kept
    True
    """
    other = {"opted_out": sorted(inputs.opted_out), "bots": sorted(inputs.bots), "settings": dict(inputs.settings)}
    people = inputs.people.replace_schema_metadata({INPUTS_METADATA: json.dumps(other).encode()})
    pairs = sorted(inputs.aliases.items())
    aliases = pa.table([[i for i, _ in pairs], [p for _, p in pairs]], schema=ALIAS_SCHEMA)
    return people, aliases


def from_tables(people: pa.Table, aliases: pa.Table) -> RunInputs:
    """The :class:`RunInputs` kept as :func:`as_tables` wrote them."""
    other = json.loads((people.schema.metadata or {})[INPUTS_METADATA])
    return RunInputs(
        people.replace_schema_metadata(None),
        frozenset(other["opted_out"]),
        dict(zip(aliases.column("identity").to_pylist(), aliases.column("person").to_pylist(), strict=True)),
        frozenset(other["bots"]),
        other["settings"],
    )


def _rows(people: pa.Table) -> dict[str, tuple[object, ...]]:
    names = ("team_id", "timezone", "start_date", "site_id")
    columns = [people.column(n).to_pylist() for n in names]
    return {p: tuple(c[i] for c in columns) for i, p in enumerate(people.column("pseudonym").to_pylist())}


def history_change(before: RunInputs, now: RunInputs, *, first_new: date) -> str | None:
    """Why windows before the new events (UTC day ``first_new`` on) computed with ``before`` can differ from
    those a run with ``now`` computes; None when they cannot (an incremental run then gives a full run's rows).

    Examples
    --------
    >>> from teamweave.analytics.ties import people_table
    >>> old = RunInputs(people_table([("a", 1, "UTC"), ("b", 1, "UTC")]))
    >>> hired = RunInputs(people_table([("a", 1, "UTC"), ("b", 1, "UTC"), ("c", 2, "UTC", date(2024, 5, 6))]))
    >>> history_change(old, hired, first_new=date(2024, 5, 6)) is None
    True
    >>> history_change(old, RunInputs(people_table([("a", 1, "UTC")]), opted_out=frozenset({"b"})),
    ...                first_new=date(2024, 5, 6))
    'someone opted out of analytics or back in'
    >>> history_change(old, RunInputs(people_table([("a", 2, "UTC"), ("b", 1, "UTC")])), first_new=date(2024, 5, 6))
    "a person's team, time zone, start date or site changed"
    """
    if dict(before.settings) != dict(now.settings):
        return "the work day, the group size k or the version of teamweave changed"
    if before.opted_out != now.opted_out:
        return "someone opted out of analytics or back in"
    if before.bots != now.bots:
        return "the bot identities changed"
    old, new = _rows(before.people), _rows(now.people)
    if old.keys() - new.keys():
        return "people left the directory"
    if any(new[p] != row for p, row in old.items()):
        return "a person's team, time zone, start date or site changed"
    starts = dict(
        zip(now.people.column("pseudonym").to_pylist(), now.people.column("start_date").to_pylist(), strict=True)
    )
    late = {p for p in new.keys() - old.keys() if starts[p] is not None and starts[p] >= first_new}
    if new.keys() - old.keys() - late:
        return "people were added who may have taken part before the new events (no start date, or an earlier one)"
    if any(now.aliases.get(identity) != person for identity, person in before.aliases.items()):
        return "identities seen before were mapped to other people, or unmapped"
    if any(person not in late for identity, person in now.aliases.items() if identity not in before.aliases):
        return "identities were added to people who may have taken part before the new events"
    return None
