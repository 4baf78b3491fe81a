"""The GitHub table path's orjson reading (``github_pages``) and its column pages (``github_columns``) against the
record path: pages cut where the standard library's parser would read them, or left to it; pages of one shape
read column by column with the same outcomes as object by object.

Every import here is compared both ways with ``assert_same`` (events, order, errors, skips, quarantine lines).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.ingest.test_github_hostile import JSON_VALUES
from tests.ingest.test_github_json import issue, issue_comment, pull, review, review_comment
from tests.ingest.test_github_tables import assert_same

from teamweave.ingest import github_pages
from teamweave.ingest.github_columns import Codes, page_of
from teamweave.ingest.github_json import BadField, GitHubJson, decode_pages, parent_key
from teamweave.ingest.github_pages import Unvouched, parse_pages
from teamweave.ingest.github_scan import BlockScan
from teamweave.ingest.github_tables import _checked

SEPARATORS = ["", " ", "\n", "\r\n", "\t \n"]
TRICKY_TEXT = st.text(alphabet=st.sampled_from(["]", "[", " ", "\n", '"', "\\", "a", "é", "{", "}", ","]), max_size=12)
VALUES_64 = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**64 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=10)
    | TRICKY_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6) | TRICKY_TEXT, inner, max_size=4),
    max_leaves=16,
)


def _reference(data: bytes) -> list[Any] | str:
    """What the record path's parser reads: the values, or the name of the error that stops it."""
    try:
        return list(decode_pages(data.decode("utf-8-sig")))
    except (ValueError, RecursionError) as exc:
        return type(exc).__name__


def _fast(data: bytes) -> list[Any] | None:
    try:
        return list(parse_pages(data))
    except Unvouched:
        return None


def _pages_text(pages: list[Any], separators: list[str], *, ascii_only: bool) -> str:
    """The pages back to back; a number is followed by at least a space (``0.0`` and ``0.0`` back to back are
    ``0.00.0``, not two values)."""
    parts = [json.dumps(page, ensure_ascii=ascii_only) for page in pages]
    return "".join(
        part + (separators[index % len(separators)] or (" " if isinstance(page, int | float) else ""))
        for index, (part, page) in enumerate(zip(parts, pages, strict=True))
    )


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(VALUES_64, max_size=5) | VALUES_64, min_size=1, max_size=5),
    st.lists(st.sampled_from(SEPARATORS), min_size=1, max_size=3),
    st.booleans(),
    st.booleans(),
)
def test_valid_pages_read_as_the_standard_library_reads_them(
    pages: list[Any], separators: list[str], ascii_only: bool, bom: bool
) -> None:
    text = _pages_text(pages, separators, ascii_only=ascii_only)
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode()
    expected = _reference(data)
    assert isinstance(expected, list)
    fast = _fast(data)
    if len(pages) == 1 or all(isinstance(page, list) for page in pages):
        assert fast == expected  # arrays back to back (gh api's pages) are never left to the standard library
    else:
        assert fast in (None, expected)  # other values back to back are


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(VALUES_64, max_size=5), min_size=1, max_size=4),
    st.lists(st.sampled_from(SEPARATORS), min_size=1, max_size=3),
    st.data(),
)
def test_cut_and_damaged_pages_read_alike_or_are_left_to_the_standard_library(
    pages: list[Any], separators: list[str], data: st.DataObject
) -> None:
    raw = _pages_text(pages, separators, ascii_only=False).encode()
    cut = data.draw(st.integers(0, len(raw)))
    tail = data.draw(st.binary(max_size=6) | st.sampled_from([b"][", b"]\n[", b"NaN", b"[1e999]", b'["\\ud800"]']))
    damaged = raw[:cut] + tail
    fast = _fast(damaged)
    if fast is not None:
        assert fast == _reference(damaged)


@pytest.mark.parametrize(
    "text",
    [
        '["a][b"]["]["]',
        '["] ["]\n\n["]\n["]',
        '[["x"],["y"]][[1],[2]]',
        '{"a": "]["}[{"b": 1}]',
        "  [1]  \n",
        "[1]][2]",
        "[1][2",
        '["\\"][\\""]',
        "[1e999][2]",
        "[NaN]",
        '["\\udc00"]',
        "[]",
        "",
        "\n",
        "[1]\ufeff[2]",
    ],
)
def test_hostile_cuts(text: str) -> None:
    data = text.encode()
    fast = _fast(data)
    if fast is not None:
        assert fast == _reference(data), text


def test_big_integers_are_floats_for_orjson_and_no_id_takes_either(tmp_path: Path) -> None:
    assert _fast(b"[18446744073709551616]") == [[1.8446744073709552e19]]
    objects = [pull(1, "ana"), review(2**64, "bo", 1, "APPROVED", "2024-05-02T10:00:00Z")]
    objects += [review_comment(401, "cy", 1, "2024-05-02T10:30:00Z", reply_to=2**70)]
    (tmp_path / "a.json").write_text(json.dumps(objects))
    assert_same(tmp_path)


def test_too_many_cuts_inside_strings_are_left_to_the_standard_library(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(github_pages, "MAX_RETRIES", 2)
    body = "see [the doc][ref] and [x] [y]\n[z]"
    pages = [[{**review(300 + i, "bo", 1, "APPROVED", "2024-05-02T10:00:00Z"), "body": body}] for i in range(3)]
    data = "".join(json.dumps(page) for page in pages).encode()
    assert _fast(data) is None
    monkeypatch.setattr(github_pages, "MAX_RETRIES", 64)
    assert _fast(data) == _reference(data)
    (tmp_path / "pulls.json").write_text(json.dumps([pull(1, "ana")]))
    (tmp_path / "reviews.json").write_bytes(data)
    assert_same(tmp_path)
    monkeypatch.setattr(github_pages, "MAX_RETRIES", 0)
    assert_same(tmp_path)


def _user(login: str, kind: Any = "User") -> dict[str, Any]:
    return {"login": login, "id": 7, "type": kind, "site_admin": False}


TIMES = [
    "2024-05-02T10:00:00Z",
    "2024-02-29T10:00:00Z",
    "2023-02-29T10:00:00Z",
    "2024-04-31T10:00:00Z",
    "2024-05-31T23:59:59Z",
    "2024-05-02T10:00:00+02:00",
    "2024-05-02T10:00:00.5Z",
    "2024-05-02 10:00:00Z",
    "2024-05-02T24:00:00Z",
    "2024-05-02T10:00:00",
    "x",
]
URLS = [
    "https://api.github.com/repos/acme/widgets/pulls/{n}",
    "https://api.github.com/repos/acme/widgets/issues/{n}",
    "https://api.github.com/repos/ACME/Widgets/pulls/{n}/",
    "https://api.github.com/repos/acme/widgets/pulls/{n}?x=1",
    "https://api.github.com/repos/acme/widgets/pulls/0{n}",
    "https://api.github.com/repos/acme/widgets/pulls/{n}x",
    "https://api.github.com/repos/acme/wid gets/pulls/{n}",
    "https://api.github.com/repos/acme/widgets/pulls/\u0661{n}",
    "https://api.github.com/repos/a/b/pulls/9/repos/acme/widgets/pulls/{n}",
    "https://example.com/repos/acme/widgets/pulls/{n}",
]
LOGINS = ["ana", "bo", "ANA", "cy", "dependabot[bot]", "bo\n", "-bad", ""]


def _perturbed(data: st.DataObject, obj: dict[str, Any], number: int) -> dict[str, Any]:
    """An object with one field made unusual (often in ways the record path still accepts)."""
    what = data.draw(st.sampled_from(["time", "url", "user", "login", "id", "reply", "drop", "any", "html"]))
    if what == "time":
        key = "submitted_at" if "state" in obj and "pull_request_url" in obj else "created_at"
        obj[key] = data.draw(st.sampled_from([*TIMES, None]))
    elif what == "url":
        key = "pull_request_url" if "pull_request_url" in obj else "issue_url" if "issue_url" in obj else "url"
        obj[key] = data.draw(st.sampled_from(URLS)).format(n=number)
    elif what == "user":
        obj["user"] = data.draw(st.sampled_from([None, "ana", [], {"login": "ana"}, _user("bo", None)]))
    elif what == "login":
        obj["user"] = _user(data.draw(st.sampled_from(LOGINS)), data.draw(st.sampled_from(["User", "Bot", 3])))
    elif what == "id":
        obj["id"] = data.draw(st.sampled_from([0, -1, True, 1.0, "5", 2**63, 2**63 - 1]))
    elif what == "reply":
        obj["in_reply_to_id"] = data.draw(st.sampled_from([None, 301, 999, 0, "301", 2**63]))
    elif what == "drop" and obj:
        del obj[data.draw(st.sampled_from(sorted(obj)))]
    elif what == "html":
        obj.pop("url", None)
    else:
        obj[data.draw(st.sampled_from(sorted(obj)))] = data.draw(JSON_VALUES)
    return obj


def _page(data: st.DataObject, shape: str, first_id: int) -> list[Any]:
    size = data.draw(st.integers(8, 14))
    page: list[Any] = []
    for offset in range(size):
        number = data.draw(st.integers(1, 4))
        ident = first_id + offset
        login = data.draw(st.sampled_from(["ana", "bo", "cy", "dependabot[bot]"]))
        when = data.draw(st.sampled_from(TIMES[:5]))
        if shape == "pull":
            obj = pull(number, login)
        elif shape == "issue":
            obj = issue(number, login)
        elif shape == "review":
            obj = review(ident, login, number, "APPROVED", when)
        elif shape == "review_comment":
            reply_to = data.draw(st.sampled_from([None, None, first_id, 999]))
            obj = review_comment(ident, login, number, when, reply_to=reply_to)
        else:
            obj = issue_comment(ident, login, number, when)
        if data.draw(st.integers(0, 9)) == 0:
            obj = _perturbed(data, obj, number)
        page.append(obj)
    if data.draw(st.integers(0, 9)) == 0:
        page.insert(data.draw(st.integers(0, len(page))), data.draw(JSON_VALUES))
    return page


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_pages_of_one_shape_read_alike(data: st.DataObject) -> None:
    """Pages of 8 to 14 objects of one shape (read column by column), some objects made unusual (the page read
    object by object), in files of pages back to back."""
    import tempfile

    shapes = ["pull", "issue", "review", "review_comment", "issue_comment"]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "gh"
        root.mkdir()
        first_id = 300
        for index in range(data.draw(st.integers(1, 3))):
            pages = []
            for _ in range(data.draw(st.integers(1, 3))):
                pages.append(_page(data, data.draw(st.sampled_from(shapes)), first_id))
                first_id += 20
            separators = data.draw(st.lists(st.sampled_from(SEPARATORS), min_size=1, max_size=2))
            text = _pages_text(pages, separators, ascii_only=data.draw(st.booleans()))
            if data.draw(st.integers(0, 7)) == 0:
                text = text[: data.draw(st.integers(0, len(text)))]
            (root / f"f{index}.json").write_text(text)
        (root / "marker.json").write_text(json.dumps([pull(9, "cy")]))
        assert_same(root)


def _big_files(root: Path) -> Path:
    """Files of pages of 10 objects, back to back: pulls, reviews and comments, one file broken after two pages."""
    root.mkdir()
    pulls = [[pull(p, ["ana", "bo", "cy"][p % 3]) for p in range(page * 10 + 1, page * 10 + 11)] for page in range(3)]
    reviews = [
        [
            {
                **review(1000 + i, "bo", 1 + i % 30, "APPROVED", "2024-05-31T10:00:00Z"),
                "user": _user(["cy", "ANA", "ana"][i % 3]),
            }
            for i in range(j, j + 10)
        ]
        for j in (0, 10, 20)
    ]  # ana on her own pull requests (skipped), ANA on cy's (logins compared case blind)
    comments = [
        [issue_comment(2000 + i, "cy", 1 + i % 40, "2024-02-29T10:00:00Z") for i in range(j, j + 10)] for j in (0, 10)
    ]
    replies = [
        [review_comment(3000 + i, "bo", 2, "2024-05-02T10:00:00Z", reply_to=3000 if i else None) for i in range(10)]
    ]
    (root / "a-pulls.json").write_text("".join(json.dumps(page) for page in pulls))
    (root / "b-reviews.json").write_text("\n".join(json.dumps(page) for page in reviews))
    broken = "".join(json.dumps(page) for page in comments)
    (root / "c-comments.json").write_text(broken[:-30])  # two pages read, then the file is the record path's
    (root / "d-replies.json").write_text(json.dumps(replies[0]))
    return root


@pytest.mark.parametrize(("cache", "per_block"), [(1, 1), (25, 15), (200_000, 50_000)])
def test_big_pages_kept_or_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cache: int, per_block: int
) -> None:
    from teamweave.ingest import github_tables

    monkeypatch.setattr(github_tables, "CACHE_OBJECTS", cache)
    monkeypatch.setattr(github_tables, "TABLE_EVENTS", per_block)
    records = assert_same(_big_files(tmp_path / "gh"))
    assert len(records) == 28


def test_a_file_broken_after_plain_pages_is_read_again_by_the_record_path(tmp_path: Path) -> None:
    """What the orjson read of a file added is forgotten when a later page is refused: the record path's parser
    reads the whole file (its error names the line)."""
    root = _big_files(tmp_path / "gh")
    reader = GitHubJson.open(root)
    scan = BlockScan(reader, Codes.empty(), _checked)
    from teamweave.ingest.github_tables import _file_outcomes

    file = root / "c-comments.json"
    scan.add_file(file, remember=True, fallback=lambda: _file_outcomes(reader, file, remember=True))
    assert scan.reports[-1][1] == "bad"
    assert scan.reports[-1][2][0].startswith("c-comments.json, line 1")
    assert scan.outcomes == len(scan.position) + len(scan.reports)


def test_a_plain_page_is_read_column_by_column(tmp_path: Path) -> None:
    objects = [review_comment(400 + i, "bo", 1, "2024-05-31T10:00:00Z", reply_to=400 if i else None) for i in range(10)]
    reader = GitHubJson(tmp_path, [])
    scan = BlockScan(reader, Codes.empty(), _checked)
    assert page_of(scan, json.loads(json.dumps(objects)), remember=True)
    assert scan.key == list(range(400, 410))
    assert scan.reply == [-1, *[400] * 9]
    assert set(reader.comment_authors) == set(range(400, 410))
    objects[4]["created_at"] = "2024-04-31T10:00:00Z"  # no such day: the record path's error, object by object
    assert not page_of(BlockScan(reader, Codes.empty(), _checked), objects, remember=True)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(URLS), st.sampled_from(["1", "22", "007", "9" * 25, "", "\u0662"]))))
def test_api_urls_read_as_parent_key_reads_them(urls: list[tuple[str, str]]) -> None:
    """The parent code of each url, its repository learned from earlier urls, is ``parent_key``'s answer."""
    codes = Codes.empty()
    for template, number in urls:
        url = template.replace("{n}", number)
        code = codes.api_url(url)
        try:
            expected: Any = parent_key({"pull_request_url": url}, "pull_request_url")
        except BadField:
            expected = None
        assert (codes.parents[code] if code >= 0 else None) == expected, url


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(URLS),
    st.lists(st.sampled_from(["1", "22", "007", "9" * 19, "", "\u0662", "5\n", "3/4"]), min_size=1, max_size=6),
    st.booleans(),
)
def test_a_page_of_urls_reads_as_parent_key_reads_each(template: str, numbers: list[str], learned: bool) -> None:
    """A page's urls of one repository, read column by column once the repository's prefix is known."""
    from teamweave.ingest.github_columns import _parents

    codes = Codes.empty()
    if learned:
        codes.api_url(template.replace("{n}", "1"))
    urls = [template.replace("{n}", number) for number in numbers]
    expected: list[Any] = []
    for url in urls:
        try:
            expected.append(parent_key({"issue_url": url}, "issue_url"))
        except BadField:
            expected = []
            break
    found = _parents(codes, urls)
    assert ([codes.parents[code] for code in found] if found is not None else []) == expected
