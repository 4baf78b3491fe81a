"""Reading mail files: mbox splitting (plain and gzip), Maildir / Enron / .eml listing, bounds, bad files."""

from __future__ import annotations

import gzip
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from teamweave.ingest.email_sources import (
    MAX_HEADER_BYTES,
    MailFile,
    looks_like_mbox,
    looks_like_message,
    mail_files,
    mbox_messages,
    message_file,
)

SAMPLE = "enron-mbox-sent-folders/sample/enron.allen-p._sent_mail.mbox"


def _message(n: int, body: bytes = b"Hello\n") -> bytes:
    return (
        (
            f"From MAILER-DAEMON Mon Apr 18 14:23:23 2022\nMessage-ID: <{n}@x>\nFrom: a@x.org\nTo: b@x.org\n"
            f"Subject: s{n}\n\n"
        ).encode()
        + body
        + b"\n"
    )


def _mbox(tmp_path: Path, content: bytes, name: str = "box.mbox") -> MailFile:
    path = tmp_path / name
    path.write_bytes(gzip.compress(content) if name.endswith(".gz") else content)
    return MailFile(path=path, kind="mbox", name=name)


def test_split_only_on_from_lines_after_a_blank_line(tmp_path: Path) -> None:
    body = b"line\nFrom here on, not a separator\n\n>From escaped\n"
    file = _mbox(tmp_path, _message(1, body) + _message(2) + _message(3, b""))
    messages = list(mbox_messages(file))
    assert [m.location for m in messages] == [
        "box.mbox, message 1 (line 1)",
        "box.mbox, message 2 (line 12)",
        "box.mbox, message 3 (line 20)",
    ]
    assert all(m.error is None for m in messages)
    assert b"Subject: s1" in messages[0].headers
    assert b"line" not in b"".join(m.headers for m in messages)


def test_gzip_is_recognised_by_content_and_truncation_is_one_error(tmp_path: Path) -> None:
    content = b"".join(_message(i, b"x" * 5000 + b"\n") for i in range(50))
    file = _mbox(tmp_path, content, "box.mbox.gz")
    assert looks_like_mbox(file.path)
    assert len(list(mbox_messages(file))) == 50
    file.path.write_bytes(file.path.read_bytes()[:-100])
    messages = list(mbox_messages(file))
    assert messages[-1].error is not None
    assert messages[-1].error.startswith("corrupt or truncated file")
    assert len(messages) >= 30


def test_not_an_mbox_and_oversized_headers(tmp_path: Path) -> None:
    (bad,) = list(mbox_messages(_mbox(tmp_path, b"\n\nhello world\nFrom x\n")))
    assert bad.error == "not an mbox file"
    assert bad.location == "box.mbox, line 3"
    huge = b"From x\nTo: " + b"a" * (MAX_HEADER_BYTES * 2) + b"\n\nbody\n\n"
    messages = list(mbox_messages(_mbox(tmp_path, huge + _message(2), "huge.mbox")))
    assert messages[0].error is not None
    assert messages[0].error.startswith("header block larger than")
    assert messages[0].headers == b""
    assert messages[1].error is None


def test_listing_maildir_enron_and_eml(tmp_path: Path) -> None:
    for name in ("allen-p/sent/1.", "allen-p/inbox/12.", "box/cur/1700000000.M1.host:2,S", "box/new/17.host"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"From: a@x.org\n")
    (tmp_path / "box/tmp").mkdir()
    (tmp_path / "box/tmp/partial").write_bytes(b"From: a@x.org\n")
    (tmp_path / "a.eml").write_bytes(b"From: a@x.org\n")
    (tmp_path / "old.mbox.gz").write_bytes(gzip.compress(_message(1)))
    (tmp_path / "notes.txt").write_bytes(b"From: a@x.org\n")
    found = {(f.name, f.kind) for f in mail_files(tmp_path)}
    assert found == {
        ("a.eml", "message"),
        ("allen-p/inbox/12.", "message"),
        ("allen-p/sent/1.", "message"),
        ("box/cur/1700000000.M1.host:2,S", "message"),
        ("box/new/17.host", "message"),
        ("old.mbox.gz", "mbox"),
    }
    assert len(mail_files(tmp_path, limit=1)) == 1


def test_message_file(tmp_path: Path) -> None:
    path = tmp_path / "1."
    path.write_bytes(b"From MAILER-DAEMON x\r\nMessage-ID: <1@x>\r\nFrom: a@x.org\r\n\r\nbody text\r\n")
    assert looks_like_mbox(path)
    message = message_file(MailFile(path=path, kind="message", name="u/sent/1."))
    assert message.error is None
    assert message.headers == b"Message-ID: <1@x>\r\nFrom: a@x.org\r\n"
    path.write_bytes(b"Received: from x\r\n")
    assert looks_like_message(path)
    assert not looks_like_mbox(path)
    path.write_bytes(b"")
    assert message_file(MailFile(path=path, kind="message", name="1.")).error == "no header block"


def test_real_sample_splits_like_the_manifest(shared_data: Path) -> None:
    file = MailFile(path=shared_data / SAMPLE, kind="mbox", name="sample")
    messages = list(mbox_messages(file))
    assert len(messages) == 602
    assert all(m.error is None and m.headers.startswith(b"Message-ID: <") for m in messages)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    parts=st.lists(
        st.one_of(
            st.binary(max_size=300),
            st.sampled_from([b"From x\n", b"\n", b"\r\n", b"From: a@x\n", b"To: b@x\n", b"\nFrom ", b"\x1f\x8b"]),
        ),
        max_size=30,
    ),
    cut=st.integers(min_value=0, max_value=2000),
    compress=st.booleans(),
)
def test_hostile_mbox_bytes_never_raise(tmp_path: Path, parts: list[bytes], cut: int, compress: bool) -> None:
    content = b"From x\n" + b"".join(parts)
    data = gzip.compress(content) if compress else content
    path = tmp_path / "h.mbox"
    path.write_bytes(data[: max(cut, 2)])
    for message in mbox_messages(MailFile(path=path, kind="mbox", name="h.mbox")):
        assert len(message.headers) <= MAX_HEADER_BYTES
    message_file(MailFile(path=path, kind="message", name="h.mbox"))
