"""Synthetic import inputs of realistic shape and size, for ``bench/import_bench.py`` (seeded, deterministic).

Every writer streams to disk: nothing proportional to the output is held in memory, so a 2 GB mbox is written
with a few MB of RAM. Real data in ../shared/data is used where it exists (Slack, .ics, Enron mail); these
writers fill the gaps (GitHub and Teams JSON, generic CSV, a git history) and make the big mbox of the memory
benchmark.
"""

from __future__ import annotations

import csv
import gzip
import json
import random
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

START = datetime(2023, 1, 2, 8, 0, tzinfo=UTC)
SYLLABLES = ("an", "bo", "cy", "da", "el", "fi", "ga", "ho", "is", "ju", "ka", "lo", "mi", "no", "ol", "pa", "ri")
DOMAINS = ("acme.example", "partner.example", "supplier.example", "customer.example", "lists.example")
WORDS = (
    "the quarterly numbers look fine but we should review the forecast before the board meeting next week "
    "please send me the updated spreadsheet and the notes from the call with the vendor about the contract"
).split()


def _name(rng: random.Random) -> str:
    first = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).title()
    last = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).title()
    return f"{first} {last}"


def _bodies(rng: random.Random, count: int = 64) -> list[str]:
    """Plain-text bodies of 5..60 lines (some with a ``>From`` escaped line, as mboxrd writers produce)."""
    bodies = []
    for index in range(count):
        lines = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 13))) for _ in range(rng.randint(5, 60))]
        if index % 8 == 0:
            lines.insert(len(lines) // 2, ">From the desk of the CFO, as discussed")
        bodies.append("\n".join(lines) + "\n")
    return bodies


@dataclass(frozen=True)
class MboxStats:
    """What :func:`write_mbox` wrote."""

    messages: int
    bytes: int


class _People:
    """A pool of ``staff`` employees (skewed activity) and ``external`` addresses (uniform, many distinct)."""

    def __init__(self, rng: random.Random, *, staff: int, external: int) -> None:
        self.rng = rng
        self.staff = staff
        self.external = external

    def staff_address(self) -> str:
        index = min(int(self.rng.paretovariate(1.2)) - 1, self.staff - 1)
        index = (index * 7919 + self.rng.randrange(50)) % self.staff
        return f"employee{index}@acme.example"

    def any_address(self) -> str:
        if self.rng.random() < 0.55:
            return self.staff_address()
        index = self.rng.randrange(self.external)
        return f"contact{index}@{DOMAINS[1 + index % 4].replace('.example', f'{index % 997}.example')}"

    def named(self, address: str) -> str:
        if self.rng.random() < 0.3:
            return address
        return f'"{_name(self.rng)}" <{address}>'


def _mail_date(when: datetime) -> str:
    return when.strftime("%a, %d %b %Y %H:%M:%S +0000")


def _message(rng: random.Random, people: _People, index: int, when: datetime, body: str) -> str:
    sender = people.staff_address()
    recipients = [people.any_address() for _ in range(rng.choice((1, 1, 1, 2, 2, 3, 4, 6)))]
    cc = [people.any_address() for _ in range(rng.choice((0, 0, 0, 1, 2)))]
    host = f"mx{index % 7}.acme.example"
    date = _mail_date(when)
    lines = [
        f"From MAILER-DAEMON {when.strftime('%a %b %d %H:%M:%S %Y')}",
        f"Return-Path: <{sender}>",
        f"Received: from {host} ({host} [10.{index % 250}.{index % 199}.{index % 97}]) by mail.acme.example "
        f"(Postfix) with ESMTPS id {index:012X}; {date}",
        f"Received: from workstation{index % 5000}.acme.example by {host} (8.14.4/8.14.4); {date}",
        f"Message-ID: <{index}.{rng.getrandbits(48):012x}.JavaMail@acme.example>",
        f"Date: {date}",
        f"From: {people.named(sender)}",
        f"To: {', '.join(people.named(a) for a in recipients)}",
    ]
    if cc:
        lines.append(f"Cc: {', '.join(people.named(a) for a in cc)}")
    lines.append(f"Subject: Re: {' '.join(rng.choice(WORDS) for _ in range(5))}")
    if index > 10 and rng.random() < 0.4:
        parent = f"<{rng.randrange(index)}.0@acme.example>"
        lines += [f"In-Reply-To: {parent}", f"References: {parent}"]
    lines += [
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=us-ascii",
        "Content-Transfer-Encoding: 7bit",
        "X-Mailer: Lotus Notes Release 5.0.8",
        f"X-Folder: \\Employee{index % 150}_Jun2001\\Notes Folders\\Sent",
        "",
        body,
    ]
    return "\n".join(lines) + "\n"


def write_mbox(
    path: Path, size_bytes: int, *, external: int = 1_000_000, staff: int = 20_000, seed: int = 1
) -> MboxStats:
    """An mbox of about ``size_bytes``: messages in date order over two years, 1..6 To and 0..2 Cc each, from
    ``staff`` employees to them and to ``external`` addresses (uniform: most appear once or twice)."""
    rng = random.Random(seed)
    people = _People(rng, staff=staff, external=external)
    bodies = _bodies(rng)
    written = index = 0
    step = timedelta(days=730) / max(1, size_bytes // 2_500)
    with open(path, "w", encoding="ascii", newline="\n", buffering=1 << 20) as out:
        while written < size_bytes:
            text = _message(rng, people, index, START + step * index, rng.choice(bodies))
            out.write(text)
            written += len(text)
            index += 1
    return MboxStats(messages=index, bytes=written)


def write_maildir_from_mbox(mbox_gz_folder: Path, root: Path, *, limit: int | None = None) -> int:
    """The Enron ``mbox.gz`` files as Enron ``user/folder/N.`` message files (one file a message); returns
    how many were written. Messages are split on the mbox ``From`` separator as the files were written."""
    written = 0
    for source in sorted(mbox_gz_folder.glob("*.mbox.gz")):
        user, _, folder = source.name.removeprefix("enron.").removesuffix(".mbox.gz").partition(".")
        target = root / user / (folder or "sent")
        target.mkdir(parents=True, exist_ok=True)
        number, lines = 0, list[bytes]()
        with gzip.open(source) as stream:
            for line in stream:
                if line.startswith(b"From ") and (not lines or lines[-1] in (b"\n", b"\r\n")):
                    if lines:
                        number += 1
                        (target / f"{number}.").write_bytes(b"".join(lines))
                    lines = []
                    continue
                lines.append(line[1:] if line.startswith(b">From ") else line)
        if lines:
            number += 1
            (target / f"{number}.").write_bytes(b"".join(lines))
        written += number
        if limit is not None and written >= limit:
            break
    return written


def _iso(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def write_csv(path: Path, rows: int, *, people: int = 5_000, seed: int = 2) -> Path:
    """Generic CSV events (docs/connectors/csv.md): messages, meetings, reviews among ``people`` addresses,
    with an ``id`` and a ``text`` column (the connector must not read it)."""
    rng = random.Random(seed)
    kinds = ("message", "message", "reply", "meeting", "call", "review", "mention")
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(("ts", "source", "kind", "actor", "targets", "audience", "duration", "channel", "id", "text"))
        for index in range(rows):
            kind = rng.choice(kinds)
            targets = ";".join(f"p{rng.randrange(people)}@acme.example" for _ in range(rng.randint(1, 5)))
            duration = str(rng.choice((900, 1800, 3600))) if kind in {"meeting", "call"} else ""
            when = START + timedelta(seconds=index * 97)
            channel = f"#team-{rng.randrange(300)}"
            text = " ".join(rng.choice(WORDS) for _ in range(12))
            actor = f"p{rng.randrange(people)}@acme.example"
            writer.writerow((_iso(when), "", kind, actor, targets, "", duration, channel, f"row-{index}", text))
    return path


def _gh_user(login: str) -> dict[str, Any]:
    uid = abs(hash(login)) % 10_000_000
    return {
        "login": login,
        "id": uid,
        "node_id": f"MDQ6VXNlcj{uid}",
        "avatar_url": f"https://avatars.githubusercontent.com/u/{uid}?v=4",
        "url": f"https://api.github.com/users/{login}",
        "html_url": f"https://github.com/{login}",
        "type": "Bot" if login.endswith("[bot]") else "User",
        "site_admin": False,
    }


def _pull(api: str, number: int, login: str, when: datetime) -> dict[str, Any]:
    return {
        "url": f"{api}/pulls/{number}",
        "id": 1_000_000 + number,
        "number": number,
        "state": "closed",
        "title": "Refactor the forecast model",
        "user": _gh_user(login),
        "body": "This change moves the valuation code. " * 5,
        "created_at": _iso(when),
        "head": {"label": "acme:feature", "ref": "feature", "sha": "a" * 40},
        "base": {"label": "acme:main", "ref": "main", "sha": "b" * 40},
        "author_association": "MEMBER",
    }


def _review(api: str, number: int, rid: int, login: str, when: datetime) -> dict[str, Any]:
    return {
        "id": rid,
        "user": _gh_user(login),
        "body": "Looks good, one nit.",
        "state": "APPROVED",
        "pull_request_url": f"{api}/pulls/{number}",
        "submitted_at": _iso(when),
        "commit_id": "c" * 40,
    }


def _comment(api: str, number: int, cid: int, login: str, when: datetime, *, review: bool) -> dict[str, Any]:
    base = {"id": cid, "user": _gh_user(login), "body": "Why not reuse the helper?", "created_at": _iso(when)}
    if review:
        return {**base, "pull_request_url": f"{api}/pulls/{number}", "diff_hunk": "@@ -1,3 +1,3 @@", "path": "a.py"}
    return {**base, "issue_url": f"{api}/issues/{number}"}


def write_github(root: Path, pulls: int, *, people: int = 400, seed: int = 3) -> Path:
    """A folder of GitHub REST JSON (pulls, reviews, review and issue comments) for one repository, in
    ``gh api --paginate`` pages of 100 objects back to back."""
    rng = random.Random(seed)
    api = "https://api.github.com/repos/acme/widgets"
    logins = [f"dev{i}" for i in range(people)] + ["dependabot[bot]"]
    root.mkdir(parents=True, exist_ok=True)
    files = {name: open(root / f"{name}.json", "w") for name in ("pulls", "reviews", "review-comments", "comments")}
    pages: dict[str, list[dict[str, Any]]] = {name: [] for name in files}

    def put(name: str, item: dict[str, Any]) -> None:
        pages[name].append(item)
        if len(pages[name]) == 100:
            json.dump(pages[name], files[name])
            pages[name] = []

    ids = iter(range(10_000_000, 99_000_000))
    for number in range(1, pulls + 1):
        when = START + timedelta(hours=number)
        author = rng.choice(logins)
        put("pulls", _pull(api, number, author, when))
        for _ in range(rng.randint(0, 3)):
            put("reviews", _review(api, number, next(ids), rng.choice(logins), when + timedelta(hours=2)))
        for _ in range(rng.randint(0, 4)):
            review = rng.random() < 0.6
            name = "review-comments" if review else "comments"
            put(name, _comment(api, number, next(ids), rng.choice(logins), when + timedelta(hours=3), review=review))
    for name, handle in files.items():
        if pages[name]:
            json.dump(pages[name], handle)
        handle.close()
    return root


def _teams_message(chat: str, mid: int, uid: str, when: datetime, mention: str | None) -> dict[str, Any]:
    user = {"@odata.type": "#microsoft.graph.teamworkUserIdentity", "id": uid, "displayName": f"User {uid[:8]}"}
    mentions = []
    if mention:
        mentioned = {"user": {"id": mention, "displayName": f"User {mention[:8]}", "userIdentityType": "aadUser"}}
        mentions = [{"id": 0, "mentionText": "you", "mentioned": mentioned}]
    return {
        "id": str(mid),
        "replyToId": None,
        "etag": str(mid),
        "messageType": "message",
        "createdDateTime": when.strftime("%Y-%m-%dT%H:%M:%S.%f0Z"),
        "lastModifiedDateTime": when.strftime("%Y-%m-%dT%H:%M:%S.%f0Z"),
        "deletedDateTime": None,
        "subject": None,
        "summary": None,
        "chatId": chat,
        "importance": "normal",
        "locale": "en-us",
        "webUrl": None,
        "channelIdentity": None,
        "policyViolation": None,
        "eventDetail": None,
        "from": {"application": None, "device": None, "user": user},
        "body": {"contentType": "html", "content": "<p>" + "the forecast looks fine " * 6 + "</p>"},
        "attachments": [],
        "mentions": mentions,
        "reactions": [],
    }


def write_teams(root: Path, messages: int, *, chats: int = 2_000, people: int = 3_000, seed: int = 4) -> Path:
    """Teams Graph chat pages (50 messages a page, one page a file) over ``chats`` group chats of 2..8 people."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    users = [f"{rng.getrandbits(128):032x}" for _ in range(people)]
    members = [rng.sample(users, rng.randint(2, 8)) for _ in range(chats)]
    for page_no, first in enumerate(range(0, messages, 50)):
        chat_no = page_no % chats
        chat = f"19:{chat_no:08x}@thread.v2"
        page = []
        for mid in range(first, min(first + 50, messages)):
            who = members[chat_no]
            mention = rng.choice(who) if rng.random() < 0.2 else None
            page.append(_teams_message(chat, mid, rng.choice(who), START + timedelta(minutes=mid), mention))
        response = {
            "@odata.context": f"https://graph.microsoft.com/v1.0/$metadata#chats('{chat}')/messages",
            "value": page,
        }
        (root / f"chat-{chat_no}.page-{page_no}.json").write_text(json.dumps(response))
    return root


def write_git(root: Path, commits: int, *, people: int = 300, seed: int = 5) -> Path:
    """A git repository of ``commits`` commits (made with ``git fast-import``), about half with
    Co-authored-by / Reviewed-by trailers."""
    rng = random.Random(seed)
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    process = subprocess.Popen(["git", "-C", str(root), "fast-import", "--quiet"], stdin=subprocess.PIPE, text=True)
    assert process.stdin is not None
    _fast_import(process.stdin, rng, commits, people)
    process.stdin.close()
    if process.wait() != 0:
        raise RuntimeError("git fast-import failed")
    return root


def _fast_import(out: TextIO, rng: random.Random, commits: int, people: int) -> None:
    def who() -> str:
        n = rng.randrange(people)
        return f"Dev {n} <dev{n}@acme.example>"

    for index in range(commits):
        when = int((START + timedelta(minutes=17 * index)).timestamp())
        trailers = [f"Co-authored-by: {who()}" for _ in range(rng.choice((0, 0, 1, 2)))]
        trailers += [f"Reviewed-by: {who()}" for _ in range(rng.choice((0, 0, 1)))]
        message = f"Change {index}: tune the forecast\n\nLonger explanation of the change.\n"
        if trailers:
            message += "\n" + "\n".join(trailers) + "\n"
        data = message.encode()
        content = f"line {index}\n"
        out.write(f"commit refs/heads/main\nmark :{index + 1}\ncommitter {who()} {when} +0000\n")
        out.write(f"data {len(data)}\n{message}\n")
        if index:
            out.write(f"from :{index}\n")
        out.write(f"M 100644 inline file{index % 50}.txt\ndata {len(content)}\n{content}\n")
