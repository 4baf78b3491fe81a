"""Politeness strategies and bluntness markers of a message, found by careful rules (no parser).

The strategies follow Danescu-Niculescu-Mizil et al. (2013), "A computational approach to politeness with
application to social factors", ACL 2013 (https://aclanthology.org/P13-1025): gratitude, deference, greeting,
apologising, please, indirect ("by the way"), counterfactual modals ("could you", "would you"), indicative modals
("can you"), hedges, first-person plural. The bluntness markers are ours: bare imperatives, a deadline without
context, no greeting or thanks, ALL CAPS, accusatory "you" phrasing, passive-aggressive phrases, direct questions
and direct starts ("So ...", "Why ..."), factuality ("actually", "in fact"), repeated "!!"/"??", and challenging
questions ("Don't you think ...?", "Care to explain?", "Did you even bother to ...?"). A greeting may also be a
well-wish anywhere in the message ("How are you?", "Good luck with the launch", "Have a great weekend").

Everything here is pure: a string in, :class:`Found` out. Nothing is stored or logged.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

STRATEGIES = (
    "gratitude",
    "greeting",
    "please",
    "hedges",
    "indirect_request",
    "apologising",
    "first_person_plural",
    "deference",
    "indirect_btw",
    "offer_help",
)
"""Politeness strategies (what warms a message)."""

MARKERS = (
    "bare_imperative",
    "deadline_without_context",
    "no_greeting_or_thanks",
    "all_caps",
    "accusatory_you",
    "passive_aggressive",
    "direct_question",
    "direct_start",
    "factuality",
    "repeated_punctuation",
    "challenging_question",
)
"""Bluntness markers (what makes a message read as blunt or cold)."""

OTHER = (
    "indicative_modal",
    "please_start",
    "second_person_start",
    "first_person_start",
    "first_person",
    "second_person",
    "question",
    "exclamation",
)
"""Counted because they matter for the score, but neither a strategy nor a marker by themselves."""


@dataclass(frozen=True, slots=True)
class Span:
    """Where in the message a feature was found (character offsets, end exclusive)."""

    label: str
    start: int
    end: int


@dataclass(slots=True)
class Found:
    """The features of one message: counts per label, and the spans where they were found."""

    counts: Counter[str] = field(default_factory=Counter)
    spans: list[Span] = field(default_factory=list)

    def add(self, label: str, start: int, end: int) -> None:
        self.counts[label] += 1
        self.spans.append(Span(label, start, end))

    def has(self, label: str) -> bool:
        return self.counts[label] > 0


def _words(*alternatives: str) -> str:
    return r"\b(?:" + "|".join(alternatives) + r")\b"


ANYWHERE: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (label, re.compile(pattern, re.IGNORECASE))
    for label, pattern in (
        ("gratitude", _words(r"thanks?(?: you| so much| a lot)?", r"thx", r"appreciated?", r"grateful", r"cheers")),
        (
            "greeting",
            _words(
                r"how are you(?: doing)?(?: today)?(?=\s*(?:[?!.,]|$))",
                r"how have you been(?=\s*(?:[?!.,]|$))",
                r"how(?:'s| is) it going",
                r"hope (?:you're|you are|you've been|all is|everything is) (?:well|good|ok|okay|fine)",
                r"good luck",
                r"congrat(?:ulation)?s",
                r"happy (?:birthday|belated|new year|holidays|anniversary)",
                r"welcome back",
                r"take care(?!\s+of)",
                r"have a (?:good|great|nice|lovely) (?:day|week|weekend|evening)",
                r"well done",
                r"best wishes",
            ),
        ),
        ("please", r"\bplease\b"),
        (
            "hedges",
            _words(
                r"i think",
                r"i believe",
                r"i guess",
                r"i suppose",
                r"i wonder(?:ed)?",
                r"maybe",
                r"perhaps",
                r"possibly",
                r"probably",
                r"might",
                r"it seems",
                r"seems? to",
                r"i suggest",
                r"suggestion",
                r"sort of",
                r"kind of",
                r"a bit",
                r"a little",
                r"if (?:possible|you can|you have time|that works|you don't mind)",
                r"when you (?:get a chance|have a moment|have time)",
            ),
        ),
        (
            "indirect_request",
            _words(
                r"could you",
                r"would you",
                r"would it be possible",
                r"would you mind",
                r"do you mind",
                r"would it help",
                r"could we",
                r"would be (?:great|grateful|nice|helpful)",
                r"i was wondering",
                r"do you think",
                r"is there any (?:way|chance)",
                r"any chance",
            ),
        ),
        (
            "apologising",
            _words(
                r"sorry",
                r"apologi[sz]e",
                r"apologies",
                r"excuse me",
                r"forgive me",
                r"my bad",
                r"i'm afraid",
                r"pardon",
                r"i hate to",
            ),
        ),
        ("first_person_plural", _words(r"we", r"our", r"ours", r"us", r"let's", r"let us", r"we're", r"we'll")),
        ("indirect_btw", _words(r"by the way", r"btw", r"incidentally")),
        ("indicative_modal", _words(r"can you", r"will you", r"can't you", r"won't you")),
        (
            "accusatory_you",
            _words(
                r"you (?:never|always|didn't|did not|don't|do not|failed|forgot|keep|should have|shouldn't have)",
                r"you (?:were supposed to|need to|must|have to|obviously|clearly)",
                r"why (?:did|didn't|don't|won't|can't|haven't|would|are) you",
                r"your (?:fault|mistake|problem)",
                r"are you (?:kidding|serious|even|sure)",
                r"who (?:the hell )?are you",
            ),
        ),
        (
            "passive_aggressive",
            _words(
                r"per my (?:last|previous|earlier) (?:email|e-mail|message|note)",
                r"as (?:i|we) (?:said|mentioned|stated|explained|already said|already told you|noted)",
                r"as (?:previously|already|clearly) (?:stated|mentioned|said|explained)",
                r"i (?:already|have already) (?:told|asked|said)",
                r"just to be clear",
                r"friendly reminder",
                r"going forward",
                r"not sure if you (?:saw|got)",
                r"with all due respect",
                r"please advise",
                r"in case you missed it",
                r"once again",
                r"(?:yeah|oh),? (?:right|sure|that)",
                r"thanks for nothing",
            ),
        ),
        (
            "factuality",
            _words(
                r"in fact",
                r"actually",
                r"the point is",
                r"the reality",
                r"the truth",
                r"obviously",
                r"surely",
                r"honestly",
                r"seriously",
                r"really",
                r"finally",
            ),
        ),
        (
            "offer_help",
            _words(
                r"(?:can|could|may|shall) i help",
                r"happy to help",
                r"glad to help",
                r"let me know",
                r"i'd be happy",
                r"i would be happy",
                r"feel free",
                r"if you need",
                r"(?:do|does|if) (?:you|anyone) need (?:some |any )?help",
                r"what can i do (?:to help|for you)",
                r"anything i can do",
                r"how can i help",
                r"can i help",
            ),
        ),
        (
            "challenging_question",
            _words(
                r"(?:aren't|don't|can't|didn't|won't|haven't|wouldn't|shouldn't|couldn't) you",
                r"(?:would|do) you care to",
                r"(?:even )?bother(?:ed)? to",
                r"who cares",
                r"what a joke",
                r"am i missing something",
            ),
        ),
        ("repeated_punctuation", r"[!?]{2,}"),
        ("first_person", _words(r"i", r"me", r"my", r"mine", r"i'm", r"i've", r"i'd", r"i'll")),
        ("second_person", _words(r"you", r"your", r"yours", r"you're", r"you've", r"you'd", r"you'll")),
        ("question", r"\?"),
        ("exclamation", r"!"),
    )
)

SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
AT_START: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (label, re.compile(r"\s*[\"'(]?" + pattern, re.IGNORECASE))
    for label, pattern in (
        ("greeting", _words(r"hi", r"hello", r"hey", r"dear", r"good (?:morning|afternoon|evening)", r"greetings")),
        ("greeting", _words(r"i hope (?:you|your|all|this|everything)", r"hope (?:you|your|all)")),
        ("deference", _words(r"great", r"good", r"nice", r"interesting", r"cool", r"excellent", r"awesome", r"wow")),
        ("please_start", r"\bplease\b"),
        ("direct_question", _words(r"what", r"why", r"who", r"how", r"where")),
        ("direct_start", _words(r"so", r"then", r"and", r"but", r"or")),
        ("second_person_start", _words(r"you")),
        ("first_person_start", _words(r"i", r"my", r"mine", r"i'm", r"i've")),
        ("challenging_question", _words(r"care to")),
    )
)

IMPERATIVE_VERBS = frozenset(
    """add answer ask book bring call cancel change check clean close come confirm do delete fill finish fix
    forward get give go hurry keep leave let look make move note open pay put read remember remove reply
    review revert run schedule send set share show sign start stop submit take tell try update upload use
    write""".split()
)
LEADING = " \t\r\n\"'("
"""What may come before a sentence's first word; not part of a span found there."""
FIRST_WORD = re.compile(r"\s*[\"'(]?([A-Za-z']+)")
DEADLINE = re.compile(
    _words(
        r"by (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|tonight|today|noon|eod|eow|cob)",
        r"by (?:the )?end of (?:the )?(?:day|week|month)",
        r"by \d{1,2}(?::\d\d)?\s*(?:am|pm)?",
        r"asap",
        r"as soon as possible",
        r"immediately",
        r"right now",
        r"deadline",
        r"no later than",
        r"urgent(?:ly)?",
    ),
    re.IGNORECASE,
)
CONTEXT = re.compile(
    _words(r"because", r"since", r"so that", r"so we", r"so i", r"in order to", r"as the", r"due", r"for the"),
    re.IGNORECASE,
)
CAPS_WORD = re.compile(r"\b[A-Z][A-Z']{2,}\b")
ACRONYMS = frozenset(
    """API ASAP CEO CFO CTO DNS EOD EOW FAQ FYI HR HTML HTTP HTTPS JSON KPI NASA OKR PDF PTO QA SLA SQL TBD TODO UK
    URL USA USD UTC VPN""".split()
)


def _first_words(text: str, found: Found) -> None:
    for sentence in SENTENCE.finditer(text):
        start = sentence.start()
        for label, pattern in AT_START:
            match = pattern.match(text, start)
            if match:
                lead = len(match.group()) - len(match.group().lstrip(LEADING))
                found.add(label, match.start() + lead, match.end())
        word = FIRST_WORD.match(text, start)
        if word and word.group(1).lower() in IMPERATIVE_VERBS and not sentence.group().rstrip().endswith("?"):
            found.add("bare_imperative", word.start(1), word.end(1))


def _whole_message(text: str, found: Found) -> None:
    deadline = DEADLINE.search(text)
    if deadline and not CONTEXT.search(text):
        found.add("deadline_without_context", deadline.start(), deadline.end())
    caps = [match for match in CAPS_WORD.finditer(text) if match.group() not in ACRONYMS]
    if caps and (len(caps) >= 2 or len(caps[0].group()) >= 6):
        start, end = caps[0].start(), caps[0].end()
        for match in caps[1:]:
            if text[end : match.start()].isspace():
                end = match.end()
                continue
            found.add("all_caps", start, end)
            start, end = match.start(), match.end()
        found.add("all_caps", start, end)
    if not found.has("greeting") and not found.has("gratitude"):
        found.add("no_greeting_or_thanks", 0, 0)


def find_features(text: str) -> Found:
    """The strategies, markers and other counted features of ``text``.

    Examples
    --------
    >>> found = find_features("Can you get this done by Monday?")
    >>> sorted(label for label in found.counts if found.counts[label])
    ['deadline_without_context', 'indicative_modal', 'no_greeting_or_thanks', 'question', 'second_person']
    >>> found = find_features("Hi Sam, thanks! Could we maybe look at this by Monday?")
    >>> [label for label in ("greeting", "gratitude", "indirect_request", "hedges") if found.has(label)]
    ['greeting', 'gratitude', 'indirect_request', 'hedges']
    """
    found = Found()
    for label, pattern in ANYWHERE:
        for match in pattern.finditer(text):
            found.add(label, match.start(), match.end())
    _first_words(text, found)
    _whole_message(text, found)
    found.spans.sort(key=lambda span: (span.start, span.end))
    return found
