"""Speaker turns in plain text: which lines start with a speaker label ("Intervjuare:", "SE-coach:",
"[00:12:05] Lena Berg:"), and where each turn begins and ends.

The heuristics are conservative: a label must look like a role or a name, recur, or carry a
timestamp, so that an ordinary sentence with a colon never becomes a speaker. Used by
:mod:`coding.importers` for .txt, .md and .docx files, and for the speaker prefixes of subtitles.

>>> [(turn.speaker, turn.start) for turn in split_turns("Intervjuare: Hur började det?\\nSE-coach: Med pengar.\\n")]
[('Intervjuare', 13), ('SE-coach', 40)]
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple


@dataclass
class Turn:
    """One utterance: ``text[start:end]`` of its :class:`ParsedTranscript`."""

    start: int
    end: int
    speaker: str | None
    t_start: float | None = None
    t_end: float | None = None
    # For turns merged from several timed cues: (offset where the cue's text starts, t_start, t_end),
    # so that a sentence inside the turn gets the times of its own cue.
    cues: list[tuple[int, float | None, float | None]] = field(default_factory=list)
    # For documents with pages (PDF): (offset where a page starts, its page number), the first entry the page
    # the turn starts on, so that each sentence of the turn gets the page it starts on.
    pages: list[tuple[int, int]] = field(default_factory=list)


_TS = r"\d{1,2}(?::\d{2}){1,2}(?:[.,]\d{1,3})?"
_WORD = r"[^\W_](?:[^\W_]|[.'’&/+-]){0,39}"
_LABEL = rf"{_WORD}(?:[ \t]+{_WORD}){{0,3}}"
_MD = r"(?:\*\*|__|\*|_)?"
_LABEL_LINE = re.compile(rf"""
    ^[ \t]*
    (?:
        (?:\[(?P<ts_a>{_TS})\][ \t]*|\((?P<ts_b>{_TS})\)[ \t]*|(?P<ts_c>{_TS})[ \t]+)?   # [00:01:23] Name:
        (?:[-–][ \t]*)?
        {_MD}(?P<label>{_LABEL})
        (?:[ \t]*(?:\[(?P<ts_d>{_TS})\]|\((?P<ts_e>{_TS})\)))?                          # Name [00:01:23]:
        [ \t]*{_MD}:{_MD}(?=[ \t]|$)
    |                                       # a line holding only a name and a time:
        (?:\[(?P<ts_f>{_TS})\]|\((?P<ts_g>{_TS})\)|(?P<ts_h>{_TS}))[ \t]+{_MD}(?P<label_f>{_LABEL}){_MD}[ \t]*$
    |
        {_MD}(?P<label_g>{_LABEL}){_MD}[ \t]+(?:\[(?P<ts_i>{_TS})\]|\((?P<ts_j>{_TS})\)|(?P<ts_k>{_TS}))[ \t]*$
    )
    """, re.MULTILINE | re.VERBOSE)

_ROLE_WORDS = frozenset("""
    i ip int intervjuare intervjuaren intervjuperson informant informanten
    r resp respondent respondenten interviewer interviewee moderator moderatorn facilitator
    samtalsledare processledare projektledare deltagare deltagaren participant p
    chef chefen coach se-coach ips-coach jobbcoach handläggare handledare samordnare
    utvärderare utvärderaren forskare researcher talare speaker person q a fråga svar question answer
""".split())
_ONE_LETTER_ROLES = frozenset("i r p q a".split())
# Words that head metadata or notes lines ("Datum: 2013-10-02"), never a bare speaker name.
_NOT_NAMES = frozenset("""
    datum date tid time kl klockan plats place ort location kommun projekt intervju interview
    fokusgrupp transkription transkriberad transcript syfte mål metod obs notera not anm anmärkning
    ämne tema titel title rubrik källa source bakgrund sammanfattning summary exempel example ex
    länk link url http https www mail e-post email tel telefon phone sida page fil file version
    tabell table figur figure bilaga appendix fotnot citat kod code ref re fw fwd varaktighet längd
    duration närvarande
""".split())
_NAME_PARTICLES = frozenset("af von van de der den du la le".split())


class _Candidate(NamedTuple):
    line_start: int     # where the label's line starts
    label: str          # whitespace-normalised label
    t_start: float | None
    stamped: bool       # a time stamp stands before or in an inline label
    text_start: int     # where the utterance may start
    alone: bool         # a line holding only a name and a time


def split_turns(text: str) -> list[Turn]:
    """Split plain text into speaker turns by the labels described in the module docstring.

    >>> t = split_turns("Intervju 1\\n\\nI: Hur började det?\\nIP: Med ett möte.")
    >>> [(x.speaker, "Intervju 1\\n\\nI: Hur började det?\\nIP: Med ett möte."[x.start:x.end]) for x in t]
    [(None, 'Intervju 1'), ('I', 'Hur började det?'), ('IP', 'Med ett möte.')]
    """
    candidates = [_candidate(m) for m in _LABEL_LINE.finditer(text)]
    if sum(c.alone for c in candidates) >= 2:        # written in the "Name 0:03" style
        candidates = [c._replace(stamped=True) if c.alone else c for c in candidates]
    counts = Counter(c.label for c in candidates)
    decided: dict[tuple[str, bool], bool] = {}
    for c in candidates:
        if (c.label, c.stamped) not in decided:
            decided[c.label, c.stamped] = _is_speaker(c.label, counts[c.label], c.stamped)
    labels = [c for c in candidates if decided[c.label, c.stamped]]
    turns: list[Turn] = []
    first = labels[0].line_start if labels else len(text)
    _add_turn(turns, text, 0, first, None, None)
    for i, c in enumerate(labels):
        stop = labels[i + 1].line_start if i + 1 < len(labels) else len(text)
        _add_turn(turns, text, c.text_start, stop, c.label, c.t_start)
    return _header_lines_are_no_turns(text, turns)


# "Intervjuare: Lena Berg" at the top of a transcript names the interviewer; it is said by nobody.
_NAME_ONLY = re.compile(r"[A-ZÅÄÖÉÜ][\w'’-]*(?:[ \t]+(?:af|von|van|de|[A-ZÅÄÖÉÜ][\w'’-]*)){1,3}")  # first + last
_SAID = re.compile(r"[.!?…]")


def _header_lines_are_no_turns(text: str, turns: list[Turn]) -> list[Turn]:
    """In the header block (the turns before the first one that says anything with punctuation), a
    labelled line holding only a full name ("Intervjuare: Lena Berg") is a header, not a turn: no speaker.
    A single word ("I: Hej") stays a turn.

    >>> t = "Intervjuare: Lena Berg\\nIntervjuare: Hur började det?\\nChef: Lena ringde."
    >>> [(x.speaker, t[x.start:x.end]) for x in split_turns(t)]
    [(None, 'Lena Berg'), ('Intervjuare', 'Hur började det?'), ('Chef', 'Lena ringde.')]
    """
    for turn in turns:
        if turn.speaker is None:
            continue
        said = text[turn.start:turn.end].strip()
        if _SAID.search(said):
            break
        if _NAME_ONLY.fullmatch(said.split("\n", 1)[0].strip()):
            turn.speaker = None
    return turns


_TS_GROUPS = tuple(f"ts_{c}" for c in "abcdefghijk")


def _candidate(m: re.Match) -> _Candidate:
    """The label, time and utterance start of one match of ``_LABEL_LINE``."""
    label = m["label"]
    inline = label is not None
    if not inline:
        label = m["label_f"] or m["label_g"]
    stamp = next(filter(None, m.group(*_TS_GROUPS)), None)
    return _Candidate(m.start(), " ".join(label.split()), parse_time(stamp) if stamp else None,
                      inline and stamp is not None, m.end(), not inline)


def _is_speaker(label: str, count: int, stamped: bool) -> bool:
    """Decide whether a label candidate names a speaker (the heuristic in the module docstring)."""
    words = label.split(" ")
    if len(label) > 40 or not all(_capitalised(w) for w in words[1:]):
        return False
    first = words[0].casefold()
    role = first.rstrip("0123456789")
    if role in _ROLE_WORDS:
        return len(words) == 1 or role not in _ONE_LETTER_ROLES
    if len(words) > 3 or not _capitalised(words[0]) or first in _NOT_NAMES:
        return False
    if first.isdigit() and len(first) > 2:          # "2013: 1 st" is not speaker 2013
        return False
    return stamped or count >= 2


def _capitalised(word: str) -> bool:
    """A word that may be part of a name: starts with a capital or digit, or is a particle ("af")."""
    return word[0].isupper() or word[0].isdigit() or word in _NAME_PARTICLES


def _starts_with_label(line: str) -> bool:
    """True when a single line starts with something that would be taken as a speaker label."""
    m = _LABEL_LINE.match(line)
    if not m:
        return False
    c = _candidate(m)
    return _is_speaker(c.label, 2, c.stamped)


def _add_turn(turns: list[Turn], text: str, start: int, stop: int, speaker, t_start) -> None:
    """Append the turn ``text[start:stop]`` without surrounding whitespace, if anything is left."""
    while start < stop and text[start].isspace():
        start += 1
    while stop > start and text[stop - 1].isspace():
        stop -= 1
    if stop > start:
        turns.append(Turn(start, stop, speaker, t_start))


_TIME = re.compile(r"(?:(?:(?P<h>\d+):)?(?P<m>\d+):)?(?P<s>\d+(?:[.,]\d+)?)")


def parse_time(value: str) -> float:
    """Seconds from "hh:mm:ss", "h:mm:ss", "mm:ss" (optionally ".ms" or ",ms") or plain seconds.

    >>> parse_time("00:01:23"), parse_time("1:02.5"), parse_time("83,5")
    (83.0, 62.5, 83.5)

    Raises ValueError for anything else.
    """
    m = _TIME.fullmatch(value.strip())
    if not m:
        raise ValueError(f"not a time: {value!r}")
    seconds = float(m["s"].replace(",", "."))
    if (m["m"] is not None and seconds >= 60) or (m["h"] is not None and int(m["m"]) >= 60):
        raise ValueError(f"not a time: {value!r}")
    return int(m["h"] or 0) * 3600 + int(m["m"] or 0) * 60 + seconds
