"""Rule-based warmer rewrites that keep the meaning, the deadline and the names intact.

What the rules change: "Can you X?" becomes "Would it be possible to X?"; a bare imperative ("Send me the
report by Friday.") becomes a request ("Could you please send me the report by Friday?"); passive-aggressive
phrases and accusatory "you" phrasing get neutral wording; challenging questions are asked plainly ("Can't you
..." becomes "Could you ...", "Care to explain?" becomes "Could you explain?"); shouted words (ALL CAPS) and
"!!"/"??" are calmed; a greeting and thanks are added when missing; a deadline without context gets an opening to
talk about it.
What the rules never change: the words in between — names, dates, deadlines, numbers and the task itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from teamweave.tone.features import ACRONYMS, CAPS_WORD, IMPERATIVE_VERBS, SENTENCE, Found

CALM_PUNCTUATION = ((re.compile(r"[!?]*\?[!?]*"), "?"), (re.compile(r"!{2,}"), "!"))

PHRASES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(r"\b" + pattern + r"\b", re.IGNORECASE), replacement)
    for pattern, replacement in (
        (r"per my (?:last|previous|earlier) (?:email|e-mail|message|note)", "following up on my earlier message"),
        (r"as (?:i|we) (?:said|mentioned|stated|explained|noted)", "as mentioned"),
        (r"as (?:previously|already|clearly) (?:stated|mentioned|said|explained)", "as mentioned"),
        (r"i (?:already|have already) (?:told|asked) you", "I mentioned before"),
        (r"just to be clear", "to make sure we are on the same page"),
        (r"friendly reminder", "quick reminder"),
        (r"please advise", "let me know what you think"),
        (r"with all due respect,?\s*", ""),
        (r"once again", "again"),
        (r"why (?:did|would) you", "could you help me understand what led you to"),
        (r"you (?:forgot|failed) to", "it looks like we did not get to"),
        (r"you (?:didn't|did not)", "it looks like we did not"),
        (r"you (?:need to|must|have to)", "could you"),
        (r"you should have", "it would have helped to"),
        (r"your (?:fault|mistake)", "a slip"),
        (r"(?:can't|cannot|couldn't) you", "could you"),
        (r"(?:won't|wouldn't) you", "would you"),
        (r"don't you", "do you"),
        (r"didn't you", "did you"),
        (r"aren't you", "are you"),
        (r"haven't you", "have you"),
        (r"shouldn't you", "should you"),
        (r"(?:(?:would|do) you care|(?:^|(?<=[.!?] ))care) to", "could you"),
        (r"even bother(?:ed)? to ", ""),
        (r"can you", "could you"),
        (r"will you", "would you"),
    )
)
ASK_START = re.compile(r"(\s*)(?:can|will|could) you\s+", re.IGNORECASE)
PLEASE_START = re.compile(r"(\s*)please,?\s+", re.IGNORECASE)
VOCATIVE = re.compile(r"\s*([A-Z][a-z]+(?: [A-Z][a-z]+)?),\s+")
CLAUSE_THEN_VERB = re.compile(r"([^,.!?]{1,60},\s+)([A-Za-z']+)")
LEADING_WORD = re.compile(r"(\s*)([A-Za-z']+)")
FUNCTION_WORDS = frozenset(
    "would could can please the this that these it its we our there just when if do does is are any".split()
)
NOT_NAMES = (
    IMPERATIVE_VERBS
    | FUNCTION_WORDS
    | frozenset(
        "thanks thank hi hello hey dear sorry ok okay yes no well so but and also again note fyi update".split()
    )
)
WELL_WISH = "I hope your week is going well."
DEADLINE_OPENING = "If that timing is difficult, just let me know and we can work something out."


@dataclass(frozen=True, slots=True)
class Style:
    """One kind of rewrite: which additions it makes."""

    name: str
    well_wish: bool
    thanks: str


STYLES = (Style("friendly", well_wish=True, thanks="Thank you so much!"), Style("brief", False, "Thanks!"))


def _calm(text: str, found: Found) -> str:
    for pattern, replacement in CALM_PUNCTUATION:
        text = pattern.sub(replacement, text)
    if found.has("all_caps"):
        text = CAPS_WORD.sub(lambda m: _quieter(m, text), text)
    return text


def _quieter(match: re.Match[str], text: str) -> str:
    word = match.group()
    if word in ACRONYMS:
        return word
    before = text[: match.start()].rstrip()
    return word.capitalize() if not before or before[-1] in ".!?" else word.lower()


def _soften_phrases(text: str) -> str:
    for pattern, replacement in PHRASES:
        text = pattern.sub(partial(_same_case, replacement=replacement), text)
    return text


def _same_case(match: re.Match[str], *, replacement: str) -> str:
    original = match.group()
    if replacement and original[:1].isupper():
        return replacement[0].upper() + replacement[1:]
    return replacement


def _as_question(sentence: str, opening: str, rest: str) -> str:
    body = rest.rstrip()
    trailing = rest[len(body) :]
    body = body.rstrip(".!?")
    return f"{opening}{body}?{trailing}"


def _request(sentence: str) -> str:
    """One sentence as a polite request, when it is a bare imperative or a "Can you ..." question."""
    ask = ASK_START.match(sentence)
    if ask:
        return _as_question(sentence, f"{ask.group(1)}Would it be possible to ", sentence[ask.end() :])
    please = PLEASE_START.match(sentence)
    core = sentence[please.end() :] if please else sentence
    lead = please.group(1) if please else ""
    word = LEADING_WORD.match(core)
    if word and word.group(2).lower() in IMPERATIVE_VERBS and not core.rstrip().endswith("?"):
        rest = core[word.end(1) :]
        return _as_question(sentence, f"{lead or word.group(1)}Could you please ", rest[0].lower() + rest[1:])
    clause = CLAUSE_THEN_VERB.match(sentence)
    if clause and clause.group(2).lower() in IMPERATIVE_VERBS and not sentence.rstrip().endswith("?"):
        rest = sentence[clause.start(2) :]
        return _as_question(sentence, f"{clause.group(1)}could you please ", rest[0].lower() + rest[1:])
    return sentence


def _requests(text: str) -> str:
    return "".join(_request(match.group()) for match in SENTENCE.finditer(text)) if text.strip() else text


def _split_vocative(text: str) -> tuple[str | None, str]:
    """("Sam", "send me ...") for "Sam, send me ..."; (None, text) when the message does not open with a name."""
    match = VOCATIVE.match(text)
    if match is None or any(word.lower() in NOT_NAMES for word in match.group(1).split()):
        return None, text
    return match.group(1), text[match.end() :]


def _greet(name: str | None, body: str, style: Style) -> str:
    opening = f"Hi {name}," if name else "Hi,"
    body = body.lstrip()
    if not body:
        return opening
    if style.well_wish:
        return f"{opening} {WELL_WISH} {body[0].upper()}{body[1:]}"
    first = LEADING_WORD.match(body)
    if name or (first and first.group(2).lower() in FUNCTION_WORDS):
        return f"{opening} {body[0].lower() if first and first.group(2) != 'I' else body[0]}{body[1:]}"
    return f"{opening[:-1]}! {body}"


def _close(text: str, found: Found, style: Style) -> str:
    text = text.rstrip()
    if found.has("deadline_without_context"):
        text = f"{text} {DEADLINE_OPENING}"
    if not found.has("gratitude"):
        text = f"{text} {style.thanks}"
    return text


def rewrite(text: str, found: Found, style: Style) -> str:
    """``text`` rewritten warmer in ``style``; ``found`` are its features (from ``find_features``).

    Examples
    --------
    >>> from teamweave.tone.features import find_features
    >>> message = "Can you get this done by Monday?"
    >>> print(rewrite(message, find_features(message), STYLES[1]))  # doctest: +NORMALIZE_WHITESPACE
    Hi, would it be possible to get this done by Monday? If that timing is difficult, just let me know and we can
    work something out. Thanks!
    """
    steps: tuple[Callable[[str], str], ...] = (
        lambda t: _calm(t, found),
        _soften_phrases,
        _requests,
    )
    name, body = _split_vocative(text)
    for step in steps:
        body = step(body)
    if not found.has("greeting"):
        text = _greet(name, body, style)
    else:
        text = f"{name}, {body}" if name else body
    return _close(text, found, style)
