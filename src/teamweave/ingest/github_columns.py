"""A page of GitHub objects of one usual shape, read column by column (``gh api`` pages hold 30 to 100 objects of
one endpoint).

A page is read here when every object is a dict of the first one's shape (the keys ``shape_of`` looks at are
present or absent in all of them alike) and every field the record path checks is plain in all of them: ids
ints in range, users dicts with a valid login (as ``user_of`` reads it) and a string or no ``type``, pull
request or issue urls that ``parent_key`` reads from the API url, times of the form ``YYYY-MM-DDTHH:MM:SSZ`` on
a day that exists, ``in_reply_to_id`` empty or an id. Each check is one pass over a column in C (``map`` over
the dicts, one regular expression over the joined times), logins and urls looked up once per distinct value
(:class:`Codes`: pull requests / issues and users as small ints for the whole read). Such a page's outcomes are
exactly what the record path makes of its objects one by one: events for the reviews and comments, a skip for
each pull request or issue, whose authors are learned in order. Any other page is read object by object
(:class:`~teamweave.ingest.github_scan.BlockScan`).
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from itertools import repeat
from operator import contains, itemgetter
from typing import TYPE_CHECKING, Any, Final

from teamweave.ingest.github_json import _API_URL, _LOGIN, Key, Login, shape_of, user_of
from teamweave.ingest.identity import CACHE_LIMIT

if TYPE_CHECKING:
    from teamweave.ingest.github_scan import BlockScan

SHAPES: Final = ("review", "review_comment", "issue_comment")
"""Event rows' shape codes: an index in this tuple."""
REVIEW, REVIEW_COMMENT, ISSUE_COMMENT = 0, 1, 2
IGNORED: Final = "not a pull request, review or comment (ignored)"
PULL_OR_ISSUE: Final = "pull request or issue (its author is recorded, not an interaction)"
MAX_ID: Final = 2**63
_TIME: Final = (  # what timestamp() reads as this instant, as Arrow's cast does (if the day exists)
    r"[12][0-9]{3}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]Z"
)
_TIMES: Final = re.compile(rf"(?:{_TIME}\n)*").fullmatch
_LATE_DAY: Final = re.compile(r"-(?:29|3[01])T").search
_NUMBERS: Final = re.compile(r"(?:[0-9]+\n)*").fullmatch


def _day_exists(text: str) -> bool:
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


def plain_times(times: list[str]) -> bool:
    """Whether every text is a time ``YYYY-MM-DDTHH:MM:SSZ`` on a day that exists (days 29 to 31 asked).

    One match over the texts joined by newlines; a text holding a newline itself adds one, so is refused."""
    joined = "\n".join(times) + "\n"
    if joined.count("\n") != len(times) or _TIMES(joined) is None:
        return False
    if _LATE_DAY(joined) is None:
        return True
    return all(_day_exists(text) for text in times if text[8:10] in ("29", "30", "31"))


@dataclass
class Codes:
    """Parents (repository, number) and users (Login) as small ints, and their caches, for a whole read."""

    parents: list[Key]
    parent_code: dict[Key, int]
    logins: list[Login]
    login_code: dict[tuple[str, bool], int]
    urls: dict[str, int]
    users: dict[tuple[str, str | None], int]
    prefixes: dict[str, str]
    """An API url up to its last ``/`` -> its repository, where ``_API_URL`` found the number right after it."""
    parent_authors: list[int]
    """The second pass's: each parent's author code (-1: unknown), filled as parents are met."""
    repo_names: list[str | None]
    """The second pass's: each parent's repository pseudonym, once needed."""
    thread_names: list[str | None]
    """The second pass's: each parent's thread (pull request or issue) pseudonym, once needed."""

    @classmethod
    def empty(cls) -> Codes:
        return cls([], {}, [], {}, {}, {}, {}, [], [], [])

    def parent(self, key: Key) -> int:
        code = self.parent_code.get(key)
        if code is None:
            code = self.parent_code[key] = len(self.parents)
            self.parents.append(key)
        return code

    def login(self, user: Login) -> int:
        key = (user.login, user.bot)  # a tuple hashes in C, a dataclass in Python
        code = self.login_code.get(key)
        if code is None:
            code = self.login_code[key] = len(self.logins)
            self.logins.append(user)
        return code

    def api_url(self, url: str) -> int:
        """The parent code of a ``.../repos/O/R/pulls|issues/N`` url (as ``parent_key`` reads it), -1 when none."""
        code = self.urls.get(url)
        if code is not None:
            return code
        if len(url) >= 2000:
            return -1
        head, _, number = url.rpartition("/")
        plain_number = number.isascii() and number.isdigit()
        repo = self.prefixes.get(head) if plain_number else None
        if repo is not None:
            key = (repo, int(number[:18]))
        else:
            match = _API_URL.search(url)
            if match is None:
                return -1
            key = (match[1].lower(), int(match[2][:18]))
            if plain_number and match.start(2) == len(head) + 1 and match.end(2) == len(url):
                self.prefixes[head] = key[0]  # the same match after it with any ASCII number instead
        if len(self.urls) >= CACHE_LIMIT:
            self.urls.clear()
            self.prefixes.clear()
        code = self.urls[url] = self.parent(key)
        return code

    def api_urls(self, urls: list[str], found: list[int | None]) -> bool:
        """Fill in the parent codes ``found`` lacks (None) for ``urls``; False when a url is not an API url.
        :meth:`api_url` inlined for the usual url: a known prefix (repository) and an ASCII number."""
        prefixes, parent_code, parents, cache = self.prefixes, self.parent_code, self.parents, self.urls
        for index, code in enumerate(found):
            if code is not None:
                continue
            url = urls[index]
            head, _, number = url.rpartition("/")
            repo = prefixes.get(head)
            if repo is None or len(url) >= 2000 or not (number.isascii() and number.isdigit()):
                code = self.api_url(url)
                if code < 0:
                    return False
            else:
                key = (repo, int(number[:18]))
                code = parent_code.get(key)
                if code is None:
                    code = parent_code[key] = len(parents)
                    parents.append(key)
                if len(cache) >= CACHE_LIMIT:
                    cache.clear()
                cache[url] = code
            found[index] = code
        return True

    def user(self, user: dict[str, Any]) -> int:
        """The login code of a ``user`` object as ``user_of`` reads it, -1 when it is not a plain valid user."""
        login, kind = user.get("login"), user.get("type")
        if type(login) is not str or (kind is not None and type(kind) is not str):
            return -1
        code = self.users.get((login, kind))
        if code is None:
            if _LOGIN.match(login) is None:
                return -1
            if len(self.users) >= CACHE_LIMIT:
                self.users.clear()
            found = user_of({"user": user})
            assert found is not None
            code = self.users[(login, kind)] = self.login(found)
        return code


MIN_PAGE: Final = 8
"""Smaller pages are read object by object (the column passes cost more than they save)."""


def _get(items: list[dict[str, Any]], key: str) -> list[Any]:
    return list(map(dict.get, items, repeat(key)))


def _has(items: list[dict[str, Any]], key: str) -> bool:
    return all(map(contains, items, repeat(key)))


def _lacks(items: list[dict[str, Any]], key: str) -> bool:
    return not any(map(contains, items, repeat(key)))


def _same_shape(items: list[dict[str, Any]], shape: str) -> bool:
    """Whether ``shape_of`` gives every object ``shape`` by the same keys (an issue's url is checked later)."""
    if shape == "review":
        return (
            _has(items, "pull_request_url")
            and _lacks(items, "diff_hunk")
            and _lacks(items, "path")
            and (_has(items, "state") or _has(items, "submitted_at"))
        )
    if shape == "review_comment":
        return _has(items, "pull_request_url") and (_has(items, "diff_hunk") or _has(items, "path"))
    if shape == "issue_comment":
        return _lacks(items, "pull_request_url") and _lacks(items, "number") and _has(items, "issue_url")
    if shape == "pull":
        return (
            _lacks(items, "pull_request_url") and _has(items, "number") and (_has(items, "head") or _has(items, "base"))
        )
    return (  # an issue
        _lacks(items, "pull_request_url") and _has(items, "number") and _lacks(items, "head") and _lacks(items, "base")
    )


def _users(codes: Codes, users: list[Any]) -> list[int] | None:
    """The login codes of plain valid users (``codes.user``), None when any is not one."""
    if set(map(type, users)) != {dict}:
        return None
    pairs = zip(_get(users, "login"), _get(users, "type"), strict=True)
    try:  # the cache holds valid (login, type) pairs only: any other pair is a miss, checked by codes.user
        found: list[int | None] = list(map(codes.users.get, pairs))
    except TypeError:  # an unhashable login or type
        return None
    if None in found:
        for index, code in enumerate(found):
            if code is None:
                code = found[index] = codes.user(users[index])
                if code < 0:
                    return None
    return found  # type: ignore[return-value]  # no None is left


def _parents(codes: Codes, urls: list[Any]) -> list[int] | None:
    """The parent codes of API urls (``codes.api_url``), None when any is not one."""
    if set(map(type, urls)) != {str}:
        return None
    found: list[int | None] = list(map(codes.urls.get, urls))
    if None not in found:
        return found  # type: ignore[return-value]  # no None in it
    same = _one_repository(codes, urls)
    if same is not None:
        return same
    return found if codes.api_urls(urls, found) else None  # type: ignore[return-value]  # no None is left


def _one_repository(codes: Codes, urls: list[str]) -> list[int] | None:
    """The parent codes of urls that are a known prefix (:attr:`Codes.prefixes`) and ``/`` and up to 18 ASCII
    digits, all the same prefix (a page of one repository's pull requests), column by column; None otherwise."""
    head = urls[0].rpartition("/")[0]
    repo = codes.prefixes.get(head)
    if repo is None or not all(map(str.startswith, urls, repeat(head + "/"))):
        return None
    numbers = list(map(itemgetter(slice(len(head) + 1, None)), urls))
    joined = "\n".join(numbers) + "\n"
    if max(map(len, numbers)) > 18 or joined.count("\n") != len(numbers) or _NUMBERS(joined) is None:
        return None
    keys = list(zip(repeat(repo), map(int, numbers)))
    parent_code = codes.parent_code
    if None in map(parent_code.get, keys):  # new pull requests or issues: the next codes, in order
        new = list(dict.fromkeys(key for key in keys if key not in parent_code))
        parent_code.update(zip(new, range(len(codes.parents), len(codes.parents) + len(new)), strict=True))
        codes.parents.extend(new)
    found = list(map(parent_code.__getitem__, keys))
    if len(codes.urls) >= CACHE_LIMIT:
        codes.urls.clear()
    codes.urls.update(zip(urls, found, strict=True))
    return found


def _ids(values: list[Any]) -> bool:
    return set(map(type, values)) == {int} and min(values) > 0 and max(values) < MAX_ID


def page_of(scan: BlockScan, items: list[Any], remember: bool) -> bool:
    """Add a page whose objects all have one usual shape and plain fields, column by column (authors learned
    with ``remember``); False, nothing added or learned, for any other page."""
    if len(items) < MIN_PAGE or set(map(type, items)) != {dict}:
        return False
    shape = shape_of(items[0])
    if shape is None or not _same_shape(items, shape):
        return False
    if shape in ("pull", "issue"):
        return _parent_page(scan, items, shape, remember)
    return _comment_page(scan, items, SHAPES.index(shape), remember)


def _parent_page(scan: BlockScan, items: list[dict[str, Any]], shape: str, remember: bool) -> bool:
    urls = _get(items, "url")
    if shape == "issue" and (
        set(map(type, urls)) != {str}
        or not all(map(contains, urls, repeat("/issues/")))
        or any(map(contains, urls, repeat("/pulls/")))
    ):
        return False
    codes = scan.codes
    parents = _parents(codes, urls)
    actors = _users(codes, _get(items, "user")) if parents is not None else None
    if parents is None or actors is None:
        return False
    if remember:
        keys, users = map(codes.parents.__getitem__, parents), map(codes.logins.__getitem__, actors)
        deque(map(scan.reader.authors.setdefault, keys, users), maxlen=0)
    scan.reports.append((scan.outcomes, "skips", (PULL_OR_ISSUE, len(items))))
    scan.outcomes += len(items)
    return True


def _comment_page(scan: BlockScan, items: list[dict[str, Any]], shape: int, remember: bool) -> bool:
    ids, times = _get(items, "id"), _get(items, "submitted_at" if shape == REVIEW else "created_at")
    if not _ids(ids) or set(map(type, times)) != {str} or not plain_times(times):
        return False
    replies = [-1] * len(items)
    if shape == REVIEW_COMMENT:
        answered = _get(items, "in_reply_to_id")
        given = [value for value in answered if value is not None]
        if given:
            if not _ids(given):
                return False
            replies = [-1 if value is None else value for value in answered]
    codes = scan.codes
    parents = _parents(codes, _get(items, "issue_url" if shape == ISSUE_COMMENT else "pull_request_url"))
    actors = _users(codes, _get(items, "user")) if parents is not None else None
    if parents is None or actors is None:
        return False
    if remember and shape == REVIEW_COMMENT:
        scan.reader.comment_authors.update(zip(ids, map(codes.logins.__getitem__, actors), strict=True))
    count = len(items)
    scan.position.extend(range(scan.outcomes, scan.outcomes + count))
    scan.outcomes += count
    scan.shape.extend(repeat(shape, count))
    scan.key.extend(ids)
    scan.parent.extend(parents)
    scan.when.extend(times)
    scan.reply.extend(replies)
    scan.actor.extend(actors)
    return True
