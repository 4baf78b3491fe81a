"""E-mail headers: only the nine fields are decoded; addresses, Notes names, RFC 2047, dates, ids, bots."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from teamweave.ingest.email_headers import (
    MAX_FIELD_CHARS,
    HeaderError,
    addresses,
    header_fields,
    is_bot_address,
    mail_headers,
    message_ids,
    parse_date,
)

BLOCK = (
    b"Message-ID: <1.2.JavaMail.evans@thyme>\r\n"
    b"Date: Mon, 23 Apr 2001 12:41:00 -0700 (PDT)\r\n"
    b"From: =?utf-8?q?Jos=C3=A9_Garc=C3=ADa?= <Jose@Acme.org>\r\n"
    b'To: "Allen, Phillip K." <phillip.allen@enron.com>,\r\n'
    b"\tJohn Arnold/HOU/ECT@ECT\r\n"
    b"Subject: Top secret merger\r\n"
    b"Cc: =?iso-8859-1?b?Qmr2cm4=?= <bjorn@acme.org>, jose@acme.org\r\n"
    b"Bcc: phillip.allen@enron.com\r\n"
    b"In-Reply-To: <parent@x>\r\n"
    b"References: <root@x> <parent@x>\r\n"
    b"X-Folder: \\secret\\folder\r\n"
)


def test_only_wanted_fields_are_decoded() -> None:
    fields = header_fields(BLOCK)
    assert set(fields) == {"message-id", "date", "from", "to", "cc", "bcc", "in-reply-to", "references"}
    assert fields["to"] == '"Allen, Phillip K." <phillip.allen@enron.com>, John Arnold/HOU/ECT@ECT'


def test_mail_headers() -> None:
    headers = mail_headers(header_fields(BLOCK))
    assert headers.sender.raw_id == "jose@acme.org"
    assert headers.sender.email == "jose@acme.org"
    assert headers.sender.label == "José García <jose@acme.org>"
    assert [r.raw_id for r in headers.recipients] == [
        "phillip.allen@enron.com",
        "john arnold/hou/ect@ect",
        "bjorn@acme.org",
        "jose@acme.org",
    ]
    notes = headers.recipients[1]
    assert notes.email is None
    assert notes.label == "John Arnold/HOU/ECT@ECT (Lotus Notes name, no address)"
    assert headers.recipients[0].label == "Allen, Phillip K. <phillip.allen@enron.com>"
    assert headers.recipients[2].label == "Björn <bjorn@acme.org>"
    assert headers.ts == datetime(2001, 4, 23, 19, 41, tzinfo=UTC)
    assert headers.message_id == "1.2.JavaMail.evans@thyme"
    assert headers.thread_root == "root@x"
    assert headers.list_id is None


def test_thread_root_falls_back_to_in_reply_to_then_own_id() -> None:
    reply = mail_headers(header_fields(BLOCK.replace(b"References: <root@x> <parent@x>\r\n", b"")))
    assert reply.thread_root == "parent@x"
    fresh = mail_headers(header_fields(BLOCK.replace(b"References", b"X-R").replace(b"In-Reply-To", b"X-I")))
    assert fresh.thread_root == "1.2.JavaMail.evans@thyme"


def test_list_id() -> None:
    headers = mail_headers(header_fields(BLOCK + b"List-Id: Team Chat <Team.lists.acme.org>\r\n"))
    assert headers.list_id == "team.lists.acme.org"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Tue, 24 Apr 2001 02:27:00 -0700 (PDT)", datetime(2001, 4, 24, 9, 27, tzinfo=UTC)),
        ("24 Apr 2001 02:27:00 -0000", datetime(2001, 4, 24, 2, 27, tzinfo=UTC)),
        ("Tue, 24 Apr 2001 02:27:00", datetime(2001, 4, 24, 2, 27, tzinfo=UTC)),
        ("Tue, 24 Apr 01 02:27 +0200", datetime(2001, 4, 24, 0, 27, tzinfo=UTC)),
    ],
)
def test_dates(value: str, expected: datetime) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["yesterday", "Tue, 99 Foo 2001 99:99:99 +0000", "", "Mon, 1 Jan 99999 00:00 +9999"])
def test_broken_dates(value: str) -> None:
    with pytest.raises(HeaderError):
        parse_date(value)


def test_missing_from_or_date() -> None:
    with pytest.raises(HeaderError, match="no From address"):
        mail_headers(header_fields(b"Date: Mon, 23 Apr 2001 12:41:00 -0700\r\nTo: a@x.org\r\n"))
    with pytest.raises(HeaderError, match="no Date header"):
        mail_headers(header_fields(b"From: a@x.org\r\nTo: b@x.org\r\n"))


def test_bots_and_ids() -> None:
    assert is_bot_address("noreply@github.com")
    assert is_bot_address("mailer-daemon@x.org")
    assert is_bot_address("notifications+abc@github.com")
    assert not is_bot_address("ana.noreply@x.org")
    assert addresses("GitHub <noreply@github.com>")[0].is_bot
    assert message_ids("<a@x>\r\n <b@x>") == ["a@x", "b@x"]
    assert message_ids("") == []
    assert addresses("undisclosed-recipients:;") == ()


def test_huge_header_values_are_bounded() -> None:
    many = ", ".join(f"p{i}@acme.org" for i in range(20_000)).encode()
    fields = header_fields(b"From: a@x.org\r\nTo: " + many + b"\r\n")
    assert len(fields["to"]) <= MAX_FIELD_CHARS
    assert 0 < len(addresses(fields["to"])) < 20_000


def test_deeply_nested_comments_are_a_header_error() -> None:
    with pytest.raises(HeaderError, match="unparseable Cc header"):
        mail_headers({"from": "a@x.org", "date": "Mon, 23 Apr 2001 12:41:00 -0700", "cc": "(" * 50_000})


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_garbage_headers_never_raise_anything_else(block: bytes) -> None:
    try:
        mail_headers(header_fields(block))
    except HeaderError:
        pass


HEADER_LINE = st.sampled_from([b"From", b"To", b"Cc", b"Bcc", b"Date", b"Message-ID", b"References", b"List-Id"])
TRICKY = st.sampled_from([b"(", b")", b'"', b"<", b">", b"@", b",", b";", b":", b"\\", b"=?utf-8?q?", b"?=", b"\xff"])
VALUE = st.one_of(st.binary(max_size=200), st.lists(TRICKY, max_size=400).map(b"".join))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(HEADER_LINE, VALUE), max_size=12))
def test_hostile_wanted_fields_never_raise_anything_else(lines: list[tuple[bytes, bytes]]) -> None:
    block = b"".join(name + b": " + value + b"\r\n" for name, value in lines)
    try:
        headers = mail_headers(header_fields(block))
    except HeaderError:
        return
    assert headers.ts.tzinfo is not None
    assert headers.sender.raw_id
