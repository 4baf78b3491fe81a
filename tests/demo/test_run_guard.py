"""prepare refuses to mix the demo into an organisation that already holds other people."""

from __future__ import annotations

import pytest

from teamweave.demo.run import demo_dir, prepare
from teamweave.errors import TeamweaveError
from teamweave.people.models import Person
from teamweave.runtime import Runtime
from teamweave.store.session import session_scope


def test_prepare_refuses_an_org_with_other_people(runtime: Runtime) -> None:
    email = "someone@example.org"
    with session_scope(runtime.sessions) as session:
        pseudonym = runtime.pseudonymiser.person_of_email(email)
        session.add(Person(org=runtime.settings.org, email=email, name="S", pseudonym=pseudonym, timezone="UTC"))
    with pytest.raises(TeamweaveError, match="not the demo's") as raised:
        prepare(runtime)
    assert "fresh data dir" in str(raised.value)
    assert not demo_dir(runtime).exists()
