"""history_change: which changes of what an analysis reads besides the events reach windows before new ones."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pyarrow as pa
import pytest

from teamweave.analytics.run_inputs import RunInputs, as_tables, from_tables, history_change
from teamweave.analytics.ties import people_table

NEW = date(2024, 5, 6)  # the new events' first UTC day
ROWS: list[tuple[str, int, str, date | None, int | None]] = [
    ("a", 1, "UTC", None, 1),
    ("b", 1, "Asia/Tokyo", date(2024, 1, 8), 2),
    ("c", 2, "UTC", None, None),
]
BASE = RunInputs(
    people_table(ROWS),
    frozenset({"z"}),
    {"slack-a": "a"},
    frozenset({"bot"}),
    {"work_day_start": 8, "work_day_end": 19, "k": 5, "version": "0.1.0"},
)


def _people(*changed: tuple[str, int, str, date | None, int | None], drop: str = "") -> pa.Table:
    """The people of BASE with rows ``changed`` (or added), by pseudonym, and without ``drop``."""
    rows = {r[0]: r for r in [*ROWS, *changed] if r[0] != drop}
    return people_table(rows.values())


@pytest.mark.parametrize(
    ("now", "reason"),
    [
        (replace(BASE, settings={"work_day_start": 9, "work_day_end": 19, "k": 5}), "the work day, the group"),
        (replace(BASE, settings={"work_day_start": 8, "work_day_end": 19, "k": 3}), "the work day, the group"),
        (
            replace(BASE, settings={**BASE.settings, "version": "0.2.0"}),
            "the work day, the group size k or the version",
        ),
        (replace(BASE, opted_out=frozenset({"z", "c"}), people=_people(drop="c")), "someone opted out"),
        (replace(BASE, opted_out=frozenset()), "someone opted out"),
        (replace(BASE, bots=frozenset({"bot", "bot2"})), "the bot identities changed"),
        (replace(BASE, people=_people(drop="c")), "people left the directory"),
        (replace(BASE, people=_people(("b", 2, "Asia/Tokyo", date(2024, 1, 8), 2))), "a person's team"),
        (replace(BASE, people=_people(("b", 1, "Europe/Paris", date(2024, 1, 8), 2))), "a person's team"),
        (replace(BASE, people=_people(("b", 1, "Asia/Tokyo", date(2024, 1, 9), 2))), "a person's team"),
        (replace(BASE, people=_people(("a", 1, "UTC", None, 3))), "a person's team"),
        (replace(BASE, people=_people(("d", 2, "UTC", date(2024, 5, 5), None))), "people were added who may"),
        (replace(BASE, people=_people(("d", 2, "UTC", None, None))), "people were added who may"),
        (replace(BASE, aliases={"slack-a": "b"}), "identities seen before were mapped"),
        (replace(BASE, aliases={}), "identities seen before were mapped"),
        (replace(BASE, aliases={"slack-a": "a", "gh-b": "b"}), "identities were added to people who may"),
    ],
)
def test_changes_that_reach_back(now: RunInputs, reason: str) -> None:
    found = history_change(BASE, now, first_new=NEW)
    assert found is not None
    assert found.startswith(reason)


def test_nothing_changed() -> None:
    assert history_change(BASE, replace(BASE), first_new=NEW) is None


def test_a_hire_from_the_new_events_on_with_an_identity_does_not_reach_back() -> None:
    hired = replace(
        BASE, people=_people(("d", 2, "Pacific/Auckland", NEW, None)), aliases={"slack-a": "a", "slack-d": "d"}
    )
    assert history_change(BASE, hired, first_new=NEW) is None
    assert history_change(BASE, hired, first_new=date(2024, 5, 7)) is not None  # the hire started a day earlier


def test_kept_tables_read_back_as_they_were() -> None:
    people, aliases = as_tables(BASE)
    assert from_tables(people, aliases) == BASE
    empty = replace(BASE, aliases={}, opted_out=frozenset(), bots=frozenset())
    assert from_tables(*as_tables(empty)) == empty
