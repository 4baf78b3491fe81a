"""A team's weekly digest: compose it from the week's celebrations, then say it as text, HTML or Slack blocks.

Pure: it knows no database. Birthdays are said as a day and a month only, never a year or an age. Other
capabilities add their own sections (e.g. the week's public recognitions) as :class:`DigestSection` values.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from html import escape
from typing import Any

from teamweave.moments.models import ACHIEVEMENT, MILESTONE
from teamweave.moments.schemas import ANNIVERSARY, BIRTHDAY, Celebration, Digest, DigestSection

SECTION_TITLES = (
    (ANNIVERSARY, "Work anniversaries"),
    (BIRTHDAY, "Birthdays"),
    (MILESTONE, "Milestones"),
    (ACHIEVEMENT, "Team achievements"),
)


def day_words(day: date) -> str:
    """A day without its year: 'Wednesday 25 November'.

    >>> day_words(date(2026, 11, 25))
    'Wednesday 25 November'
    """
    return f"{day:%A} {day.day} {day:%B}"


def line_of(celebration: Celebration) -> str:
    """One digest line: what is celebrated, then the day (day and month only)."""
    return f"{celebration.headline} ({day_words(celebration.day)})"


def _people_of(celebrations: Iterable[Celebration]) -> tuple[int, ...]:
    return tuple(sorted({c.person_id for c in celebrations if c.person_id is not None}))


def compose(
    *,
    team_id: int,
    team_name: str,
    week_start: date,
    celebrations: Iterable[Celebration],
    extra_sections: Sequence[DigestSection] = (),
) -> Digest:
    """The digest of a team for the week starting ``week_start`` (a Monday): one section per kind of
    celebration that has any, in a fixed order, then ``extra_sections`` that have lines."""
    by_kind: dict[str, list[Celebration]] = {}
    for celebration in sorted(celebrations, key=lambda c: (c.day, c.headline)):
        by_kind.setdefault(celebration.kind, []).append(celebration)
    sections = [
        DigestSection(title, [line_of(c) for c in by_kind[kind]], about=_people_of(by_kind[kind]))
        for kind, title in SECTION_TITLES
        if kind in by_kind
    ]
    sections.extend(section for section in extra_sections if section.lines)
    return Digest(team_id, team_name, week_start, week_start + timedelta(days=6), sections)


def heading(digest: Digest) -> str:
    """'Platform: celebrations of the week of 23 November'."""
    return f"{digest.team_name}: celebrations of the week of {digest.week_start.day} {digest.week_start:%B}"


def as_text(digest: Digest, *, link: str | None = None) -> str:
    """The digest as plain text (an e-mail's text part, the web inbox, the command line)."""
    lines = [heading(digest), ""]
    if digest.is_empty:
        lines.append("Nothing to celebrate this week.")
    for section in digest.sections:
        lines.append(section.title)
        lines.extend(f"  - {line}" for line in section.lines)
        lines.append("")
    if link:
        lines.append(f"More: {link}")
    return "\n".join(lines).rstrip() + "\n"


def as_html(digest: Digest, *, link: str | None = None) -> str:
    """The digest as a small HTML fragment; every piece of entered text is escaped."""
    parts = [f"<h2>{escape(heading(digest))}</h2>"]
    if digest.is_empty:
        parts.append("<p>Nothing to celebrate this week.</p>")
    for section in digest.sections:
        items = "".join(f"<li>{escape(line)}</li>" for line in section.lines)
        parts.append(f"<h3>{escape(section.title)}</h3><ul>{items}</ul>")
    if link:
        parts.append(f'<p><a href="{escape(link, quote=True)}">See every celebration</a></p>')
    return "\n".join(parts)


def _slack_escape(text: str) -> str:
    """Slack mrkdwn needs only &, < and > escaped; this also stops entered text from pinging (<!channel>)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def as_slack_blocks(digest: Digest, *, link: str | None = None) -> list[dict[str, Any]]:
    """The digest as Slack Block Kit blocks: a header, then one mrkdwn section per digest section."""
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": heading(digest)[:150], "emoji": True}}
    ]
    for section in digest.sections:
        body = "\n".join(f"• {_slack_escape(line)}" for line in section.lines)
        text = f"*{_slack_escape(section.title)}*\n{body}"
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}})
    if link:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": f"<{link}|See every celebration>"}]})
    return blocks
