"""Microsoft Teams connector on Graph chatMessage JSON shaped as the v1.0 API documents it.

Fixtures: a 1:1 chat over two pages (with ``@odata.nextLink``), a group chat with a bot and an unknown message
type, and a channel thread whose root comes from ``/messages`` and whose replies from ``/replies``; mentions,
reactions, a system event and a deleted message. Every count below is worked out by hand in the comments.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import duckdb
import pytest
from sqlalchemy.orm import Session

from teamweave.errors import InputFormatError
from teamweave.imports.schemas import ImportSummary
from teamweave.ingest import github_json
from teamweave.ingest.pipeline import run_connector
from teamweave.ingest.teams_graph import SOURCE, TeamsMessages, parse_time, sniff
from teamweave.privacy.pseudonym import Pseudonymiser
from teamweave.store.events import EventStore

ORG = "acme"
TENANT = "dcd219dd-bc68-4b9b-bf0b-4a33a796be35"
GRAPH = "https://graph.microsoft.com/v1.0"
ANA, BO, CY, DEE = (
    "8ea0e38b-efb3-4757-924a-5f94061cf8c2",
    "2a1e7c3f-5bb3-4c3e-9e53-4b1a2f4dcb11",
    "5c2b6c5e-38b1-4e1e-9f5b-0a7f1e2d3c44",
    "9d3c1e2f-77aa-4b8b-8c9d-1e2f3a4b5c66",
)
NAMES = {ANA: "Ana Lima", BO: "Bo Jensen", CY: "Cy Okafor", DEE: "Dee Park"}
BOT = "28:c9d3b2a1-0f1e-4d2c-9b8a-7f6e5d4c3b2a"
ONE_ON_ONE = f"19:{ANA}_{BO}@unq.gbl.spaces"
GROUP = "19:8b081ef6a6e44e3b9e8ef7a4e8bbd9a5@thread.v2"
TEAM = "fbe2bf47-16c8-47cf-b4a5-4b9b187c508b"
CHANNEL = "19:4a95f7d8db4c4e7fae857bcebe0623e6@thread.tacv2"
SECRET = "Quarterly numbers are confidential, ask Priya before sharing"


def person(uid: str, *, named: bool = True) -> dict[str, Any]:
    return {
        "@odata.type": "#microsoft.graph.teamworkUserIdentity",
        "id": uid,
        "displayName": NAMES[uid] if named else None,
        "userIdentityType": "aadUser",
        "tenantId": TENANT,
    }


def sender(uid: str | None = None, *, app: str | None = None) -> dict[str, Any]:
    application = (
        {
            "@odata.type": "#microsoft.graph.teamworkApplicationIdentity",
            "id": app,
            "displayName": "Standup Bot",
            "applicationIdentityType": "bot",
        }
        if app
        else None
    )
    return {"application": application, "device": None, "user": person(uid) if uid else None}


def mention(index: int, uid: str) -> dict[str, Any]:
    mentioned = {"application": None, "device": None, "conversation": None, "tag": None, "user": person(uid)}
    return {"id": index, "mentionText": NAMES[uid].split()[0], "mentioned": mentioned}


def reaction(uid: str, when: str, kind: str = "like") -> dict[str, Any]:
    return {
        "reactionType": kind,
        "displayName": kind.title(),
        "reactionContentUrl": None,
        "createdDateTime": when,
        "user": {"application": None, "device": None, "user": person(uid, named=False)},
    }


def chat_message(
    message_id: str,
    when: str,
    *,
    chat: str | None = None,
    channel: str | None = None,
    sender_id: str | None = None,
    app: str | None = None,
    reply_to: str | None = None,
    text: str = "Sounds good, see you at the standup",
    **extra: Any,
) -> dict[str, Any]:
    """A chatMessage as Graph v1.0 returns it (all documented properties present)."""
    return {
        "id": message_id,
        "replyToId": reply_to,
        "etag": message_id,
        "messageType": "message",
        "createdDateTime": when,
        "lastModifiedDateTime": when,
        "lastEditedDateTime": None,
        "deletedDateTime": None,
        "subject": None,
        "summary": None,
        "chatId": chat,
        "importance": "normal",
        "locale": "en-us",
        "webUrl": None,
        "channelIdentity": {"teamId": TEAM, "channelId": channel} if channel else None,
        "policyViolation": None,
        "eventDetail": None,
        "from": sender(sender_id, app=app),
        "body": {"contentType": "html", "content": f"<div><p>{text}</p></div>"},
        "attachments": [],
        "mentions": [],
        "reactions": [],
        **extra,
    }


def page(context: str, messages: list[dict[str, Any]], next_link: str | None = None) -> dict[str, Any]:
    response: dict[str, Any] = {"@odata.context": f"{GRAPH}/$metadata#{context}", "@odata.count": len(messages)}
    if next_link:
        response["@odata.nextLink"] = next_link
    response["value"] = messages
    return response


def one_on_one_pages() -> list[dict[str, Any]]:
    """Page 1: Ana, then Bo (Ana likes it); page 2: Ana, a deleted message of Bo, a system event.
    Events: 3 messages (each to the other person, audience 1) + 1 reaction (Ana -> Bo)."""
    context = f"chats('{ONE_ON_ONE}')/messages"
    first = [
        chat_message("1616964509832", "2021-03-28T20:48:29.832Z", chat=ONE_ON_ONE, sender_id=ANA),
        chat_message(
            "1616964621000",
            "2021-03-28T20:50:21Z",
            chat=ONE_ON_ONE,
            sender_id=BO,
            reactions=[reaction(ANA, "2021-03-28T21:05:00.1234567Z")],
            text=SECRET,
        ),
    ]
    deleted = chat_message("1616965000000", "2021-03-29T08:00:00Z", chat=ONE_ON_ONE, sender_id=BO, text="")
    deleted["deletedDateTime"] = "2021-03-29T08:01:00Z"
    system = chat_message("1616965100000", "2021-03-29T08:10:00Z", chat=ONE_ON_ONE, text="<systemEventMessage/>")
    system.update(
        messageType="systemEventMessage",
        **{"from": None},
        eventDetail={
            "@odata.type": "#microsoft.graph.membersAddedEventMessageDetail",
            "visibleHistoryStartDateTime": "0001-01-01T00:00:00Z",
            "members": [{"id": BO, "displayName": None, "userIdentityType": "aadUser", "tenantId": TENANT}],
            "initiator": {"application": None, "device": None, "user": person(ANA)},
        },
    )
    second = [
        chat_message("1616964800000", "2021-03-29T07:40:00+00:00", chat=ONE_ON_ONE, sender_id=ANA),
        deleted,
        system,
    ]
    next_link = f"{GRAPH}/chats/{ONE_ON_ONE}/messages?$top=2&$skiptoken=M2UyZDAwMDAwMDMxMzkzYTMyMzM2"
    return [page(context, first, next_link), page(context, second)]


def group_chat_page() -> dict[str, Any]:
    """Ana mentions Dee; Bo writes (Cy reacts with a heart); the bot posts; an unknownFutureValue message.
    Participants seen, in order: Ana, Dee, Bo, Cy. Events: 3 messages (Ana -> Dee, Bo, Cy; Bo -> Ana, Dee,
    Cy; bot -> all four, by_bot), 1 mention (Ana -> Dee), 1 reaction (Cy -> Bo)."""
    future = chat_message("1700000003000", "2023-11-14T22:13:23Z", chat=GROUP, sender_id=BO)
    future["messageType"] = "unknownFutureValue"
    return page(
        f"chats('{GROUP}')/messages",
        [
            chat_message(
                "1700000000000",
                "2023-11-14T22:13:20Z",
                chat=GROUP,
                sender_id=ANA,
                mentions=[mention(0, DEE)],
                text='<at id="0">Dee</at> can you review the launch plan?',
            ),
            chat_message(
                "1700000001000",
                "2023-11-14T22:13:21Z",
                chat=GROUP,
                sender_id=BO,
                reactions=[reaction(CY, "2023-11-14T22:20:00Z", "heart")],
            ),
            chat_message("1700000002000", "2023-11-14T22:13:22Z", chat=GROUP, app=BOT, text="Standup in 5 minutes"),
            future,
        ],
    )


def channel_files() -> dict[str, object]:
    """Root (Ana, mentions Bo; Bo likes it, Ana likes her own) from /messages; replies from /replies:
    Bo (mentions Cy), Cy, Ana. Channel participants seen: Ana, Bo, Cy (audience 2 for everyone).
    Events: message Ana -> Bo; mention Ana -> Bo; reaction Bo -> Ana; replies Bo -> Ana, Cy; Cy -> Ana;
    Ana -> nobody; mention Bo -> Cy. One self-reaction skipped."""
    root = chat_message(
        "1616989510408",
        "2021-03-29T03:45:10.408Z",
        channel=CHANNEL,
        sender_id=ANA,
        subject="Launch retro",
        summary="Retro notes",
        mentions=[mention(0, BO)],
        reactions=[reaction(BO, "2021-03-29T04:00:00Z"), reaction(ANA, "2021-03-29T04:01:00Z", "laugh")],
        attachments=[{"id": "5e32f195", "contentType": "reference", "name": "retro-secret-plan.docx"}],
    )
    replies = [
        chat_message(
            "1616989753153",
            "2021-03-29T03:49:13.153Z",
            channel=CHANNEL,
            sender_id=BO,
            reply_to=root["id"],
            mentions=[mention(0, CY)],
        ),
        chat_message("1616990000000", "2021-03-29T03:53:20Z", channel=CHANNEL, sender_id=CY, reply_to=root["id"]),
        chat_message("1616990100000", "2021-03-29T03:55:00Z", channel=CHANNEL, sender_id=ANA, reply_to=root["id"]),
    ]
    channel_context = f"teams('{TEAM}')/channels('{CHANNEL.replace(':', '%3A').replace('@', '%40')}')"
    return {
        "channel/messages.json": page(f"{channel_context}/messages", [root]),
        "channel/replies.json": replies,  # a bare array of chatMessage objects
    }


def write_export(root: Path) -> Path:
    files: dict[str, object] = {
        "chats/one-on-one.json": one_on_one_pages(),  # a JSON array of two response pages
        "chats/group.json": group_chat_page(),
        **channel_files(),
    }
    for name, content in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(json.dumps(content, indent=2))
    return root


def run(session: Session, tmp_path: Path, path: Path, **options: Any) -> ImportSummary:
    return run_connector(
        session,
        org=ORG,
        connector=TeamsMessages.open(path, **options),
        source=SOURCE,
        file_name=path.name,
        events=EventStore(tmp_path / "events"),
        pseudonymiser=Pseudonymiser(b"k" * 32),
        quarantine_dir=tmp_path / "quarantine",
    )


def stored_rows(tmp_path: Path) -> list[dict[str, Any]]:
    con = duckdb.connect()
    try:
        table = EventStore(tmp_path / "events").read(ORG, con).to_arrow_table()
    finally:
        con.close()
    rank = {"message": 0, "reply": 0, "mention": 1, "reaction": 2}
    return sorted(table.to_pylist(), key=lambda r: (r["ts"], rank[r["kind"]], r["event_id"]))


def who(uid: str) -> str:
    return Pseudonymiser(b"k" * 32).identity(SOURCE, uid)


@pytest.fixture
def export(tmp_path: Path) -> Path:
    return write_export(tmp_path / "teams-export")


def test_counts_kinds_and_skips(session: Session, tmp_path: Path, export: Path) -> None:
    summary = run(session, tmp_path, export)

    assert summary.counts_by_kind == {"mention": 3, "message": 7, "reaction": 3, "reply": 3}
    assert summary.added == 16
    assert summary.skip_reasons == {
        "deleted message": 1,
        "systemEventMessage: not an interaction": 1,
        "unknownFutureValue: not an interaction": 1,
        "reaction to one's own message": 1,
    }
    assert summary.errors == []
    assert summary.bots == ["Standup Bot (Teams app)"]
    assert summary.unmatched == sorted(f"{name} (Teams)" for name in NAMES.values())


def _events(tmp_path: Path) -> list[tuple[str, str, tuple[str, ...], int, bool]]:
    return [(r["kind"], r["actor"], tuple(r["targets"]), r["audience"], r["by_bot"]) for r in stored_rows(tmp_path)]


def test_one_on_one_chat_over_two_pages(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "one-on-one.json"
    path.write_text(json.dumps(one_on_one_pages()))

    run(session, tmp_path, path)

    a, b = who(ANA), who(BO)
    assert _events(tmp_path) == [
        ("message", a, (b,), 1, False),
        ("message", b, (a,), 1, False),
        ("reaction", a, (b,), 1, False),
        ("message", a, (b,), 1, False),
    ]
    rows = stored_rows(tmp_path)
    assert str(rows[2]["ts"]).startswith("2021-03-28 21:05:00.123456")  # the reaction's own time
    assert len({r["channel"] for r in rows}) == 1
    assert {r["thread"] for r in rows} == {None}


def test_group_chat_targets_everyone_seen_and_bots_are_tools(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "group.json"
    path.write_text(json.dumps(group_chat_page()))

    summary = run(session, tmp_path, path)

    a, b, c, d, bot = who(ANA), who(BO), who(CY), who(DEE), who(f"app:{BOT}")
    assert _events(tmp_path) == [
        ("message", a, (d, b, c), 3, False),
        ("mention", a, (d,), 1, False),
        ("message", b, (a, d, c), 3, False),
        ("message", bot, (a, d, b, c), 4, True),
        ("reaction", c, (b,), 1, False),
    ]
    assert f"{CY} (Teams)" in summary.unmatched  # Graph reactions carry no displayName: the id labels Cy


def test_channel_thread_mentions_parent_and_audience(session: Session, tmp_path: Path) -> None:
    root = tmp_path / "channel-only"
    for name, content in channel_files().items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(json.dumps(content))

    run(session, tmp_path, root)

    a, b, c = who(ANA), who(BO), who(CY)
    assert _events(tmp_path) == [
        ("message", a, (b,), 2, False),
        ("mention", a, (b,), 1, False),
        ("reply", b, (a, c), 2, False),
        ("mention", b, (c,), 1, False),
        ("reply", c, (a,), 2, False),
        ("reply", a, (), 2, False),
        ("reaction", b, (a,), 1, False),
    ]
    rows = stored_rows(tmp_path)
    assert len({r["thread"] for r in rows}) == 1
    assert rows[0]["thread"] is not None


def test_importing_twice_adds_nothing(session: Session, tmp_path: Path, export: Path) -> None:
    first = run(session, tmp_path, export)
    again = run(session, tmp_path, export)

    assert (first.added, first.duplicates) == (16, 0)
    assert (again.added, again.duplicates) == (0, 16)
    assert len(stored_rows(tmp_path)) == 16


def test_the_same_message_in_two_files_counts_once(session: Session, tmp_path: Path, export: Path) -> None:
    (export / "chats" / "group-again.json").write_text(json.dumps([group_chat_page()]))

    summary = run(session, tmp_path, export)

    assert summary.added == 16
    assert summary.skip_reasons["same message in another file or page"] == 3  # the 4th has an unknown type


def test_conversation_from_odata_context_and_expanded_replies(session: Session, tmp_path: Path) -> None:
    root = chat_message("1", "2024-05-02T10:00:00Z", sender_id=ANA, mentions=[mention(0, BO)])
    root["replies"] = [chat_message("2", "2024-05-02T10:05:00Z", sender_id=BO, reply_to="1")]
    context = f"teams('{TEAM}')/channels('{CHANNEL}')/messages"  # no channelIdentity on the messages
    path = tmp_path / "expanded.json"
    path.write_text(json.dumps(page(context, [root])))

    summary = run(session, tmp_path, path)

    assert summary.counts_by_kind == {"mention": 1, "message": 1, "reply": 1}
    assert summary.errors == []


def test_bad_records_are_located_and_the_rest_goes_in(session: Session, tmp_path: Path, export: Path) -> None:
    (export / "broken.json").write_text('{"value": [{"id": "1", ')
    (export / "not-a-page.json").write_text('"hello"')
    no_time = chat_message("77", "2021-01-01T00:00:00Z", chat=GROUP, sender_id=ANA, text=SECRET)
    del no_time["createdDateTime"]
    nobody = chat_message("78", "2021-01-01T00:00:00Z", chat=GROUP, text=SECRET)
    nowhere = chat_message("79", "2021-01-01T00:00:00Z", sender_id=ANA)
    (export / "bad-messages.json").write_text(json.dumps([no_time, "text", nobody, nowhere]))

    summary = run(session, tmp_path, export)

    assert summary.added == 16
    assert sorted(summary.errors) == [
        "bad-messages.json, message 1, field 'createdDateTime': missing or invalid createdDateTime",
        "bad-messages.json, message 2: message is not a JSON object",
        "bad-messages.json, message 3, field 'from': message without a sender (from.user or from.application)",
        "bad-messages.json, message 4, field 'chatId': message without chatId or channelIdentity",
        "broken.json: unreadable file (not valid JSON)",
        "not-a-page.json: not a Graph response, array of responses or array of chatMessage objects",
    ]
    assert summary.quarantine_file is not None
    quarantined = summary.quarantine_file.read_text()
    assert "Quarterly" not in quarantined
    assert quarantined.count("\n") == 6


def test_window_limits_messages_and_reactions(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "one-on-one.json"
    path.write_text(json.dumps(one_on_one_pages()))
    from datetime import UTC, datetime

    summary = run_connector(
        session,
        org=ORG,
        connector=TeamsMessages.open(path),
        source=SOURCE,
        file_name=path.name,
        events=EventStore(tmp_path / "events"),
        pseudonymiser=Pseudonymiser(b"k" * 32),
        quarantine_dir=tmp_path / "q",
        window=(datetime(2021, 3, 28, 21, 0, tzinfo=UTC), datetime(2021, 3, 29, tzinfo=UTC)),
    )

    assert summary.counts_by_kind == {"reaction": 1}
    assert summary.skip_reasons["outside --since/--until"] == 3


def test_utf16_and_bom_files_are_read(session: Session, tmp_path: Path) -> None:
    text = json.dumps(group_chat_page())
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "utf16.json").write_bytes(text.encode("utf-16"))  # Windows PowerShell's Out-File
    (tmp_path / "in" / "bom.json").write_bytes(b"\xef\xbb\xbf" + text.encode())

    summary = run(session, tmp_path, tmp_path / "in")

    assert summary.added == 5
    assert summary.duplicates == 0
    assert summary.skip_reasons["same message in another file or page"] == 3


def test_open_and_sniff(tmp_path: Path, export: Path) -> None:
    assert sniff(export)
    assert sniff(export / "chats" / "group.json")
    slack_day = tmp_path / "2016-01-15.json"
    slack_day.write_text(json.dumps([{"type": "message", "ts": "1452845865.000008", "user": "U1", "text": "hi"}]))
    assert not sniff(slack_day)
    slack = tmp_path / "slack-export"
    (slack / "general").mkdir(parents=True)
    for name in ("users.json", "channels.json", "general/2016-01-15.json"):
        (slack / name).write_text("[]")
    assert not sniff(slack)
    assert not github_json.sniff(export)  # detection may ask GitHub first: it must not claim Teams files
    (tmp_path / "empty").mkdir()
    assert not sniff(tmp_path / "empty")
    assert not sniff(tmp_path / "missing.json")
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    assert not sniff(notes)
    with pytest.raises(InputFormatError, match="not Microsoft Graph JSON"):
        TeamsMessages.open(notes)
    with pytest.raises(InputFormatError, match="no .json files"):
        TeamsMessages.open(tmp_path / "empty")
    with pytest.raises(InputFormatError, match="cannot read"):
        TeamsMessages.open(tmp_path / "missing.json")


def test_parse_time() -> None:
    assert parse_time("2019-02-04T19:58:15.5115432Z") is not None
    assert str(parse_time("2021-03-29T05:45:10+02:00")) == "2021-03-29 03:45:10+00:00"
    assert parse_time("2021-03-29T03:45:10") is not None  # no zone: taken as UTC
    for bad in (None, 1616989510, "yesterday", "2021-13-45T00:00:00Z", "x" * 100):
        assert parse_time(bad) is None


def test_kinds_counted_per_kind(session: Session, tmp_path: Path, export: Path) -> None:
    run(session, tmp_path, export)
    by_kind = Counter((r["kind"], r["by_bot"]) for r in stored_rows(tmp_path))
    assert by_kind[("message", True)] == 1
    assert all(r["source"] == "teams" for r in stored_rows(tmp_path))


def test_rereading_files_instead_of_keeping_them_gives_the_same_events(
    session: Session, tmp_path: Path, export: Path
) -> None:
    (export / "bad.json").write_text(json.dumps([{"messageType": "message", "id": "1"}, 7]))
    kept = run(session, tmp_path / "kept", export)
    reread = run(session, tmp_path / "reread", export, cache_posts=1)  # only files of <= 1 message are kept
    assert (kept.added, kept.errors, kept.skip_reasons) == (reread.added, reread.errors, reread.skip_reasons)
    assert stored_rows(tmp_path / "kept") == stored_rows(tmp_path / "reread")
