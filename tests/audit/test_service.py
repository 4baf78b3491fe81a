"""The audit log: entries written and read back, newest first."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session
from tests.web.seeding import cheap_password_hashes

from teamweave.accounts.service import create_user
from teamweave.audit import service

__all__ = ["cheap_password_hashes"]
pytestmark = pytest.mark.usefixtures("cheap_password_hashes")


def test_record_and_read_entries(session: Session) -> None:
    viewer = create_user(session, org="o", username="mia", password="long enough", role="manager")
    service.record_view(
        session, org="o", viewer=viewer, action="view_team_health", subject_kind="team", subject_id=7, path="/teams/7"
    )
    service.record_view(
        session, org="o", viewer=viewer, action="view_org_map", subject_kind="org", subject_id="o", path="/org"
    )
    session.commit()
    entries = service.entries(session, org="o", limit=10)
    assert [(e.action, e.subject_kind, e.subject_id, e.viewer_role) for e in entries] == [
        ("view_org_map", "org", "o", "manager"),
        ("view_team_health", "team", "7", "manager"),
    ]
    assert entries[0].viewer_user_id == viewer.id
    assert service.entries(session, org="other") == []
    assert len(service.entries(session, org="o", limit=1)) == 1


def test_unknown_subject_kind_is_refused(session: Session) -> None:
    viewer = create_user(session, org="o", username="mia", password="long enough", role="manager")
    with pytest.raises(ValueError, match="subject kind"):
        service.record_view(session, org="o", viewer=viewer, action="x", subject_kind="planet", subject_id=1, path=None)
