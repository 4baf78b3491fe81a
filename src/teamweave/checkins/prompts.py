"""Coaching prompts for a manager before a 1:1: from the report's own situation when the report allows it, and
always from the question bank (:mod:`teamweave.checkins.question_bank`).

Consent is the report's and is given to one manager: off by default, given (to their current manager) and
withdrawn on their own check-in page. A new manager has no consent until the report gives it to them. With it,
three of their signals may shape that manager's prompts, each shown with why it appears:

* **WHO-5 falling or low**: the latest check-in to this pair fell by >= 10 points from the one before, or is
  <= 50 (Topp et al. 2015, doi:10.1159/000376585);
* **a busy after-hours month**: in the last finished month, >= 25% of their interactions were outside working
  hours, or the share rose by >= 10 points from the month before (their own person metrics);
* **missed 1:1s**: at least one of the pair's last three cycles had no 1:1.

Without consent none of these is read, and the manager gets only the question bank. Reading the signals for the
manager is written to the audit log. Services never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from teamweave.accounts.models import User
from teamweave.audit import service as audit
from teamweave.checkins import repository
from teamweave.checkins.cadence import cycles_kept
from teamweave.checkins.models import DEFAULT_CADENCE_DAYS, CoachingConsent
from teamweave.checkins.notes import pair_of
from teamweave.checkins.question_bank import questions_for
from teamweave.checkins.service import LOW_SCORE, MEANINGFUL_DROP, score_who5
from teamweave.errors import Forbidden, InputFormatError
from teamweave.network import service as network
from teamweave.people import service as people

AFTER_HOURS_HIGH = 0.25
AFTER_HOURS_RISE = 0.10
MISSED_CYCLES = 3


@dataclass(frozen=True)
class CoachingPrompt:
    """One prompt: ``source`` 'signal' (from the report's situation) or 'bank'; the prompt; why it appears."""

    source: str
    text: str
    why: str


def has_consent(session: Session, *, org: str, manager_id: int, report_id: int) -> bool:
    """Whether the report allowed their own signals to shape the coaching prompts of this one manager.

    Consent is per pair: a report's new manager has none until the report gives it to them."""
    return repository.consent(session, org=org, manager_id=manager_id, report_id=report_id) is not None


def my_consent(session: Session, *, org: str, viewer: User) -> bool:
    """Whether the viewer (a report) lets their current manager's coaching prompts use their signals."""
    if viewer.person_id is None:
        return False
    me = people.get_person(session, org=org, person_id=viewer.person_id)
    if me.manager_id is None:
        return False
    return has_consent(session, org=org, manager_id=me.manager_id, report_id=me.id)


def set_consent(session: Session, *, org: str, viewer: User, allow: bool) -> bool:
    """Give the viewer's consent to their current manager, or withdraw it; returns the new state.

    Giving it names the current manager only. Withdrawing deletes every consent the viewer ever gave (to their
    current and any former manager), so that an old consent never comes back with a returning manager."""
    if viewer.person_id is None:
        raise Forbidden("your login is not linked to a person")
    me = people.get_person(session, org=org, person_id=viewer.person_id)
    if not allow:
        for row in repository.consents_of_report(session, org=org, report_id=me.id):
            repository.delete(session, row)
        return False
    if me.manager_id is None:
        raise InputFormatError("you have no manager in the directory, so there is no one to give consent to")
    if repository.consent(session, org=org, manager_id=me.manager_id, report_id=me.id) is None:
        row = CoachingConsent(org=org, manager_id=me.manager_id, report_id=me.id, granted_at=datetime.now(UTC))
        repository.add(session, row)
    return True


def _who5_prompts(session: Session, *, org: str, manager_id: int, report_id: int) -> list[CoachingPrompt]:
    rows = repository.responses_of_pair(session, org=org, manager_id=manager_id, report_id=report_id)
    scores = [score_who5([r.who5_1, r.who5_2, r.who5_3, r.who5_4, r.who5_5]).score for r in rows[-2:]]
    if not scores:
        return []
    latest = scores[-1]
    found = []
    if len(scores) == 2 and latest - scores[0] <= -MEANINGFUL_DROP:
        found.append(
            CoachingPrompt(
                "signal",
                'Start with how they are, not with work: "Your last check-in looked harder than the one before; '
                'what has changed for you?"',
                f"Their WHO-5 fell from {scores[0]} to {latest}: a fall of {MEANINGFUL_DROP} points or more is "
                "meaningful.",
            )
        )
    if latest <= LOW_SCORE:
        found.append(
            CoachingPrompt(
                "signal",
                "Make room for a longer, unhurried conversation, and ask what support would help, including "
                "outside work (e.g. the employee assistance programme).",
                f"Their latest WHO-5 is {latest}: {LOW_SCORE} or less suggests a closer conversation.",
            )
        )
    return found


def _after_hours_prompt(session: Session, *, org: str, pseudonym: str, today: date) -> list[CoachingPrompt]:
    months = network.my_connections(session, org=org, pseudonym=pseudonym, period="month", today=today)
    shares = [m.after_hours_share for m in months if m.after_hours_share is not None]
    if not shares:
        return []
    latest = shares[-1]
    rise = latest - shares[-2] if len(shares) > 1 else 0.0
    if latest < AFTER_HOURS_HIGH and rise < AFTER_HOURS_RISE:
        return []
    why = f"Last month {latest:.0%} of their interactions were outside working hours"
    why += f", up {rise * 100:.0f} points from the month before." if rise >= AFTER_HOURS_RISE else "."
    return [
        CoachingPrompt(
            "signal",
            'Ask about load without judging: "How sustainable does your week feel? What could we drop or move?"',
            why,
        )
    ]


def _missed_prompt(session: Session, *, org: str, manager_id: int, report_id: int, today: date) -> list[CoachingPrompt]:
    row = repository.pair(session, org=org, manager_id=manager_id, report_id=report_id)
    every = row.every_days if row is not None else DEFAULT_CADENCE_DAYS
    held = repository.held_days(session, org=org, manager_id=manager_id, report_id=report_id)
    missed = MISSED_CYCLES - cycles_kept(held, every_days=every, today=today, cycles=MISSED_CYCLES)
    if missed == 0:
        return []
    return [
        CoachingPrompt(
            "signal",
            "Acknowledge the gap yourself and agree on a rhythm that works for both of you.",
            f"{missed} of your last {MISSED_CYCLES} cycles of {every} days had no 1:1.",
        )
    ]


def coaching_prompts(
    session: Session, *, org: str, viewer: User, report_id: int, today: date, path: str | None = None
) -> list[CoachingPrompt]:
    """Prompts for the viewer before their next 1:1 with one of their own reports (Forbidden otherwise)."""
    manager_id, report, side = pair_of(session, org=org, viewer=viewer, report_id=report_id)
    if side != "manager":
        raise Forbidden("coaching prompts are for the manager of the pair")
    prompts: list[CoachingPrompt] = []
    consented = has_consent(session, org=org, manager_id=manager_id, report_id=report)
    if consented:
        person = people.get_person(session, org=org, person_id=report)
        prompts += _who5_prompts(session, org=org, manager_id=manager_id, report_id=report)
        prompts += _after_hours_prompt(session, org=org, pseudonym=person.pseudonym, today=today)
        prompts += _missed_prompt(session, org=org, manager_id=manager_id, report_id=report, today=today)
        audit.record_view(
            session,
            org=org,
            viewer=viewer,
            action="view_coaching_signals",
            subject_kind="person",
            subject_id=report,
            path=path,
        )
    consent_note = "" if consented else " (they have not shared their signals)"
    for question in questions_for(today, seed=report):
        why = f"From the question bank ({question.kind}; {question.source}){consent_note}."
        prompts.append(CoachingPrompt("bank", question.text, why))
    return prompts
