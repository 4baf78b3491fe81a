"""The web inbox and the unsubscribe link, through the real app (TestClient) on a migrated SQLite instance."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.web.conftest import csrf_of, log_in
from tests.web.seeding import SeededOrg

from teamweave.notify import service
from teamweave.notify.kinds import KINDS
from teamweave.runtime import Runtime
from teamweave.store.session import session_scope


def _send(runtime: Runtime, seeded: SeededOrg, who: str, key: str, text: str = "Your check-in is due") -> int:
    with session_scope(runtime.sessions) as session:
        row = service.enqueue(
            session,
            org=runtime.settings.org,
            recipient_id=seeded.people[who],
            kind="checkin_nudge",
            subject=f"Subject {key}",
            text=text,
            dedupe_key=key,
            link="/checkins",
        )
        assert row is not None
        return row.id


def test_a_person_sees_only_their_own_inbox_and_marks_read(
    client: TestClient, runtime: Runtime, seeded: SeededOrg
) -> None:
    mine = _send(runtime, seeded, "alice", "a-1", text="<b>hi</b> & welcome")
    _send(runtime, seeded, "alice", "a-2")
    theirs = _send(runtime, seeded, "bob", "b-1")
    log_in(client, "alice")
    page = client.get("/inbox")
    assert page.status_code == 200
    assert "2 unread" in page.text
    assert "Subject a-1" in page.text
    assert "Subject b-1" not in page.text
    assert "&lt;b&gt;hi&lt;/b&gt; &amp; welcome" in page.text
    assert page.text.index("Subject a-2") < page.text.index("Subject a-1")  # newest first
    response = client.post(f"/inbox/{mine}/read", data={"csrf_token": csrf_of(page.text)})
    assert response.status_code == 303
    page = client.get("/inbox")
    assert "1 unread" in page.text
    assert re.search(rf'<tr class="read" id="message-{mine}">', page.text)
    assert client.post(f"/inbox/{theirs}/read", data={"csrf_token": csrf_of(page.text)}).status_code == 404
    assert client.post(f"/inbox/{mine}/read", data={}).status_code == 403  # no CSRF token
    client.post("/inbox/read-all", data={"csrf_token": csrf_of(page.text)})
    assert "unread" not in client.get("/inbox").text.split("<h1>")[1].split("</h1>")[0]


def test_the_settings_form_unsubscribes_per_kind(client: TestClient, runtime: Runtime, seeded: SeededOrg) -> None:
    log_in(client, "alice")
    page = client.get("/inbox")
    assert page.text.count('type="checkbox"') == len(KINDS)
    assert page.text.count(" checked") == len(KINDS)
    keep = [k for k in KINDS if k != "checkin_nudge"]
    response = client.post("/inbox/settings", data={"kind": keep, "csrf_token": csrf_of(page.text)})
    assert response.headers["location"] == "/inbox?saved=1"
    page = client.get("/inbox?saved=1")
    assert page.text.count(" checked") == len(KINDS) - 1
    assert 'value="checkin_nudge">' in page.text
    with session_scope(runtime.sessions) as session:
        assert service.enqueue(
            session, org="default", recipient_id=seeded.people["alice"], kind="checkin_nudge", subject="s", text="t",
            dedupe_key="x",
        ) is None  # fmt: skip


def test_logins_without_a_person_and_visitors_have_no_inbox(client: TestClient) -> None:
    assert client.get("/inbox").status_code in (302, 303, 307)
    log_in(client, "root")
    assert client.get("/inbox").status_code == 404


def test_the_unsubscribe_link_works_without_logging_in(client: TestClient, runtime: Runtime, seeded: SeededOrg) -> None:
    secret = runtime.settings.resolved_session_secret()
    alice = seeded.people["alice"]
    token = service.unsubscribe_token(secret, org="default", person_id=alice, kind="recognition")
    page = client.get(f"/unsubscribe?token={token}")
    assert page.status_code == 200
    assert "Recognition you receive" in page.text
    with session_scope(runtime.sessions) as session:  # a GET (a link scanner) changes nothing
        assert not service.is_unsubscribed(session, org="default", person_id=alice, kind="recognition")
    assert client.post("/unsubscribe", data={"token": token}).status_code == 403  # CSRF applies
    done = client.post("/unsubscribe", data={"token": token, "csrf_token": csrf_of(page.text)})
    assert done.status_code == 200
    assert "You will no longer receive: Recognition you receive" in done.text
    with session_scope(runtime.sessions) as session:
        assert service.is_unsubscribed(session, org="default", person_id=alice, kind="recognition")
        assert not service.is_unsubscribed(session, org="default", person_id=alice, kind="team_digest")


def test_a_forged_unsubscribe_token_is_refused(client: TestClient, seeded: SeededOrg) -> None:
    forged = service.unsubscribe_token(b"not-the-secret!!" * 2, org="default", person_id=1, kind="recognition")
    page = client.get(f"/unsubscribe?token={forged}")
    assert page.status_code == 422
    assert "not valid" in page.text


def test_the_inbox_routes_as_every_role(client: TestClient, seeded: SeededOrg) -> None:
    """The rows tests/web/test_access.py is to get (anonymous, alice, mia, pat, root, port)."""
    expected = {
        "/inbox": (302, 200, 200, 200, 404, 404),
        "/unsubscribe?token=forged": (422, 422, 422, 422, 422, 422),
    }
    for number, role in enumerate(("anonymous", "alice", "mia", "pat", "root", "port")):
        if role != "anonymous":
            log_in(client, role)
        for path, codes in expected.items():
            assert client.get(path).status_code == codes[number], (role, path)


def test_rfc8058_one_click_unsubscribe(app: FastAPI, runtime: Runtime, seeded: SeededOrg) -> None:
    """Added outside the CSRF guard (as web/app.py is to do), a mail provider's POST unsubscribes."""
    alice = seeded.people["alice"]
    token = service.unsubscribe_token(
        runtime.settings.resolved_session_secret(), org="default", person_id=alice, kind="team_digest"
    )
    with TestClient(app, follow_redirects=False) as client:
        url = f"/unsubscribe/one-click?token={token}"
        assert client.get(url).headers["location"] == f"/unsubscribe?token={token}"
        assert client.post(url, data={"List-Unsubscribe": "nope"}).status_code == 400
        assert client.post(url.replace("token=", "token=x"), data={"List-Unsubscribe": "One-Click"}).status_code == 422
        with session_scope(runtime.sessions) as session:
            assert not service.is_unsubscribed(session, org="default", person_id=alice, kind="team_digest")
        done = client.post(url, data={"List-Unsubscribe": "One-Click"})
        assert (done.status_code, done.text) == (200, "unsubscribed")
    with session_scope(runtime.sessions) as session:
        assert service.is_unsubscribed(session, org="default", person_id=alice, kind="team_digest")


def test_requests_for_a_1on1_cannot_be_turned_off(client: TestClient, runtime: Runtime, seeded: SeededOrg) -> None:
    log_in(client, "mia")
    page = client.get("/inbox")
    assert 'value="checkin_request"' not in page.text  # shown fixed, not as a choice
    assert "always on: a request from your report must reach you" in page.text
    client.post("/inbox/settings", data={"kind": [], "csrf_token": csrf_of(page.text)})  # everything off
    with session_scope(runtime.sessions) as session:
        row = service.enqueue(
            session, org="default", recipient_id=seeded.people["mia"], kind="checkin_request", subject="s", text="t",
            dedupe_key="ask",
        )  # fmt: skip
        assert row is not None
    secret = runtime.settings.resolved_session_secret()
    token = service.unsubscribe_token(secret, org="default", person_id=seeded.people["mia"], kind="checkin_request")
    page = client.get(f"/unsubscribe?token={token}")
    answer = client.post("/unsubscribe", data={"token": token, "csrf_token": csrf_of(page.text)})
    assert answer.status_code == 422
    assert "cannot be turned off" in answer.text
