"""The question bank of coaching prompts: sense-making and listening questions for a manager before a 1:1.

Every question says where it comes from (docs/checkins.md lists the sources in full):

* Rogers & Farson (1957), *Active Listening*: listen for the total meaning, respond to feelings, reflect back.
* Kline (1999), *Time to Think*: attention that lets the other person think ("What more do you think?").
* Stanier (2016), *The Coaching Habit*: "And what else?", "What's the real challenge here for you?".
* Weick (1995), *Sensemaking in Organizations*: make sense of what is happening before acting on it.
* Edmondson (1999), psychological safety: invite input, acknowledge your own fallibility.
* Kluger & Itzchakov (2022), *The power of listening at work*, Annu. Rev. Organ. Psychol. Organ. Behav.
  9:121-146, doi:10.1146/annurev-orgpsych-012420-091013.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Question:
    """A question of the bank: its kind ('listening' or 'sense-making'), the words, and its source."""

    kind: str
    text: str
    source: str


ROGERS = "Rogers & Farson (1957), Active Listening"
KLINE = "Kline (1999), Time to Think"
STANIER = "Stanier (2016), The Coaching Habit"
WEICK = "Weick (1995), Sensemaking in Organizations"
EDMONDSON = "Edmondson (1999), psychological safety"
KLUGER = "Kluger & Itzchakov (2022), The power of listening at work"

BANK: tuple[Question, ...] = (
    Question("listening", "What's on your mind?", STANIER),
    Question("listening", "And what else?", STANIER),
    Question("listening", "What more do you think, or feel, or want to say?", KLINE),
    Question(
        "listening",
        "Before answering, reflect back what you heard in your own words and ask: did I get that right?",
        ROGERS,
    ),
    Question("listening", "Listen for the feeling as well as the content: what does this mean for you?", ROGERS),
    Question("listening", "Leave a silence after they finish; do not fill it with advice.", KLUGER),
    Question("sense-making", "What's the real challenge here for you?", STANIER),
    Question("sense-making", "What has changed for you since we last talked?", WEICK),
    Question("sense-making", "What surprised you in the last two weeks, and what do you make of it?", WEICK),
    Question("sense-making", "Who have you been working closely with lately, and who do you miss?", WEICK),
    Question("sense-making", "What is one thing I could do differently that would help you?", EDMONDSON),
    Question("sense-making", "What is something you have been hesitant to bring up?", EDMONDSON),
)
KINDS = ("listening", "sense-making")


def questions_for(today: date, *, seed: int = 0, per_kind: int = 1) -> list[Question]:
    """``per_kind`` questions of each kind, rotating each week (and with ``seed``, e.g. the report's id).

    >>> [q.kind for q in questions_for(date(2026, 11, 23))]
    ['listening', 'sense-making']
    >>> questions_for(date(2026, 11, 23)) == questions_for(date(2026, 11, 24))
    True
    """
    week = today.toordinal() // 7
    chosen: list[Question] = []
    for kind in KINDS:
        pool = [q for q in BANK if q.kind == kind]
        start = (week + seed) % len(pool)
        chosen.extend(pool[(start + i) % len(pool)] for i in range(min(per_kind, len(pool))))
    return chosen
