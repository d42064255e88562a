"""Pseudonymise interview transcripts: names, personnummer, phone numbers and e-mail addresses.

Interviews about named people are personal data (GDPR). This module finds the
people and numbers in a project's transcripts, proposes stable placeholders,
lets a reviewer drop what is not personal data, and then rewrites the project
in one transaction. Three calls::

    plan = propose(project, key_file="D:/safe/study-key.json")   # nothing is changed yet
    plan = plan.drop(texts=["Höglandet"])                       # the reviewer's decisions
    applied = apply(project, plan, key_file="D:/safe/study-key.json", actor="anna")

What is found (no language model is needed or downloaded):

* **persons**: speaker labels that look like personal names ("Lena Berg:", not
  roles such as "Intervjuare", "SE-coach", "Chef 2"); the values of attributes
  that hold people (``intervjuare``, ``namn``, ``deltagare`` … — never
  ``kommun``, ``verksamhet`` or ``roll``); the caller's ``names``; and, as a
  guess, capitalised words inside a sentence that are not known places,
  organisations or ordinary words, and common Swedish first names and
  surnames anywhere. Every form of a known person counts: first name, surname,
  any capitalisation of the full name and the genitive ("Lenas" becomes
  ``[Person 1]s``). Guesses that name no known person carry
  ``confidence="low"``;
* **Swedish personnummer and samordningsnummer** (YYMMDD-XXXX, YYMMDD+XXXX,
  YYYYMMDDXXXX …) with a valid date and check digit (Luhn), so other ten-digit
  numbers are not hit;
* **phone numbers** in Swedish forms (070-123 45 67, 08-123 456 78,
  +46 70 123 45 67, 0046 …) and **e-mail addresses**.

Municipalities (all 290), other places, organisations and authorities
(Arbetsförmedlingen, Försäkringskassan, Samordningsförbundet …), the project's
``kommun`` values and the caller's ``keep`` words are never replaced.

Placeholders are ``[Person 1]``, ``[Person 2]`` … (the same person keeps the
same number across the whole project and across runs), ``[Personnummer]``,
``[Telefon]`` and ``[E-post]``.

What :func:`apply` rewrites, in one transaction: each transcript's text, with
every segment's start and end shifted by the length changes before it, so
existing codings stay on the same words and every count and matrix is
unchanged; speaker labels; the values of person attributes; and every other
text that may quote a person — memos, coding memos, the codebook's texts and
the audit log's targets and details. It records one audit entry per
transcript (``transcript.pseudonymise``, counts only) and one for the whole
run (``project.pseudonymise``), then rebuilds the file (``VACUUM``) so the
old text survives neither in freed pages nor in the ``-wal`` file.

**The key** (placeholder → original, with every replaced passage) is written
to the separate JSON file ``key_file`` (permissions 600), never into the
project. Keep it apart from the project — on another drive or with the
research data manager — since with it the interviews can be re-identified.
An existing key file is extended: the people it knows keep their numbers in
transcripts imported later. A transcript's ``sha256`` (which detects
re-imports) becomes the hash of its pseudonymised text; the original file's
hash goes into the key. Importing the original file again is refused by its
name; under another name it comes in as a new transcript, to be pseudonymised
like any other.

Afterwards, :func:`leftovers` lists every place in the project where an
original of the key still occurs, :func:`restore_text` gives a transcript's
original text back from the key, and :func:`compact_project` repeats the
compaction when someone was reading the project during :func:`apply`.

>>> import pathlib, tempfile
>>> key = pathlib.Path(tempfile.mkdtemp()) / "study-key.json"
>>> plan = propose(project, key_file=key)
>>> sorted({(f.text, f.placeholder) for f in plan.findings})
[('Per Lindahl', '[Person 2]'), ('Sara Holmgren', '[Person 1]')]
>>> applied = apply(project, plan, key_file=key, actor="anna")
>>> applied.counts, sorted({t["attributes"]["intervjuare"] for t in project.transcripts()})
({'person': 16}, ['[Person 1]', '[Person 2]'])
>>> [f.replacement for f in detect_text("Jag ringde Lena Berg på 070-123 45 67. Lenas chef i Eksjö svarade.",
...                                     names=["Lena Berg"])]
['[Person 1]', '[Telefon]', '[Person 1]s']
"""

from __future__ import annotations

import bisect
import calendar
import hashlib
import json
import os
import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from . import pseudonymise_words as words
from .errors import QcodeError
from .segmentation import count_words

PERSON = "person"
PERSONNUMMER = "personnummer"
PHONE = "phone"
EMAIL = "email"
KINDS = (PERSON, PERSONNUMMER, PHONE, EMAIL)
FIXED_PLACEHOLDERS = {PERSONNUMMER: "[Personnummer]", PHONE: "[Telefon]", EMAIL: "[E-post]"}
TEXT = "text"
ATTRIBUTE = "attribute:"
KEY_FORMAT = "qcode pseudonymisation key"
KEY_VERSION = 1
CONTEXT_CHARS = 40


class PseudonymisationProblem(QcodeError):
    """A plan that no longer fits the project or key file, or a key file that cannot be used."""


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Finding:
    """One passage to replace.

    ``field`` is ``"text"`` (offsets into the transcript's stored text) or
    ``"attribute:NAME"`` (offsets into that attribute's value). ``text`` is
    the passage as it stands, ``replacement`` what takes its place (the
    placeholder plus a kept genitive ending). ``source`` says why it was
    found (``speaker``, ``attribute``, ``names``, ``key``, ``name list``,
    ``capitalised``, ``pattern``); ``before``/``after`` show its context.
    """

    transcript: str
    start: int
    end: int
    text: str
    kind: str
    placeholder: str
    replacement: str
    source: str
    confidence: str = "high"
    before: str = ""
    after: str = ""
    field: str = TEXT

    @property
    def id(self) -> str:
        """A stable identifier (for a reviewer's "drop" decisions)."""
        return f"{self.transcript}|{self.field}|{self.start}-{self.end}"

    @property
    def context(self) -> str:
        """The passage in its context, marked with » «."""
        return f"{self.before}»{self.text}«{self.after}"


@dataclass(frozen=True)
class Person:
    """One person of the plan: placeholder, the name it stands for, the forms found and how many."""

    placeholder: str
    name: str
    variants: tuple[str, ...]
    source: str
    new: bool
    findings: int = 0


@dataclass(frozen=True)
class Plan:
    """A reviewable proposal: what :func:`apply` would replace, nothing changed yet.

    ``findings`` are in transcript and text order. ``hashes`` remembers each
    transcript's text at proposal time (a plan for a text that changed
    meanwhile is refused); ``key_persons`` the key file's persons then.
    """

    findings: tuple[Finding, ...]
    persons: tuple[Person, ...]
    hashes: Mapping[str, str]
    key_persons: tuple[tuple[str, str], ...] = ()
    dropped: tuple[Finding, ...] = ()

    def counts(self) -> dict[str, int]:
        """Findings per kind (only kinds that occur)."""
        out: dict[str, int] = {}
        for f in self.findings:
            out[f.kind] = out.get(f.kind, 0) + 1
        return out

    def transcripts(self) -> list[str]:
        """The transcripts that have findings."""
        return sorted({f.transcript for f in self.findings})

    def rows(self) -> list[dict]:
        """The findings as plain dicts (for a review table, CSV or a dry run)."""
        return [{"id": f.id, "transcript": f.transcript, "field": f.field, "start": f.start, "end": f.end,
                 "kind": f.kind, "text": f.text, "replacement": f.replacement, "source": f.source,
                 "confidence": f.confidence, "context": f.context} for f in self.findings]

    def drop(self, ids: Iterable[str] = (), *, placeholders: Iterable[str] = (), texts: Iterable[str] = (),
             kinds: Iterable[str] = (), confidence: str | None = None) -> "Plan":
        """A new plan without the given findings (the reviewer's "not personal data").

        ``ids`` are :attr:`Finding.id`; ``placeholders`` drop a whole person
        (``"[Person 3]"``); ``texts`` drop every finding of these words
        (any case, also their genitive); ``kinds`` drop whole kinds;
        ``confidence="low"`` drops every guess. New persons left without
        findings disappear and the others are numbered without gaps.
        """
        ids, placeholders, kinds = set(ids), set(placeholders), set(kinds)
        texts = {_norm(t) for t in texts}
        keep, dropped = [], list(self.dropped)
        for f in self.findings:
            base = _norm(f.text[:len(f.text) - (len(f.replacement) - len(f.placeholder))])
            if (f.id in ids or f.placeholder in placeholders or f.kind in kinds or base in texts
                    or _norm(f.text) in texts or (confidence is not None and f.confidence == confidence)):
                dropped.append(f)
            else:
                keep.append(f)
        return _renumbered(replace(self, findings=tuple(keep), dropped=tuple(dropped)))

    def keep_only(self, ids: Iterable[str]) -> "Plan":
        """A new plan with only the findings whose ids are given (a review screen's ticked rows)."""
        ids = set(ids)
        return self.drop([f.id for f in self.findings if f.id not in ids])

    def preview(self, text: str, transcript: str) -> str:
        """``text`` (the transcript's stored text) as it would read after :func:`apply`."""
        return rewrite_text(text, [f for f in self.findings if f.transcript == transcript and f.field == TEXT])[0]


@dataclass(frozen=True)
class Applied:
    """What :func:`apply` changed."""

    transcripts: tuple[str, ...]
    counts: dict[str, int]
    segments_moved: int
    speakers: int
    attributes: int
    other_texts: dict[str, int]
    key_file: Path
    compacted: bool
    warnings: tuple[str, ...] = ()
    deleted_backups: tuple[Path, ...] = ()


# --------------------------------------------------------------------------- small helpers


def _norm(text: str) -> str:
    """Case-folded, white space collapsed, one kind of apostrophe."""
    return " ".join(text.replace("’", "'").casefold().split())


def _store(project_or_store):
    return getattr(project_or_store, "store", project_or_store)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def _context(text: str, start: int, end: int) -> tuple[str, str]:
    before = text[max(0, start - CONTEXT_CHARS):start]
    after = text[end:end + CONTEXT_CHARS]
    before = ("…" if start > CONTEXT_CHARS else "") + " ".join(before.split(" ")).replace("\n", " ")
    after = after.replace("\n", " ") + ("…" if end + CONTEXT_CHARS < len(text) else "")
    return before, after


def _sentence_start(text: str, pos: int) -> bool:
    """Whether a word at ``pos`` starts a sentence, a line or an utterance."""
    j = pos - 1
    while j >= 0 and text[j] in " \t\"'«»“”‘’(–—-*_":
        j -= 1
    return j < 0 or text[j] in ".!?…:\n"


# --------------------------------------------------------------------------- numbers and e-mail

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w-])")
_PNR = re.compile(r"(?<![\w+-])(?P<cent>19|20)?(?P<yy>\d{2})(?P<mm>\d{2})(?P<dd>\d{2})(?P<sep>[-+]?)(?P<tail>\d{4})"
                  r"(?![\w-])")
_PHONE = re.compile(r"(?<![\w+])(?:(?:\+|00)46[ -]?(?:\(0\)[ -]?)?|\(?0)\d[\d \-/()]{4,15}\d(?![\w-])")
_DATE_LIKE = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}")
_PLACEHOLDER = re.compile(r"\[(?:Person \d+|Personnummer|Telefon|E-post)\][s'’]?")


def luhn_ok(digits: str) -> bool:
    """Whether the last digit of a ten-digit personnummer is its check digit (Luhn).

    >>> luhn_ok("8112189876"), luhn_ok("8112189875")
    (True, False)
    """
    total = 0
    for i, ch in enumerate(digits[:9]):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return (10 - total % 10) % 10 == int(digits[9])


def _valid_date(year: int, month: int, day: int) -> bool:
    if day > 60:                          # samordningsnummer: day + 60
        day -= 60
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def _personnummer(m: re.Match) -> bool:
    yy, mm, dd = int(m["yy"]), int(m["mm"]), int(m["dd"])
    if m["cent"]:
        dated = _valid_date(int(m["cent"] + m["yy"]), mm, dd)
    else:
        dated = _valid_date(1900 + yy, mm, dd) or _valid_date(2000 + yy, mm, dd)
    return dated and luhn_ok(m["yy"] + m["mm"] + m["dd"] + m["tail"])


def _phone(candidate: str) -> bool:
    digits = re.sub(r"\D", "", candidate.replace("(0)", ""))
    if candidate.startswith("+46"):
        national = "0" + digits[2:]
    elif candidate.startswith("0046"):
        national = "0" + digits[4:]
    else:
        national = digits
    if not 8 <= len(national) <= 10 or not national.startswith("0") or national[1] == "0":
        return False
    if _DATE_LIKE.fullmatch(candidate) or re.fullmatch(r"\d{6}[-+]\d{4}", candidate):
        return False
    return candidate.count("(") == candidate.count(")") or candidate.startswith("(")


def _pattern_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of e-mail addresses, valid personnummer and phone numbers."""
    out = [(m.start(), m.end(), EMAIL) for m in _EMAIL.finditer(text)]
    out += [(m.start(), m.end(), PERSONNUMMER) for m in _PNR.finditer(text) if _personnummer(m)]
    for m in _PHONE.finditer(text):
        s, e = m.start(), m.end()
        cand = m.group()
        while cand and cand[-1] in " -/(":
            cand, e = cand[:-1], e - 1
        if _phone(cand):
            out.append((s, e, PHONE))
    return out


# --------------------------------------------------------------------------- names

_CAP = "A-ZÅÄÖÆØÉÈÜÁÍÓÚÑÇ"
_LOW = "a-zåäöæøéèüáíóúñçëïôâ"
_NAME_WORD = rf"[{_CAP}][{_LOW}]+(?:-[{_CAP}][{_LOW}]+)?"
_PARTICLES = "af|von|van|de|da|di|du|la|le|del|dos|der"
_NAME_RUN = re.compile(rf"(?<![\w\[@.-]){_NAME_WORD}(?: (?:(?:{_PARTICLES}) )?{_NAME_WORD}){{0,3}}"
                       r"(?P<suf>'s|’s|'|’)?(?![\w@-])")
_GENITIVE = r"(?P<suf>s|'s|’s|'|’)?"
_SURNAME_ENDINGS = ("sson", "son", "berg", "ström", "gren", "qvist", "kvist", "lund", "holm", "blad", "dahl",
                    "stedt", "sköld", "stam", "ius")
_PLACE_ENDINGS = ("ryd", "torp", "köping", "hult", "fors", "sjö", "hamn", "stad", "vik", "näs", "bygden",
                  "landet", "bro", "berga", "måla", "boda", "red", "arp", "inge", "tuna", "by", "åker", "ås",
                  "öring", "bruk", "viken", "dalen", "heden", "skogen")
# Definite and derivational endings of ordinary words ("Höglandsprojektet", "Europeiska"), rare in names.
_WORD_ENDINGS = ("et", "ets", "erna", "arna", "orna", "ning", "ningen", "het", "heten", "ska", "iska", "iskt",
                 "else", "ism", "tion", "tionen", "ologi", "andet", "endet")
_ROLE = words.ROLE_WORDS


def _base(word: str) -> tuple[str, str]:
    """Split a genitive ending off the (last) word of a name: "Lenas" -> ("Lena", "s"), "Lars" stays.

    An "s" is taken for a genitive when the rest is a known name or looks like a
    surname, or when it follows a consonant ("Ekmans"); names that end in s
    themselves ("Lars", "Jonas", "Agnes") keep it.
    """
    for suf in ("'s", "’s", "'", "’"):
        if word.endswith(suf):
            return word[:-len(suf)], suf
    w = word.casefold()
    if not w.endswith("s") or len(w) < 4 or w in words.FIRST_NAMES or w in words.SURNAMES:
        return word, ""
    stem = w[:-1]
    if stem in words.FIRST_NAMES or stem in words.SURNAMES or stem.endswith(_SURNAME_ENDINGS):
        return word[:-1], "s"
    if stem[-1] not in "aeiouyåäöészx":
        return word[:-1], "s"
    return word, ""


class _Keep:
    """The words and phrases that are never replaced by a guess."""

    def __init__(self, extra: Iterable[str]):
        self.words = set(words.MUNICIPALITIES | words.PLACES | words.ORGANISATIONS)
        self.words |= {_norm(w) for w in extra if w and w.strip()}
        self.phrases = sorted((w for w in self.words if " " in w or "-" in w), key=len, reverse=True)
        self.classes: dict[str, str] = {}           # word -> _word_class (a cache)

    def __contains__(self, word: str) -> bool:
        w = _norm(word)
        return w in self.words or (w.endswith("s") and w[:-1] in self.words)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where kept phrases of several words ("Lilla Edet", "Röda Korset") stand in ``text``."""
        folded = text.casefold()
        present = [p for p in self.phrases if re.split(r"[ -]", p, maxsplit=1)[0] in folded]
        if not present:
            return []
        pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in present)
                             + r")s?(?!\w)", re.IGNORECASE)
        return [(m.start(), m.end()) for m in pattern.finditer(text)]


def _word_class(word: str, keep: _Keep) -> str:
    """keep, stop, first, sur, place, word or unknown (for the capitalised-name guess)."""
    cls = keep.classes.get(word)
    if cls is None:
        cls = keep.classes[word] = _classify(word, keep)
    return cls


def _classify(word: str, keep: _Keep) -> str:
    w = _norm(word)
    stem, _suf = _base(word)
    s = _norm(stem)
    if w in keep or s in keep:
        return "keep"
    if w in words.NOT_NAMES or s in words.NOT_NAMES or w.rstrip("0123456789") in _ROLE:
        return "stop"
    if s in words.FIRST_NAMES or all(p in words.FIRST_NAMES for p in s.split("-")):
        return "first"
    if s in words.SURNAMES or s.endswith(_SURNAME_ENDINGS):
        return "sur"
    if s.endswith(_PLACE_ENDINGS):
        return "place"
    if s.endswith(_WORD_ENDINGS):
        return "word"
    return "unknown"


def _looks_like_name(value: str, keep: _Keep) -> bool:
    """A speaker label or attribute value that names a person ("Lena Berg", "Bertil"), not a role."""
    parts = value.split()
    if not 1 <= len(parts) <= 4 or any(ch.isdigit() for ch in value) or len(value) > 60:
        return False
    first = parts[0].casefold().rstrip("0123456789")
    if first in _ROLE or first in words.NOT_NAMES:
        return False
    for p in parts:
        if p in _PARTICLES.split("|"):
            continue
        k = _norm(p)
        if not re.fullmatch(_NAME_WORD, p) or k in words.NOT_NAMES:
            return False
        if k in keep and not (k in words.SURNAMES or k in words.FIRST_NAMES):     # "Lena Berg", not "Eksjö"
            return False
    return True


@dataclass
class _PersonState:
    placeholder: str
    name: str
    source: str
    new: bool
    variants: set[str] = field(default_factory=set)


class _Registry:
    """Which placeholder each person and each form of a name gets."""

    def __init__(self, key_persons: Sequence[dict], keep: _Keep):
        self.keep = keep
        self.persons: dict[str, _PersonState] = {}
        self.by_name: dict[str, str] = {}
        self.by_variant: dict[str, str] = {}
        self.ambiguous: set[str] = set()
        self.explicit: set[str] = set()
        self.next = 1
        self._matcher: tuple[tuple, re.Pattern | None] | None = None
        for p in key_persons:
            ph = p["placeholder"]
            self.persons[ph] = _PersonState(ph, p["name"], "key", False)
            self.next = max(self.next, _number(ph) + 1)
            self.by_name.setdefault(_norm(p["name"]), ph)
            listed = p.get("source") == "names"
            for v in [p["name"], *p.get("variants", [])]:
                self._variant(ph, v, force=True, explicit=listed and _norm(v) == _norm(p["name"]))

    def _variant(self, ph: str, form: str, *, force: bool = False, explicit: bool = False) -> None:
        """Register one form of a person's name (``force``: even a kept or ordinary word; ``explicit``:
        the caller named it, so it counts even where an ordinary word would not)."""
        k = _norm(form)
        single = " " not in k
        if len(k) < 2 or (single and not force and (k in self.keep or k in words.NOT_NAMES or k in _ROLE)):
            return
        owner = self.by_variant.get(k)
        if owner is not None and owner != ph:
            if self.by_name.get(k) == owner:       # it is someone's whole name: stays theirs
                return
            del self.by_variant[k]
            self.ambiguous.add(k)
            return
        if k in self.ambiguous and self.by_name.get(k) != ph:
            return
        self.by_variant[k] = ph
        self.persons[ph].variants.add(" ".join(form.split()))
        if explicit:
            self.explicit.add(k)

    def person(self, name: str, source: str, *, explicit: bool = False) -> str:
        """The placeholder of a person named ``name`` (created if new)."""
        name = " ".join(name.split())
        k = _norm(name)
        if k in self.by_name:
            return self.by_name[k]
        if k in self.by_variant:
            return self.by_variant[k]
        ph = f"[Person {self.next}]"
        self.next += 1
        self.persons[ph] = _PersonState(ph, name, source, True)
        self.by_name[k] = ph
        parts = [p for p in name.split() if p not in _PARTICLES.split("|")]
        forms = [name]
        if len(parts) >= 2:
            forms += [parts[0], parts[-1], f"{parts[0]} {parts[-1]}"]
        self._variant(ph, name, force=True, explicit=explicit)
        for form in forms[1:]:
            self._variant(ph, form)
        return ph

    def lookup(self, form: str) -> str | None:
        k = _norm(form)
        return self.by_name.get(k) or self.by_variant.get(k)

    def matcher(self) -> re.Pattern | None:
        """One pattern for every known form of every person (cached until a form is added)."""
        # forms are only added, or moved to ``ambiguous`` (which only grows): the sizes identify the content
        size = (len(self.by_variant), len(self.by_name), len(self.ambiguous))
        if self._matcher is None or self._matcher[0] != size:
            self._matcher = (size, _names_pattern(set(self.by_variant) | set(self.by_name)))
        return self._matcher[1]


def _names_pattern(forms: Iterable[str]) -> re.Pattern | None:
    """A pattern matching any of the (case-folded) name forms, whole words, with a genitive ending."""
    ordered = sorted(forms, key=len, reverse=True)
    if not ordered:
        return None
    alts = "|".join(r"\s+".join(re.escape(w).replace("'", "['’]") for w in f.split()) for f in ordered)
    return re.compile(rf"(?<![\w\[@.-])(?P<name>{alts}){_GENITIVE}(?![\w@-])", re.IGNORECASE)


def _number(placeholder: str) -> int:
    m = re.fullmatch(r"\[Person (\d+)\]", placeholder)
    if not m:
        raise PseudonymisationProblem(f"not a person placeholder: {placeholder!r}")
    return int(m.group(1))


# A candidate before placeholders are assigned: (start, end, kind, priority, name, suffix, source, confidence)
_Cand = tuple


def _name_candidates(text: str, registry: _Registry, matcher: re.Pattern | None) -> list[_Cand]:
    """Known persons' names, in any of their forms."""
    out: list[_Cand] = []
    if matcher is None:
        return out
    for m in matcher.finditer(text):
        name = m["name"]
        k = _norm(name)
        single = " " not in k
        if single and not name[0].isupper():
            continue
        if single and k not in registry.explicit and k in words.COMMON_WORD_NAMES and _sentence_start(text, m.start()):
            continue
        ph = registry.lookup(name)
        if ph is None:
            continue
        suffix = m["suf"] or ""
        if suffix == "s" and k.endswith("s"):
            suffix = ""
        out.append((m.start(), m.start("name") + len(name) + len(suffix), PERSON, 3, name, suffix,
                    registry.persons[ph].source, "high"))
    return out


def _guess_runs(text: str, keep: _Keep) -> list[tuple[int, int, list[tuple[str, str]], str]]:
    """Capitalised words that may be names: (start, end of the name, [(word, class)], genitive after it)."""
    runs = []
    for m in _NAME_RUN.finditer(text):
        suffix = m["suf"] or ""
        body = m.group()[:len(m.group()) - len(suffix)]
        tokens = [(t.start(), t.group()) for t in re.finditer(r"\S+", body)]
        classes = [(w, _word_class(w, keep) if w not in _PARTICLES.split("|") else "particle") for _, w in tokens]
        for i in range(1, len(classes)):            # "Lena Berg": a surname that is also a place
            w, cls = classes[i]
            if cls == "keep" and classes[i - 1][1] == "first" and _norm(_base(w)[0]) in words.SURNAMES:
                classes[i] = (w, "sur")
        initial = _sentence_start(text, m.start())
        name_like = []
        for i, (w, cls) in enumerate(classes):
            if cls == "particle":
                ok = 0 < i < len(classes) - 1
            elif cls in ("keep", "stop", "place", "word"):
                ok = False
            elif i == 0 and initial:
                nxt = classes[1][1] if len(classes) > 1 else None
                common = _norm(_base(w)[0]) in words.COMMON_WORD_NAMES
                ok = cls in ("first", "sur") and (not common or nxt in ("first", "sur"))
            else:
                ok = True
            name_like.append(ok)
        i = 0
        while i < len(classes):
            if not name_like[i] or classes[i][1] == "particle":
                i += 1
                continue
            j = i
            while j + 1 < len(classes) and name_like[j + 1]:
                j += 1
            while classes[j][1] == "particle":
                j -= 1
            start = m.start() + tokens[i][0]
            end = m.start() + tokens[j][0] + len(tokens[j][1])
            suf = suffix if j == len(classes) - 1 else ""
            if not suf:
                _stem, suf = _base(tokens[j][1])
                end -= len(suf)
            runs.append((start, end, classes[i:j + 1], suf))
            i = j + 1
    return runs


def _resolve(cands: list[_Cand], protected: list[tuple[int, int]]) -> list[_Cand]:
    """Non-overlapping candidates, preferring higher priority (lower number) and then longer spans."""
    taken: list[tuple[int, int]] = sorted(protected)
    starts = [s for s, _ in taken]
    chosen = []
    for c in sorted(cands, key=lambda c: (c[3], -(c[1] - c[0]), c[0])):
        s, e = c[0], c[1]
        i = bisect.bisect_left(starts, s)
        if (i > 0 and taken[i - 1][1] > s) or (i < len(taken) and taken[i][0] < e):
            continue
        taken.insert(i, (s, e))
        starts.insert(i, s)
        chosen.append(c)
    return sorted(chosen)


class _Detector:
    """Finds persons, numbers and e-mail addresses in texts that share one registry.

    Call :meth:`discover` on every text first (it registers the people the
    guess names with two or more words, so their first names and surnames
    count everywhere), then :meth:`find` with what it returned.
    """

    def __init__(self, registry: _Registry, keep: _Keep, *, guess: bool = True):
        self.registry = registry
        self.keep = keep
        self.guess = guess

    def discover(self, text: str) -> list:
        """First pass: the guess's runs of capitalised words; registers people named with two or more words."""
        if not self.guess:
            return []
        runs = _guess_runs(text, self.keep)
        for start, end, toks, _suf in runs:
            real = [(w, c) for w, c in toks if c != "particle"]
            if len(real) >= 2 and any(c in ("first", "sur") for _, c in real):
                self.registry.person(text[start:end], "capitalised")
        return runs

    def find(self, text: str, runs: list) -> list[_Cand]:
        """Second pass: every candidate in ``text``, without overlaps (``runs`` from :meth:`discover`)."""
        protected = [(m.start(), m.end()) for m in _PLACEHOLDER.finditer(text)]
        cands: list[_Cand] = [(s, e, kind, {EMAIL: 0, PERSONNUMMER: 1, PHONE: 2}[kind], text[s:e], "", "pattern",
                               "high") for s, e, kind in _pattern_spans(text)]
        cands += _name_candidates(text, self.registry, self.registry.matcher())
        keep_spans = self.keep.spans(text) if runs else []
        for start, end, toks, suf in runs:
            if any(s < end and start < e for s, e in keep_spans):
                continue
            real = [(w, c) for w, c in toks if c != "particle"]
            known = any(c in ("first", "sur") for _, c in real)
            cands.append((start, end + len(suf), PERSON, 4, text[start:end], suf, "capitalised",
                          "high" if known else "low"))
        return _resolve(cands, protected)


def _finding(transcript: str, text: str, c: _Cand, placeholder: str, field_: str = TEXT) -> Finding:
    s, e, kind, _prio, _name, suffix, source, confidence = c
    before, after = _context(text, s, e)
    return Finding(transcript, s, e, text[s:e], kind, placeholder, placeholder + suffix, source, confidence,
                   before, after, field_)


def _placeholder(c: _Cand, registry: _Registry) -> str:
    if c[2] != PERSON:
        return FIXED_PLACEHOLDERS[c[2]]
    return registry.lookup(c[4]) or registry.person(c[4], c[6])


# --------------------------------------------------------------------------- key file


def load_key(key_file: str | Path | None) -> dict:
    """The key file's content (an empty key when the file does not exist yet)."""
    empty = {"format": KEY_FORMAT, "version": KEY_VERSION, "persons": [], "runs": []}
    if key_file is None:
        return empty
    path = Path(key_file)
    if not path.exists():
        return empty
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PseudonymisationProblem(f"cannot read the key file ({exc})", path=str(path)) from None
    if not isinstance(data, dict) or data.get("format") != KEY_FORMAT:
        raise PseudonymisationProblem("not a qcode pseudonymisation key (refusing to use or overwrite it)",
                                      path=str(path))
    if data.get("version", 0) > KEY_VERSION:
        raise PseudonymisationProblem("the key file was written by a newer qcode; upgrade qcode", path=str(path))
    data.setdefault("persons", [])
    data.setdefault("runs", [])
    return data


def _key_persons(key: dict) -> tuple[tuple[str, str], ...]:
    return tuple((p["placeholder"], p["name"]) for p in key["persons"])


def _project_label(store) -> str:
    """The project as the key file names it: the file's name, or the PostgreSQL location without a password."""
    return Path(store.path).name if store.path is not None else store.where


def _check_key_path(key_file: str | Path, store) -> Path:
    path = Path(key_file).expanduser()
    project = Path(store.path).resolve() if store.path is not None else None  # None: a project on PostgreSQL
    resolved = path.resolve()
    siblings = {project.name + s for s in ("-wal", "-shm", "-journal")} if project else set()
    if project and (resolved == project or (resolved.parent == project.parent and resolved.name in siblings)):
        raise PseudonymisationProblem("the key must be a separate file, not the project file", path=str(path))
    if path.exists() and path.is_dir():
        raise PseudonymisationProblem("the key file is a folder", path=str(path))
    if not path.parent.exists():
        raise PseudonymisationProblem("the key file's folder does not exist", path=str(path.parent))
    return path


def _write_private(path: Path, data: dict) -> Path:
    """Write ``data`` as JSON to a new file next to ``path`` readable by the owner only; returns it."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=1)
            fh.write("\n")
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.chmod(tmp, 0o600)
    return tmp


# --------------------------------------------------------------------------- detection API


def _person_attribute(name: str, values: list[str], keep: _Keep) -> bool:
    parts = set(re.split(r"[\s_\-.]+", name.casefold()))
    if parts & words.KEEP_ATTRIBUTES:
        return False
    if parts & words.PERSON_ATTRIBUTES:
        return True
    named = [v for v in values if _looks_like_name(v, keep)
             and any(_norm(p) in words.FIRST_NAMES for p in v.split())]
    return bool(values) and len(named) == len(values)


_SPLIT_NAMES = re.compile(r"\s*(?:[,;&/]|\boch\b|\band\b)\s*")


def propose(project_or_store, transcript: str | Sequence[str] | None = None, *, names: Iterable[str] = (),
            keep: Iterable[str] = (), key_file: str | Path | None = None,
            person_attributes: Iterable[str] | None = None, guess: bool = True) -> Plan:
    """Find what to replace in the project's transcripts and propose placeholders (changes nothing).

    ``transcript``: one name or several (default: every transcript).
    ``names``: persons the caller knows ("Lena Berg"); ``keep``: words never
    to replace. ``key_file``: an existing key continues its numbering
    (pass the same file to :func:`apply`). ``person_attributes``: the
    attributes whose values are persons (default: recognised by name and
    values). ``guess=False`` leaves out the capitalised-word guess.

    >>> plan = propose(project, names=["Sara Holmgren"])
    >>> plan.persons[0].name, plan.persons[0].placeholder, plan.persons[0].findings
    ('Sara Holmgren', '[Person 1]', 10)
    """
    store = _store(project_or_store)
    rw = store
    key = load_key(key_file)
    rows = rw.rewrite_transcripts()
    if transcript is not None:
        wanted = {transcript} if isinstance(transcript, str) else set(transcript)
        unknown = wanted - {name for _, name, _ in rows}
        if unknown:
            raise PseudonymisationProblem(f"no transcript named {', '.join(sorted(map(repr, unknown)))}")
        rows = [r for r in rows if r[1] in wanted]
    attributes = rw.rewrite_attributes()
    values_by_attr: dict[str, list[str]] = {}
    for _tid, _t, attr, value in attributes:
        values_by_attr.setdefault(attr, []).append(value)
    kommun = {v for a, vs in values_by_attr.items() if set(re.split(r"[\s_\-.]+", a.casefold()))
              & words.KEEP_ATTRIBUTES for v in vs}
    keeper = _Keep([*keep, *kommun])
    registry = _Registry(key["persons"], keeper)
    for name in names:
        if name and name.strip():
            registry.person(name, "names", explicit=True)
    speakers: list[str] = []
    for tid, _name, _text in rows:
        for _sid, _s, _e, speaker in rw.rewrite_segments(tid):
            if speaker and speaker not in speakers:
                speakers.append(speaker)
    for speaker in speakers:
        if _looks_like_name(speaker, keeper):
            registry.person(speaker, "speaker")
    if person_attributes is None:
        person_attrs = {a for a, vs in values_by_attr.items() if _person_attribute(a, vs, keeper)}
    else:
        person_attrs = set(person_attributes)
    selected = {name for _, name, _ in rows}
    attr_cands: list[tuple[str, str, str, _Cand]] = []
    for _tid, tname, attr, value in attributes:
        if tname not in selected:
            continue
        if attr in person_attrs:
            pos = 0
            for part in _SPLIT_NAMES.split(value):
                start = value.find(part, pos)
                pos = start + len(part)
                if part and _looks_like_name(part, keeper):
                    registry.person(part, "attribute")
                    attr_cands.append((tname, attr, value, (start, start + len(part), PERSON, 3, part, "",
                                                            "attribute", "high")))
        elif not set(re.split(r"[\s_\-.]+", attr.casefold())) & words.KEEP_ATTRIBUTES:
            for s, e, kind in _pattern_spans(value):
                attr_cands.append((tname, attr, value, (s, e, kind, 0, value[s:e], "", "pattern", "high")))
    detector = _Detector(registry, keeper, guess=guess)
    runs = [detector.discover(text) for _tid, _name, text in rows]
    findings: list[Finding] = []
    for (_tid, tname, text), text_runs in zip(rows, runs):
        for c in detector.find(text, text_runs):
            findings.append(_finding(tname, text, c, _placeholder(c, registry)))
    for tname, attr, value, c in attr_cands:
        findings.append(_finding(tname, value, c, _placeholder(c, registry), ATTRIBUTE + attr))
    findings.sort(key=lambda f: (f.transcript, f.field != TEXT, f.field, f.start))
    persons = tuple(Person(p.placeholder, p.name, tuple(sorted(p.variants)), p.source, p.new)
                    for p in sorted(registry.persons.values(), key=lambda p: _number(p.placeholder)))
    plan = Plan(tuple(findings), persons, {name: _sha(text) for _, name, text in rows}, _key_persons(key))
    return _renumbered(plan)


def detect(project_or_store, transcript: str | Sequence[str] | None = None, **options) -> list[Finding]:
    """The findings of :func:`propose` as a list (same options)."""
    return list(propose(project_or_store, transcript, **options).findings)


def detect_text(text: str, *, names: Iterable[str] = (), keep: Iterable[str] = (), guess: bool = True,
                transcript: str = "") -> list[Finding]:
    """Findings in one plain text (no project needed), numbered from ``[Person 1]``.

    >>> [(f.text, f.kind) for f in detect_text("Ring Karin Ek på karin.ek@firma.se, pnr 811218-9876.")]
    [('Karin Ek', 'person'), ('karin.ek@firma.se', 'email'), ('811218-9876', 'personnummer')]
    """
    keeper = _Keep(keep)
    registry = _Registry([], keeper)
    for name in names:
        if name and name.strip():
            registry.person(name, "names", explicit=True)
    detector = _Detector(registry, keeper, guess=guess)
    runs = detector.discover(text)
    return [_finding(transcript, text, c, _placeholder(c, registry)) for c in detector.find(text, runs)]


def _renumbered(plan: Plan) -> Plan:
    """Number the new persons that still have findings in order of appearance, after the key's numbers."""
    counts: dict[str, int] = {}
    for f in plan.findings:
        if f.kind == PERSON:
            counts[f.placeholder] = counts.get(f.placeholder, 0) + 1
    old = [p for p in plan.persons if not p.new]
    nxt = max((_number(p.placeholder) for p in old), default=0) + 1
    mapping: dict[str, str] = {}
    persons = [replace(p, findings=counts.get(p.placeholder, 0)) for p in old]
    first_seen: dict[str, int] = {}
    for i, f in enumerate(plan.findings):
        first_seen.setdefault(f.placeholder, i)
    for p in sorted((p for p in plan.persons if p.new), key=lambda p: first_seen.get(p.placeholder, len(first_seen))):
        if counts.get(p.placeholder):
            mapping[p.placeholder] = f"[Person {nxt}]"
            persons.append(replace(p, placeholder=f"[Person {nxt}]", findings=counts[p.placeholder]))
            nxt += 1
    findings = tuple(replace(f, placeholder=mapping[f.placeholder],
                             replacement=mapping[f.placeholder] + f.replacement[len(f.placeholder):])
                     if f.placeholder in mapping else f for f in plan.findings)
    return replace(plan, findings=findings, persons=tuple(persons))


# --------------------------------------------------------------------------- rewriting


def rewrite_text(text: str, findings: Sequence[Finding]) -> tuple[str, list[tuple[int, int, int, int]]]:
    """``text`` with the findings replaced, and each replacement's (old start, old end, new start, new end).

    >>> rewrite_text("Hej Lena!", detect_text("Hej Lena!"))[0]
    'Hej [Person 1]!'
    """
    parts, spans, pos, shift = [], [], 0, 0
    for f in sorted(findings, key=lambda f: f.start):
        if f.start < pos:
            raise PseudonymisationProblem(f"overlapping findings at {f.start} in {f.transcript!r}")
        parts.append(text[pos:f.start])
        parts.append(f.replacement)
        new_start = f.start + shift
        spans.append((f.start, f.end, new_start, new_start + len(f.replacement)))
        shift += len(f.replacement) - (f.end - f.start)
        pos = f.end
    parts.append(text[pos:])
    return "".join(parts), spans


def shift_offset(spans: Sequence[tuple[int, int, int, int]], offset: int, *, end: bool) -> int:
    """Where ``offset`` of the old text lies in the new text (``spans`` from :func:`rewrite_text`).

    A segment's start inside a replaced passage moves to the passage's new
    start, an end inside one to its new end.

    >>> spans = [(4, 8, 4, 14)]                       # "Lena" -> "[Person 1]" at 4
    >>> shift_offset(spans, 3, end=False), shift_offset(spans, 9, end=True), shift_offset(spans, 8, end=True)
    (3, 15, 14)
    """
    shift = 0
    for old_s, old_e, new_s, new_e in spans:
        if old_e <= offset:
            shift = new_e - old_e
            continue
        if old_s < offset:                  # inside this replacement
            return new_e if end else new_s
        break
    return offset + shift


class _Scrubber:
    """Replaces accepted names and the pattern kinds in free text (memos, audit details …)."""

    def __init__(self, forms: Mapping[str, str]):
        self.forms = dict(forms)
        self.pattern = _names_pattern(self.forms)

    def __call__(self, text: str) -> str:
        if not text:
            return text
        spans: list[tuple[int, int, str]] = []
        for s, e, kind in _pattern_spans(text):
            spans.append((s, e, FIXED_PLACEHOLDERS[kind]))
        if self.pattern is not None:
            for m in self.pattern.finditer(text):
                name = m["name"]
                k = _norm(name)
                if " " not in k and (not name[0].isupper() or (k in words.COMMON_WORD_NAMES
                                                                and _sentence_start(text, m.start()))):
                    continue
                suffix = m["suf"] or ""
                if suffix == "s" and k.endswith("s"):
                    suffix = ""
                spans.append((m.start(), m.start() + len(name) + len(suffix), self.forms[k] + suffix))
        out, pos = [], 0
        for s, e, rep in sorted(spans):
            if s < pos:
                continue
            out += [text[pos:s], rep]
            pos = e
        out.append(text[pos:])
        return "".join(out)

    def json(self, detail: str) -> str:
        try:
            data = json.loads(detail)
        except ValueError:
            return self(detail)

        def walk(v):
            if isinstance(v, str):
                return self(v)
            if isinstance(v, list):
                return [walk(x) for x in v]
            if isinstance(v, dict):
                return {k: walk(x) for k, x in v.items()}
            return v
        new = walk(data)
        return detail if new == data else json.dumps(new, ensure_ascii=False)


def _scrub_forms(plan: Plan) -> dict[str, str]:
    """name form (case-folded) -> placeholder, for the names the reviewer accepted."""
    forms: dict[str, str] = {}
    dropped = {_norm(f.text[:len(f.text) - (len(f.replacement) - len(f.placeholder))])
               for f in plan.dropped if f.kind == PERSON}
    used = {f.placeholder for f in plan.findings if f.kind == PERSON}
    for p in plan.persons:
        if p.placeholder not in used:
            continue
        for v in (p.name, *p.variants):
            if _norm(v) not in dropped:
                forms.setdefault(_norm(v), p.placeholder)
    for f in plan.findings:
        if f.kind == PERSON:
            forms[_norm(f.text[:len(f.text) - (len(f.replacement) - len(f.placeholder))])] = f.placeholder
    return forms


def apply(project_or_store, plan: Plan, *, key_file: str | Path, actor: str | None = None,
          compact: bool = True, delete_backups: bool = False) -> Applied:
    """Replace the plan's findings in the project, in one transaction, and extend the key file.

    Shifts every segment so codings stay on their words; rewrites speaker
    labels, person attributes, memos, codebook texts and the audit log's
    details with the same placeholders; records the audit entries; writes
    the key (placeholder → original) to ``key_file`` with permissions 600;
    then, with ``compact``, rebuilds the file so no old text survives in it.
    Refuses a plan whose transcripts or key file changed since it was made.

    No automatic backup is made (it would keep the names beside the
    project; the key is the way back, see :func:`restore_text`). The
    automatic backups made earlier (``<project>.backups/``) still hold the
    originals: they are named in ``Applied.warnings``, or deleted with
    ``delete_backups=True``. Speaker labels, memos, the codebook and the
    audit log are rewritten project-wide, also when the plan covers only
    some transcripts.
    """
    store = _store(project_or_store)
    rw = store
    key_path = _check_key_path(key_file, store)
    key = load_key(key_path)
    if _key_persons(key) != tuple(plan.key_persons):
        raise PseudonymisationProblem("the key file is not the one the plan was made with (or it changed since); "
                                      "propose again with the same key_file", path=str(key_path))
    warnings = []
    if store.path is not None and key_path.resolve().parent == Path(store.path).resolve().parent:
        warnings.append("the key file lies in the project's folder; move it to a separate, protected place")
    scrub = _Scrubber(_scrub_forms(plan))
    by_place: dict[tuple[str, str], list[Finding]] = {}
    for f in plan.findings:
        by_place.setdefault((f.transcript, f.field), []).append(f)
    counts: dict[str, int] = {}
    run = {"at": _now(), "actor": actor, "project": _project_label(store), "transcripts": {}, "attributes": [],
           "other": []}
    moved = speakers = n_attrs = 0
    other: dict[str, int] = {}
    changed_names: list[str] = []
    tmp = None
    with store.transaction():
        rows = {name: (tid, text) for tid, name, text in rw.rewrite_transcripts()}
        for (tname, field_), found in sorted(by_place.items()):
            if field_ != TEXT:
                continue
            if tname not in rows:
                raise PseudonymisationProblem(f"transcript {tname!r} is no longer in the project; propose again")
            tid, text = rows[tname]
            if plan.hashes.get(tname) != _sha(text):
                raise PseudonymisationProblem(f"transcript {tname!r} changed since the plan was made; propose again")
            for f in found:
                if text[f.start:f.end] != f.text:
                    raise PseudonymisationProblem(f"{tname!r} at {f.start}: the plan expects {f.text!r}; "
                                                  "propose again")
            new_text, spans = rewrite_text(text, found)
            segments = rw.rewrite_segments(tid)
            offsets = [(sid, shift_offset(spans, s, end=False), shift_offset(spans, e, end=True))
                       for sid, s, e, _speaker in segments]
            digest = _sha(f"qcode pseudonymised\n{tname}\n{new_text}")
            rw.replace_transcript_text(tid, new_text, offsets, sha256=digest, n_words=count_words(new_text))
            rw.move_spans(tid, [(i, shift_offset(spans, s, end=False), shift_offset(spans, e, end=True))
                                for i, s, e in rw.span_offsets(tid)])
            moved += sum(1 for (_sid, s, e), (_i, old_s, old_e, _sp) in zip(offsets, segments)
                         if (s, e) != (old_s, old_e))
            per_kind: dict[str, int] = {}
            for f in found:
                per_kind[f.kind] = per_kind.get(f.kind, 0) + 1
                counts[f.kind] = counts.get(f.kind, 0) + 1
            run["transcripts"][tname] = {
                "original_sha256": _sha(text),
                "replacements": [[ns, ne, f.text] for f, (_os, _oe, ns, ne) in zip(sorted(found, key=lambda f: f.start),
                                                                                 spans)]}
            store.audit("transcript.pseudonymise", actor=actor, target=tname,
                        detail={"counts": per_kind, "segments": len(offsets)})
            changed_names.append(tname)
        for tid, _tname in ((tid, name) for name, (tid, _t) in rows.items()):
            labels = {sp for _sid, _s, _e, sp in rw.rewrite_segments(tid) if sp}
            renames = {old: scrub(old) for old in labels if scrub(old) != old}
            if renames:
                speakers += rw.rename_speakers(tid, renames)
        attr_rows = []
        current = {(t, a): (tid, v) for tid, t, a, v in rw.rewrite_attributes()}
        for (tname, field_), found in sorted(by_place.items()):
            if field_ == TEXT:
                continue
            attr = field_[len(ATTRIBUTE):]
            tid, value = current.get((tname, attr), (None, None))
            if tid is None or any(value[f.start:f.end] != f.text for f in found):
                raise PseudonymisationProblem(f"attribute {attr!r} of {tname!r} changed since the plan was made; "
                                              "propose again")
            new_value = rewrite_text(value, found)[0]
            attr_rows.append((tid, attr, new_value))
            run["attributes"].append([tname, attr, value, new_value])
            for f in found:
                counts[f.kind] = counts.get(f.kind, 0) + 1
        n_attrs = rw.replace_attribute_values(attr_rows)
        cells = []
        for table, column, row_key, value in list(rw.free_text_cells()):
            new = scrub.json(value) if (table, column) == ("audit", "detail") else scrub(value)
            if new != value:
                cells.append((table, column, row_key, new))
                run["other"].append([table, column, row_key, value])
                other[f"{table}.{column}"] = other.get(f"{table}.{column}", 0) + 1
        rw.update_free_text_cells(cells)
        store.audit("project.pseudonymise", actor=actor,
                    detail={"transcripts": len(changed_names), "counts": counts, "speakers": speakers,
                            "attributes": n_attrs, "other": other})
        used = {f.placeholder for f in plan.findings if f.kind == PERSON}
        known = {p["placeholder"] for p in key["persons"]}
        for p in plan.persons:
            if p.placeholder in used and p.placeholder not in known:
                key["persons"].append({"placeholder": p.placeholder, "name": p.name, "variants": list(p.variants),
                                       "source": p.source})
        key["runs"].append(run)
        key["warning"] = ("This key turns placeholders back into names. Keep it apart from the project file, "
                          "in a protected place; never share it with the project.")
        tmp = _write_private(key_path, key)
    try:
        os.replace(tmp, key_path)
    except OSError as exc:
        raise PseudonymisationProblem(f"the project was pseudonymised but the key could not be moved into place; "
                                      f"it is in {tmp} ({exc.strerror or exc})", path=str(key_path)) from None
    compacted = rw.compact() if compact else False
    if compact and not compacted:
        warnings.append("someone was reading the project, so the file could not be compacted; run "
                        "compact_project when no one is working, so no replaced text remains in the file")
    if store.path is None:
        warnings.append("the project is on PostgreSQL: the server's write-ahead log, its replicas and its backups "
                        "(pg_dump, base backups) may still hold the original text; ask the database's "
                        "administrator to rotate them")
    from .backup import backup_folder, list_backups

    old_backups = list_backups(store)
    if old_backups and delete_backups:
        for path in old_backups:
            path.unlink(missing_ok=True)
    elif old_backups:
        warnings.append(f"{len(old_backups)} automatic backup(s) in {backup_folder(store)} were made before "
                        "and still hold the original names; delete them or keep them as safe as the key")
    return Applied(tuple(changed_names), counts, moved, speakers, n_attrs, other, key_path, compacted,
                   tuple(warnings), tuple(old_backups) if delete_backups else ())


# --------------------------------------------------------------------------- after the fact


def compact_project(project_or_store) -> bool:
    """Rebuild the project file so no replaced text survives in free pages or the ``-wal`` file.

    :func:`apply` does this itself; call it again when ``Applied.compacted``
    was False (someone was reading the project at that moment). Returns
    whether it succeeded.

    >>> compact_project(project)
    True
    """
    return _store(project_or_store).compact()


def restore_text(key_file: str | Path, transcript: str, text: str) -> str:
    """The original text of a pseudonymised transcript (``text`` as stored now), from the key.

    Undoes the key's runs for this transcript, newest first.
    """
    key = load_key(key_file)
    for run in reversed(key["runs"]):
        entry = run.get("transcripts", {}).get(transcript)
        if not entry:
            continue
        for start, end, original in sorted(entry["replacements"], reverse=True):
            text = text[:start] + original + text[end:]
    return text


def leftovers(project_or_store, key_file: str | Path) -> list[dict]:
    """Where originals from the key still occur anywhere in the project (table, column, text).

    Names are matched like in detection (whole words; single names only when
    capitalised); personnummer, phone numbers and e-mail addresses literally.
    An empty list means no original of the key is left in the project.
    """
    store = _store(project_or_store)
    key = load_key(key_file)
    forms: dict[str, str] = {}
    for p in key["persons"]:
        for v in (p["name"], *p.get("variants", [])):
            forms.setdefault(_norm(v), p["placeholder"])
    literal = set()
    for run in key["runs"]:
        for entry in run.get("transcripts", {}).values():
            for _s, _e, original in entry["replacements"]:
                if not _PLACEHOLDER.fullmatch(original) and any(ch.isdigit() or ch == "@" for ch in original):
                    literal.add(original)
    scrub = _Scrubber(forms)
    out = []
    for table, column, value in store.all_text_cells():
        if scrub.pattern is not None:
            for m in scrub.pattern.finditer(value):
                name, k = m["name"], _norm(m["name"])
                if " " in k or (name[0].isupper() and not (k in words.COMMON_WORD_NAMES
                                                           and _sentence_start(value, m.start()))):
                    out.append({"table": table, "column": column, "text": name})
        for original in literal:
            if original in value:
                out.append({"table": table, "column": column, "text": original})
    return out
