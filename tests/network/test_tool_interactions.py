"""Writing to a bot or an AI assistant is a tool interaction: it lowers human_share and makes no tie."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from teamweave.imports.models import Identity
from teamweave.ingest.records import Interaction
from teamweave.network.analysis import analyze
from teamweave.network.models import PersonMetric
from teamweave.people.models import Person, Team
from teamweave.privacy.pseudonym import Pseudonymiser
from teamweave.store.events import EventStore

ORG = "acme"
P = Pseudonymiser(b"t" * 32)
ASSISTANT = P.identity("slack", "T1:UAI")


def test_messages_to_a_bot_are_tool_interactions(session: Session, tmp_path: Path) -> None:
    team = Team(org=ORG, name="Core")
    session.add(team)
    session.flush()
    ana, ben = P.person_of_email("ana@x.test"), P.person_of_email("ben@x.test")
    for email, pseudonym in (("ana@x.test", ana), ("ben@x.test", ben)):
        session.add(Person(org=ORG, email=email, name=email, pseudonym=pseudonym, team_id=team.id, timezone="UTC"))
    session.add(Identity(org=ORG, source="slack", pseudonym=ASSISTANT, label="@assistant", is_bot=True))
    session.flush()
    ts = datetime(2024, 3, 5, 10, tzinfo=UTC)

    def event(n: int, actor: str, *targets: str, by_bot: bool = False) -> Interaction:
        return Interaction(ORG, f"e{n}", "slack", "message", ts, actor, targets, len(targets), by_bot=by_bot)

    store = EventStore(tmp_path)
    store.append(
        ORG,
        [
            event(1, ana, ben),
            event(2, ana, ASSISTANT),  # a DM to the AI assistant
            event(3, ana, ASSISTANT),
            event(4, ASSISTANT, ana, by_bot=True),  # its answer
            event(5, ben, ana, ASSISTANT),  # a group message that includes the bot is still human
        ],
    )
    analyze(session, org=ORG, events=store, k=3)
    stmt = select(PersonMetric).where(PersonMetric.period == "month", PersonMetric.pseudonym == ana)
    metric = session.execute(stmt).scalar_one()
    assert (metric.human_events, metric.tool_events) == (2, 3)
    assert metric.human_share == pytest.approx(2 / 5)
    assert metric.ties == 1
