"""The Slack connector on synthetic exports: targets and audience, threads, mentions, reactions, bots,
identities, quarantine, date windows and idempotence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select
from tests.ingest.builders import ORG, TEAM, Importer, WriteExport, msg, user

from teamweave.errors import InputFormatError
from teamweave.imports.models import Identity, ImportRun

USERS = [
    user("U1", "ana", "ana@acme.org"),
    user("U2", "bo", "bo@acme.org"),
    user("U3", "cy"),
    user("U4", "dee", "dee@elsewhere.org"),
    user("UB", "deploybot", is_bot=True),
]


def test_small_channel_message_targets_every_other_member(importer: Importer, write_export: WriteExport) -> None:
    ana = importer.add_person("ana@acme.org")
    root = write_export(
        USERS, {"general": ["U1", "U2", "U3"]}, {"general/2024-01-02.json": [msg("1704196800.000100", "U1")]}
    )

    summary = importer(root)

    (row,) = importer.rows()
    assert row["kind"] == "message"
    assert row["actor"] == ana.pseudonym == importer.pseudonymiser.person_of_email("ana@acme.org")
    cy = importer.pseudonymiser.identity("slack", f"{TEAM}:U3")
    assert set(row["targets"]) == {importer.pseudonymiser.identity("slack", f"{TEAM}:U2"), cy}
    assert row["audience"] == 2
    assert row["event_id"] == importer.pseudonymiser.event_id("slack", "C0:1704196800.000100")
    assert summary.added == 1
    assert "@cy (Slack U3)" in summary.unmatched


def test_large_channel_message_targets_mentions_and_counts_members(
    importer: Importer, write_export: WriteExport
) -> None:
    many = [user(f"U{i:03d}", f"user{i}") for i in range(60)]
    members = [u["id"] for u in many]
    text = "ping <@U005> and <@U007|user7>, and me <@U000>"
    root = write_export(
        many, {"all-hands": members}, {"all-hands/2024-01-02.json": [msg("1704196800.1", "U000", text)]}
    )

    summary = importer(root)

    rows = importer.rows()
    message = next(r for r in rows if r["kind"] == "message")
    mentions = [r for r in rows if r["kind"] == "mention"]
    u5, u7 = (importer.pseudonymiser.identity("slack", f"{TEAM}:U{i:03d}") for i in (5, 7))
    assert set(message["targets"]) == {u5, u7}
    assert message["audience"] == 59
    assert sorted(tuple(m["targets"]) for m in mentions) == sorted([(u5,), (u7,)])
    assert all(m["audience"] == 1 for m in mentions)
    assert summary.counts_by_kind == {"mention": 2, "message": 1}


def test_replies_target_parent_and_earlier_repliers(importer: Importer, write_export: WriteExport) -> None:
    day = [
        msg("100.000001", "U1", thread_ts="100.000001", reply_count=3),
        msg("101.000001", "U2", thread_ts="100.000001"),
        msg("102.000001", "U3", thread_ts="100.000001"),
        msg("103.000001", "U1", thread_ts="100.000001"),
    ]
    root = write_export(USERS, {"dev": ["U1", "U2", "U3", "U4"]}, {"dev/1970-01-01.json": day})

    importer(root)

    p = {u: importer.pseudonymiser.identity("slack", f"{TEAM}:{u}") for u in ("U1", "U2", "U3")}
    rows = importer.rows()
    assert [r["kind"] for r in rows] == ["message", "reply", "reply", "reply"]
    assert rows[1]["targets"] == [p["U1"]]
    assert rows[1]["audience"] == 1
    assert set(rows[2]["targets"]) == {p["U1"], p["U2"]}
    assert rows[2]["audience"] == 2
    assert set(rows[3]["targets"]) == {p["U2"], p["U3"]}
    assert rows[3]["audience"] == 2
    assert len({r["thread"] for r in rows}) == 1
    assert rows[0]["thread"] is not None


def test_reply_to_parent_outside_export_uses_parent_user_id(importer: Importer, write_export: WriteExport) -> None:
    day = [msg("200.000001", "U2", thread_ts="100.000001", parent_user_id="U1")]
    root = write_export(USERS, {"dev": ["U1", "U2"]}, {"dev/1970-01-01.json": day})
    importer(root)
    (row,) = importer.rows()
    assert row["targets"] == [importer.pseudonymiser.identity("slack", f"{TEAM}:U1")]


def test_reactions_and_bots(importer: Importer, write_export: WriteExport) -> None:
    reactions = [{"name": "tada", "users": ["U2", "U3", "U1"], "count": 3}]
    day = [
        msg("100.1", "U1", reactions=reactions),
        {"type": "message", "subtype": "bot_message", "bot_id": "B9", "username": "ci", "ts": "101.1", "text": "x"},
        msg("102.1", "UB", "deployed"),
        msg("103.1", "U2", "joined", subtype="channel_join"),
    ]
    root = write_export(USERS, {"dev": ["U1", "U2", "U3"]}, {"dev/1970-01-01.json": day})

    summary = importer(root)

    rows = importer.rows()
    u1 = importer.pseudonymiser.identity("slack", f"{TEAM}:U1")
    reacts = [r for r in rows if r["kind"] == "reaction"]
    assert len(reacts) == 2
    assert all(r["targets"] == [u1] and r["audience"] == 1 for r in reacts)
    assert summary.skip_reasons == {"reaction to one's own message": 1, "channel_join: not an interaction": 1}
    bot_rows = [r for r in rows if r["by_bot"]]
    assert {r["actor"] for r in bot_rows} == {
        importer.pseudonymiser.identity("slack", f"{TEAM}:B9"),
        importer.pseudonymiser.identity("slack", f"{TEAM}:UB"),
    }
    assert len(bot_rows) == 2
    bots = importer.session.execute(select(Identity).where(Identity.is_bot)).scalars().all()
    assert sorted(b.label for b in bots) == ["@deploybot (Slack UB, bot)", "bot ci (Slack B9)"]


def test_bad_records_are_quarantined_without_content(importer: Importer, write_export: WriteExport) -> None:
    secret = "the secret launch codes are 0000"
    days = {
        "dev/1970-01-01.json": [
            msg("100.1", "U1", secret),
            {"type": "message", "user": "U1", "text": secret},
            msg("101.1", "U999", secret),
            msg("102.1", None, secret),
        ],
        "dev/1970-01-02.json": '[{"type": "message", "text": "' + secret + '", ',
    }
    root = write_export(USERS, {"dev": ["U1", "U2"]}, days)

    summary = importer(root)

    assert summary.added == 1
    assert sorted(summary.errors) == [
        "dev/1970-01-01.json, message 2: missing or invalid ts",
        "dev/1970-01-01.json, message 3: user not in users.json",
        "dev/1970-01-01.json, message 4: message without a user",
        "dev/1970-01-02.json: unreadable day file (not valid JSON)",
    ]
    assert summary.quarantine_file is not None
    text = summary.quarantine_file.read_text()
    lines = [json.loads(line) for line in text.splitlines()]
    assert len(lines) == 4
    assert {"location", "reason", "source"} <= set(lines[0])
    assert "secret" not in text
    assert "launch" not in text
    assert "U999" not in text
    run = importer.session.get(ImportRun, summary.run_id)
    assert run is not None
    assert run.status == "done"
    assert run.skipped == 4
    assert len(run.errors) == 4


def test_email_match_and_later_match_resolves_identity(importer: Importer, write_export: WriteExport) -> None:
    root = write_export(USERS, {"dev": ["U1", "U4"]}, {"dev/1970-01-01.json": [msg("100.1", "U4")]})
    first = importer(root)
    assert "@dee (Slack U4)" in first.unmatched
    dee = importer.add_person("dee@elsewhere.org")

    second = importer(root)

    assert second.added == 0
    assert second.duplicates == 1
    assert "@dee (Slack U4)" not in second.unmatched
    row = importer.session.execute(select(Identity).where(Identity.label == "@dee (Slack U4)")).scalar_one()
    assert row.person_id == dee.id


def test_reimport_counts_nothing_twice_and_overlap(importer: Importer, write_export: WriteExport) -> None:
    day1 = [msg("100.1", "U1", "<@U2>"), msg("101.1", "U2", reactions=[{"name": "+1", "users": ["U1"]}])]
    day2 = [msg("90000.1", "U3")]
    first = write_export(USERS, {"dev": ["U1", "U2", "U3"]}, {"dev/1970-01-01.json": day1}, name="a")
    overlap = write_export(
        USERS, {"dev": ["U1", "U2", "U3"]}, {"dev/1970-01-01.json": day1, "dev/1970-01-02.json": day2}, name="b"
    )

    assert importer(first).added == 4
    assert importer(first).added == 0
    again = importer(overlap)
    assert (again.added, again.duplicates) == (1, 4)
    assert importer.events.count(ORG) == 5


def test_since_until_window(importer: Importer, write_export: WriteExport) -> None:
    days = {
        "dev/2024-01-01.json": [msg("1704110400.1", "U1")],
        "dev/2024-01-05.json": [msg("1704456000.1", "U1")],
        "dev/2024-03-01.json": [msg("1709294400.1", "U1")],
    }
    root = write_export(USERS, {"dev": ["U1", "U2"]}, days)
    from datetime import date

    summary = importer(root, since=date(2024, 1, 2), until=date(2024, 1, 31))

    assert summary.added == 1
    assert summary.skip_reasons == {"outside --since/--until": 1, "day file outside --since/--until (not read)": 1}


def test_not_a_slack_export_writes_nothing(importer: Importer, tmp_path: Path) -> None:
    folder = tmp_path / "nothing"
    folder.mkdir()
    (folder / "users.json").write_text("[]")
    with pytest.raises(InputFormatError):
        importer(folder)
    with pytest.raises(InputFormatError, match="channels.json is missing"):
        importer(folder, fmt="slack")
    (folder / "channels.json").write_text("{broken")
    with pytest.raises(InputFormatError, match="not valid JSON"):
        importer(folder)
    assert importer.session.execute(select(ImportRun)).first() is None
    assert not importer.events.has_events(ORG)
    assert not importer.quarantine_dir.exists()


def test_bot_user_with_profile_bot_id_is_one_identity(importer: Importer, write_export: WriteExport) -> None:
    aria = {**user("UAI", "aria", is_bot=True), "profile": {"real_name": "Aria", "bot_id": "BAI"}}
    day = [
        msg("100.1", "U1", "question"),
        msg("101.1", "UAI", "answer", bot_id="BAI"),
        {"type": "message", "subtype": "bot_message", "bot_id": "BAI", "ts": "102.1", "text": "ping"},
        msg("103.1", "U1", "posted through an app", bot_id="BAPP"),
    ]
    root = write_export([*USERS, aria], {"dm": ["U1", "UAI"]}, {"dm/1970-01-01.json": day})

    summary = importer(root)

    rows = importer.rows()
    aria_pseudonym = importer.pseudonymiser.identity("slack", f"{TEAM}:UAI")
    u1 = importer.pseudonymiser.identity("slack", f"{TEAM}:U1")
    assert [(r["actor"] == aria_pseudonym, r["by_bot"]) for r in rows] == [
        (False, False),
        (True, True),
        (True, True),
        (False, True),
    ]
    assert rows[0]["targets"] == [aria_pseudonym]
    assert rows[1]["targets"] == [u1]
    assert rows[3]["actor"] == importer.pseudonymiser.identity("slack", f"{TEAM}:BAPP")
    assert summary.bots == ["@aria (Slack UAI, bot)", "bot BAPP (Slack BAPP)"]
