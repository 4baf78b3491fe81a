"""E-mail (mbox, .mbox.gz, Maildir, Enron ``user/folder/N.``, .eml) -> ``email`` events, from headers only.

Rules (docs/connectors/email.md explains them):

- every message is one ``email`` event at its Date (UTC); actor = the first From address;
- the recipients are the distinct To + Cc + Bcc identities other than the sender; audience = their number;
  targets = their pseudonyms, except for a broadcast of more than :data:`MAX_TARGETS` recipients, which keeps
  its audience but lists no targets; a message with ``List-Id`` is list mail: its channel is the list;
- a message with no recipient but its sender is skipped with a counted reason;
- thread = the thread root (first References id, else In-Reply-To, else its own Message-ID), so a reply and
  the message it answers share a thread; A -> B then B -> A gives the tie in both directions (reciprocity);
- event_id from the Message-ID: the same message in ``sent`` and ``inbox``, or in two people's folders, is one
  event; without a Message-ID, from (sender, Date, sorted recipients);
- a message without a usable From or Date, with a header block over the size bound, or a corrupt file, is
  quarantined with its location (file, message index, line) and the rest goes on.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Final

from teamweave.errors import InputFormatError
from teamweave.ingest.context import ImportContext
from teamweave.ingest.email_headers import HeaderError, MailHeaders, header_fields, mail_headers
from teamweave.ingest.email_sources import (
    MESSAGE_SUFFIXES,
    MailFile,
    RawMessage,
    looks_like_mbox,
    looks_like_message,
    mail_files,
    mbox_messages,
    message_file,
)
from teamweave.ingest.identity import SourceIdentity
from teamweave.ingest.records import Interaction

SOURCE: Final = "email"
MAX_TARGETS: Final = 50
NO_RECIPIENTS: Final = "no recipient other than the sender"


def _single_file_kind(path: Path) -> str | None:
    try:
        if looks_like_mbox(path):
            return "mbox"
        if path.name.lower().endswith(MESSAGE_SUFFIXES) or looks_like_message(path):
            return "message"
    except OSError:
        return None
    return None


def sniff(path: Path) -> bool:
    """Cheap detection: an mbox (plain or gzip), an RFC 5322 message, or a folder holding mail files."""
    path = Path(path)
    try:
        if path.is_dir():
            return bool(mail_files(path, limit=1))
        return path.is_file() and _single_file_kind(path) is not None
    except OSError:
        return False


class EmailArchive:
    """One mbox / message file, or a folder of mail files (Maildir, Enron layout, .eml, mbox). Use :meth:`open`."""

    def __init__(self, root: Path, files: list[MailFile]) -> None:
        self.root = root
        self.files = files

    @classmethod
    def open(cls, path: Path) -> EmailArchive:
        """List what will be read; InputFormatError (nothing read) when the path holds no mail."""
        path = Path(path)
        if not path.exists():
            raise InputFormatError("no such file or folder", file=str(path))
        if path.is_dir():
            files = mail_files(path)
            if not files:
                raise InputFormatError(
                    "no mail files in this folder",
                    file=path.name,
                    hint="expected .mbox, .mbox.gz, .eml, Maildir cur/new folders or Enron numbered files",
                )
            return cls(path, files)
        kind = _single_file_kind(path)
        if kind == "mbox":
            return cls(path.parent, [MailFile(path=path, kind="mbox", name=path.name)])
        if kind == "message":
            return cls(path.parent, [MailFile(path=path, kind="message", name=path.name)])
        raise InputFormatError(
            "not an mbox file nor an e-mail message", file=path.name, hint="an mbox starts with a 'From ' line"
        )

    def close(self) -> None:
        """Nothing stays open between files."""

    def interactions(self, ctx: ImportContext) -> Iterator[Interaction]:
        """Events of every message of every file; bad messages are quarantined and the rest goes on."""
        sizes = [f.path.stat().st_size for f in self.files]
        ctx.progress.start("Reading mail", total=sum(sizes))
        for file, size in zip(self.files, sizes, strict=True):
            done = 0

            def advance(position: int) -> None:
                nonlocal done
                ctx.progress.advance(max(0, position - done))
                done = max(done, position)

            for raw in mbox_messages(file, advance) if file.kind == "mbox" else [message_file(file)]:
                event = self._event(raw, ctx)
                if event is not None:
                    yield event
            advance(size)
        ctx.progress.finish()

    def _event(self, raw: RawMessage, ctx: ImportContext) -> Interaction | None:
        if raw.error is not None:
            ctx.bad(location=raw.location, reason=raw.error, kind="email")
            return None
        fields = header_fields(raw.headers)
        try:
            headers = mail_headers(fields)
        except HeaderError as exc:
            ctx.bad(location=raw.location, reason=str(exc), kind="email", fields=sorted(fields))
            return None
        if not ctx.in_window(headers.ts):
            ctx.skip("outside the import window")
            return None
        recipients = [r for r in headers.recipients if r.raw_id != headers.sender.raw_id]
        if not recipients:
            ctx.skip(NO_RECIPIENTS)
            return None
        return _interaction(headers, recipients, ctx)


def _interaction(headers: MailHeaders, recipients: list[SourceIdentity], ctx: ImportContext) -> Interaction:
    pseudonymiser = ctx.pseudonymiser
    actor = ctx.identities.pseudonym(headers.sender)
    targets: tuple[str, ...] = ()
    if len(recipients) <= MAX_TARGETS:
        pseudonyms = (ctx.identities.pseudonym(r) for r in recipients)
        targets = tuple(dict.fromkeys(p for p in pseudonyms if p != actor))
    key = headers.message_id or _fallback_key(headers)
    return Interaction(
        org=ctx.org,
        event_id=pseudonymiser.event_id(SOURCE, key),
        source=SOURCE,
        kind="email",
        ts=headers.ts,
        actor=actor,
        targets=targets,
        audience=len(recipients),
        channel=pseudonymiser.channel(SOURCE, f"list:{headers.list_id}") if headers.list_id else None,
        thread=pseudonymiser.channel(SOURCE, headers.thread_root or key),
        by_bot=headers.sender.is_bot,
    )


def _fallback_key(headers: MailHeaders) -> str:
    """The id of a message without Message-ID: sender, Date and sorted recipients."""
    recipients = ",".join(sorted(r.raw_id for r in headers.recipients))
    return f"no-message-id\x1f{headers.sender.raw_id}\x1f{headers.ts.isoformat()}\x1f{recipients}"
