"""The empathy coach's one entry point: ``analyse(text)`` -> warmth, strategies, blunt spans and warmer rewrites.

Pure: no database, no settings, no logging. The text lives only in the arguments and the returned report, which
the caller shows to the person who wrote it and then drops.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from teamweave.errors import InputFormatError
from teamweave.tone.features import MARKERS, STRATEGIES, Found, find_features
from teamweave.tone.llm_rewrite import Endpoint, RewriterError, llm_rewrite
from teamweave.tone.rewrite import STYLES, rewrite
from teamweave.tone.sentiment import compound
from teamweave.tone.warmth import BLUNT_BELOW, predicted_score, vector, warmth_of

MAX_CHARS = 20_000
WARM_FROM = 60.0
"""At or above this warmth a message reads as warm."""
REWRITE_BELOW = 80.0
"""Rewrites are offered below this warmth (a very warm message needs none)."""

HINTS = {
    "bare_imperative": "a bare command; a request ('Could you ...?') reads warmer",
    "deadline_without_context": "a deadline with no reason or room to talk about it",
    "no_greeting_or_thanks": "no greeting and no thanks",
    "all_caps": "ALL CAPS reads as shouting",
    "accusatory_you": "'you' phrasing that can read as blame",
    "passive_aggressive": "a phrase that often reads as passive-aggressive",
    "direct_question": "a direct question opening ('Why ...', 'What ...')",
    "direct_start": "a direct opening ('So ...', 'But ...')",
    "factuality": "emphatic certainty ('actually', 'obviously') can read as dismissive",
    "repeated_punctuation": "'!!' or '??' reads as exasperation",
    "challenging_question": "a challenging question ('Don't you ...?', 'Care to explain?') can read as a rebuke",
}


@dataclass(frozen=True, slots=True)
class Marker:
    """A part of the message that makes it read as blunt or cold (offsets into the text, end exclusive)."""

    label: str
    start: int
    end: int
    hint: str


@dataclass(frozen=True, slots=True)
class Rewrite:
    style: str
    text: str
    warmth: float


@dataclass(frozen=True, slots=True)
class ToneReport:
    """What the coach says about one message."""

    warmth: float
    verdict: str
    blunt: bool
    sentiment: float
    strategies: dict[str, int]
    markers: list[Marker]
    rewrites: list[Rewrite] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_dict(self, *, spans: bool = True, rewrites: bool = True) -> dict[str, object]:
        """JSON-ready: ``spans=False`` leaves out marker offsets, ``rewrites=False`` the rewritten texts."""
        result: dict[str, object] = {
            "warmth": self.warmth,
            "verdict": self.verdict,
            "blunt": self.blunt,
            "sentiment": self.sentiment,
            "strategies": dict(self.strategies),
            "markers": sorted({m.label for m in self.markers}),
        }
        if spans:
            result["spans"] = [{"label": m.label, "start": m.start, "end": m.end, "hint": m.hint} for m in self.markers]
        if rewrites:
            result["rewrites"] = [{"style": r.style, "text": r.text, "warmth": r.warmth} for r in self.rewrites]
        if self.notes:
            result["notes"] = list(self.notes)
        return result


def _score(text: str) -> tuple[Found, float, float]:
    found = find_features(text)
    sentiment = compound(text)
    return found, sentiment, warmth_of(predicted_score(vector(found, sentiment)))


def score(text: str) -> float:
    """The warmth of ``text`` alone (0..100, 50 = an average request, higher = warmer)."""
    return _score(text)[2]


def reads_as_blunt(found: Found, warmth: float) -> bool:
    """Blunt: warmth below :data:`BLUNT_BELOW`, or a bluntness marker with no politeness strategy to soften it."""
    has_marker = any(found.has(label) for label in MARKERS)
    has_strategy = any(found.has(label) for label in STRATEGIES)
    return warmth < BLUNT_BELOW or (has_marker and not has_strategy and warmth < WARM_FROM)


def _verdict(blunt: bool, warmth: float) -> str:
    if blunt:
        return "blunt"
    return "warm" if warmth >= WARM_FROM else "neutral"


def _rewrites(text: str, found: Found, warmth: float, extra: list[tuple[str, str]]) -> list[Rewrite]:
    seen: set[str] = {text}
    results = []
    candidates = extra + [(style.name, rewrite(text, found, style)) for style in STYLES]
    for style, candidate in candidates:
        if candidate in seen:
            continue
        seen.add(candidate)
        candidate_warmth = score(candidate)
        if candidate_warmth > warmth:
            results.append(Rewrite(style, candidate, candidate_warmth))
    return sorted(results, key=lambda r: -r.warmth)


def _llm_candidates(text: str, endpoint: Endpoint | None, notes: list[str]) -> list[tuple[str, str]]:
    if endpoint is None:
        return []
    try:
        return [("llm", llm_rewrite(text, endpoint))]
    except RewriterError as error:
        notes.append(f"{error.message}; showing the rule-based rewrites only")
        return []


def analyse(text: str, *, rewrites: bool = True, endpoint: Endpoint | None = None) -> ToneReport:
    """Warmth, verdict, strategies, blunt markers and warmer rewrites (below :data:`REWRITE_BELOW`).

    With an ``endpoint`` (an OpenAI-compatible chat API the user configured), its rewrite is offered too when it
    scores warmer than the message; if it fails, a note says so and the rule-based rewrites are shown.

    Examples
    --------
    >>> report = analyse("Can you get this done by Monday?")
    >>> report.verdict, [m.label for m in report.markers]
    ('blunt', ['no_greeting_or_thanks', 'deadline_without_context'])
    >>> report.rewrites[0].warmth > report.warmth
    True
    """
    if len(text) > MAX_CHARS:
        raise InputFormatError(f"the message is too long ({len(text):,} characters; at most {MAX_CHARS:,})")
    found, sentiment, warmth = _score(text)
    blunt = reads_as_blunt(found, warmth)
    offer = rewrites and warmth < REWRITE_BELOW
    notes: list[str] = []
    extra = _llm_candidates(text, endpoint, notes) if offer else []
    return ToneReport(
        warmth=warmth,
        verdict=_verdict(blunt, warmth),
        blunt=blunt,
        sentiment=round(sentiment, 3),
        strategies={label: found.counts[label] for label in STRATEGIES if found.counts[label]},
        markers=[Marker(s.label, s.start, s.end, HINTS[s.label]) for s in found.spans if s.label in HINTS],
        rewrites=_rewrites(text, found, warmth, extra) if offer else [],
        notes=notes,
    )
