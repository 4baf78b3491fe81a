"""The e-mail connector end to end: Enron layout, .eml, dedupe, broadcasts, threads, bad dates, detection."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from teamweave.errors import InputFormatError
from teamweave.imports.models import Identity
from teamweave.imports.schemas import ImportSummary
from teamweave.ingest.email_export import NO_RECIPIENTS, SOURCE, EmailArchive, sniff
from teamweave.ingest.pipeline import run_connector
from teamweave.people.models import Person
from teamweave.privacy.pseudonym import Pseudonymiser
from teamweave.store.events import EventStore

ORG = "acme"
KEY = Pseudonymiser(b"k" * 32)


def mail(
    sender: str,
    to: str,
    *,
    mid: str | None = "<1@acme.org>",
    date: str = "Mon, 14 May 2001 16:39:00 -0700 (PDT)",
    extra: str = "",
) -> str:
    lines = [f"Message-ID: {mid}"] if mid else []
    lines += [f"Date: {date}", f"From: {sender}", f"To: {to}", "Subject: Quarterly numbers", extra]
    return "\n".join(line for line in lines if line) + "\n\nThe body is private.\n"


Run = Callable[..., ImportSummary]


@pytest.fixture
def run(session: Session, tmp_path: Path) -> Run:
    def run_import(path: Path) -> ImportSummary:
        return run_connector(
            session,
            org=ORG,
            connector=EmailArchive.open(path),
            source=SOURCE,
            file_name=path.name,
            events=EventStore(tmp_path / "events"),
            pseudonymiser=KEY,
            quarantine_dir=tmp_path / "q",
        )

    return run_import


def rows(tmp_path: Path) -> list[dict[str, Any]]:
    con = duckdb.connect()
    try:
        return list(EventStore(tmp_path / "events").read(ORG, con).order("ts, event_id").to_arrow_table().to_pylist())
    finally:
        con.close()


def person(session: Session, email: str) -> Person:
    row = Person(org=ORG, email=email, name="P", pseudonym=KEY.person_of_email(email), timezone="UTC")
    session.add(row)
    session.flush()
    return row


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def test_enron_maildir_same_message_in_two_folders_is_one_event(run: Run, session: Session, tmp_path: Path) -> None:
    allen = person(session, "phillip.allen@enron.com")
    first = mail('"Allen, Phillip K." <Phillip.Allen@enron.com>', "John Arnold/HOU/ECT@ECT, jsmith@austintx.com")
    reply = mail(
        "jsmith@austintx.com",
        "phillip.allen@enron.com",
        mid="<2@austin>",
        date="Tue, 15 May 2001 09:00:00 -0500",
        extra="In-Reply-To: <1@acme.org>",
    )
    root = write(
        tmp_path / "maildir",
        {"allen-p/sent/1.": first, "arnold-j/inbox/1.": first, "allen-p/inbox/1.": reply, "allen-p/notes.txt": "x"},
    )

    summary = run(root)

    assert (summary.read, summary.added, summary.duplicates) == (3, 2, 1)
    sent, answered = rows(tmp_path)
    smith = KEY.identity(SOURCE, "jsmith@austintx.com")
    arnold = KEY.identity(SOURCE, "john arnold/hou/ect@ect")
    assert sent["actor"] == allen.pseudonym
    assert sent["targets"] == [arnold, smith]
    assert sent["audience"] == 2
    assert sent["kind"] == answered["kind"] == "email"
    assert sent["ts"] == datetime(2001, 5, 14, 23, 39, tzinfo=UTC)
    assert (answered["actor"], answered["targets"]) == (smith, [allen.pseudonym])
    assert sent["thread"] == answered["thread"] == KEY.channel(SOURCE, "1@acme.org")
    assert sent["event_id"] == KEY.event_id(SOURCE, "1@acme.org")
    assert summary.unmatched == ["John Arnold/HOU/ECT@ECT (Lotus Notes name, no address)", "jsmith@austintx.com"]
    assert run(root).added == 0


def test_standard_maildir_and_eml_with_encoded_names(run: Run, session: Session, tmp_path: Path) -> None:
    encoded = "=?utf-8?q?Jos=C3=A9_Garc=C3=ADa?= <jose@acme.org>"
    root = write(
        tmp_path / "mail",
        {
            "box/cur/1700000000.M1.host:2,S": mail(encoded, "=?iso-8859-1?b?Qmr2cm4=?= <bjorn@acme.org>"),
            "box/new/1700000001.M2.host": mail("bjorn@acme.org", encoded, mid="<2@x>"),
            "box/tmp/1700000002.M3.host": mail("bjorn@acme.org", encoded, mid="<3@x>"),
            "single.eml": mail("GitHub <noreply@github.com>", encoded, mid="<4@x>"),
        },
    )
    summary = run(root)
    assert summary.added == 3
    assert summary.unmatched == ["Björn <bjorn@acme.org>", "José García <jose@acme.org>"]
    assert summary.bots == ["GitHub <noreply@github.com>"]
    labels = set(session.scalars(select(Identity.label)))
    assert "José García <jose@acme.org>" in labels
    assert [r["by_bot"] for r in rows(tmp_path)].count(True) == 1
    assert run(root / "single.eml").duplicates == 1


def test_broken_date_is_quarantined_with_its_location(run: Run, tmp_path: Path) -> None:
    good = "From MAILER-DAEMON Mon Apr 18 14:23:23 2022\n" + mail("a@acme.org", "b@acme.org") + "\n"
    broken = "From MAILER-DAEMON Mon Apr 18 14:23:23 2022\n" + mail("a@acme.org", "b@acme.org", date="soon") + "\n"
    path = tmp_path / "box.mbox"
    path.write_text(good + broken + good.replace("<1@", "<3@"))

    summary = run(path)

    assert summary.read == 2
    assert summary.errors == ["box.mbox, message 2 (line 10): unparseable Date header"]
    assert summary.quarantine_file is not None
    quarantined = summary.quarantine_file.read_text()
    assert "Quarterly" not in quarantined
    assert "private" not in quarantined
    assert '"fields": ["date", "from", "message-id", "to"]' in quarantined


def test_broadcasts_lists_self_mail_and_missing_message_id(run: Run, tmp_path: Path) -> None:
    crowd = ", ".join(f"p{i}@acme.org" for i in range(60))
    root = write(
        tmp_path / "mail",
        {
            "a/sent/1.": mail("a@acme.org", crowd),
            "a/sent/2.": mail("a@acme.org", "team@lists.acme.org", mid="<2@x>", extra="List-Id: <team.lists.acme.org>"),
            "a/sent/3.": mail("a@acme.org", "A@acme.org", mid="<3@x>"),
            "a/sent/4.": mail("a@acme.org", "b@acme.org, c@acme.org", mid=None),
            "b/inbox/4.": mail("a@acme.org", "c@acme.org, b@acme.org", mid=None),
        },
    )
    summary = run(root)
    assert summary.skip_reasons == {NO_RECIPIENTS: 1}
    assert (summary.added, summary.duplicates) == (3, 1)
    by_audience = {r["audience"]: r for r in rows(tmp_path)}
    assert by_audience[60]["targets"] == []
    assert by_audience[1]["channel"] == KEY.channel(SOURCE, "list:team.lists.acme.org")
    assert by_audience[1]["targets"] == [KEY.identity(SOURCE, "team@lists.acme.org")]
    assert by_audience[2]["thread"] is not None


def test_open_and_sniff(tmp_path: Path) -> None:
    (tmp_path / "cal.ics").write_text("BEGIN:VCALENDAR\nEND:VCALENDAR\n")
    (tmp_path / "notes.txt").write_text("hello\n")
    (tmp_path / "slack").mkdir()
    (tmp_path / "slack" / "users.json").write_text("[]")
    (tmp_path / "one.eml").write_text(mail("a@acme.org", "b@acme.org"))
    (tmp_path / "box").write_text("From x\n" + mail("a@acme.org", "b@acme.org"))
    assert [sniff(tmp_path / n) for n in ("cal.ics", "notes.txt", "slack", "missing")] == [False] * 4
    assert [sniff(tmp_path / n) for n in ("one.eml", "box", ".")] == [True] * 3
    for name in ("cal.ics", "notes.txt", "slack", "missing"):
        with pytest.raises(InputFormatError):
            EmailArchive.open(tmp_path / name)
    assert EmailArchive.open(tmp_path / "box").files[0].kind == "mbox"
