"""The digest composer and its three renderings, without a database."""

from __future__ import annotations

import json
from datetime import date

from teamweave.moments import digest
from teamweave.moments.schemas import Celebration, DigestSection

MONDAY = date(2027, 1, 4)
CELEBRATIONS = [
    Celebration(date(2027, 1, 8), "achievement", "Shipped <b>search</b> v2", team_id=1, team_name="Platform"),
    Celebration(date(2027, 1, 6), "birthday", "Birthday", person_id=2, person_name="Bob", team_id=1),
    Celebration(date(2027, 1, 10), "anniversary", "Work anniversary", person_id=1, person_name="Alice", years=5),
    Celebration(date(2027, 1, 5), "anniversary", "Work anniversary", person_id=3, person_name="Carol", years=1),
    Celebration(date(2027, 1, 7), "milestone", "First on-call <!channel>", person_id=4, person_name="Dave"),
]


def _digest(extra: list[DigestSection] | None = None) -> digest.Digest:
    return digest.compose(
        team_id=1, team_name="Platform", week_start=MONDAY, celebrations=CELEBRATIONS, extra_sections=extra or []
    )


def test_sections_come_in_a_fixed_order_and_days_in_order() -> None:
    made = _digest()
    assert [s.title for s in made.sections] == ["Work anniversaries", "Birthdays", "Milestones", "Team achievements"]
    assert made.sections[0].lines == [
        "Carol: 1 year with us (Tuesday 5 January)",
        "Alice: 5 years with us (Sunday 10 January)",
    ]
    assert made.week_end == date(2027, 1, 10)


def test_a_birthday_is_said_with_day_and_month_only() -> None:
    text = digest.as_text(_digest())
    assert "Bob: birthday (Wednesday 6 January)" in text
    assert "2000" not in text
    assert "2027" not in text
    assert " age" not in text
    assert "turns" not in text


def test_extra_sections_follow_and_empty_ones_are_left_out() -> None:
    made = _digest([DigestSection("Recognition", ["Ana thanked Bob for the review"]), DigestSection("Empty", [])])
    assert [s.title for s in made.sections][-1] == "Recognition"
    assert "Ana thanked Bob for the review" in digest.as_text(made)


def test_html_escapes_entered_text() -> None:
    html = digest.as_html(_digest(), link="https://tw.example/celebrations?a=1&b=2")
    assert "<b>search</b>" not in html
    assert "Shipped &lt;b&gt;search&lt;/b&gt; v2" in html
    assert 'href="https://tw.example/celebrations?a=1&amp;b=2"' in html
    assert html.startswith("<h2>Platform: celebrations of the week of 4 January</h2>")


def test_slack_blocks_are_valid_block_kit_and_cannot_ping_the_channel() -> None:
    blocks = digest.as_slack_blocks(_digest(), link="https://tw.example/celebrations")
    json.dumps(blocks)
    assert blocks[0]["type"] == "header"
    assert blocks[0]["text"]["type"] == "plain_text"
    sections = [b for b in blocks if b["type"] == "section"]
    assert len(sections) == 4
    milestone = sections[2]["text"]["text"]
    assert milestone.startswith("*Milestones*\n• Dave: First on-call")
    assert "<!channel>" not in milestone
    assert "&lt;!channel&gt;" in milestone
    assert blocks[-1]["elements"][0]["text"] == "<https://tw.example/celebrations|See every celebration>"


def test_an_empty_week_says_so() -> None:
    empty = digest.compose(team_id=1, team_name="Tiny", week_start=MONDAY, celebrations=[])
    assert empty.is_empty
    assert "Nothing to celebrate this week." in digest.as_text(empty)
