"""The training data of the suggester, read from a project: segments, their code sets, their transcripts.

Only finished transcripts teach: a segment counts only if the chosen coder has marked its
transcript done (``qcode done``); on such a transcript a segment without codes is a real
"no code here" example. ``source`` chooses whose codes are the labels:

* a coder's name -- that coder's codes on the transcripts that coder has marked done;
* ``"all"`` -- every done coder pooled (the consensus coder left out): the segments of
  transcripts at least one coder has marked done, each labelled with the union of the codes
  of the coders who marked its transcript done;
* ``"consensus"`` -- the consensus coding (the coder ``consensus``) on the transcripts with at
  least one recorded consensus decision.

>>> data = training_data(store, "anna")
>>> len(data.texts) == len(data.labels) == len(data.groups), len(set(data.groups)), data.coders
(True, 16, ('anna', 'erik'))
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..codings import CONSENSUS
from ..errors import QcodeError

__all__ = ["SOURCES", "TrainingData", "training_data"]

#: the sources that are not a coder's name
SOURCES = ("all", "consensus")


@dataclass
class TrainingData:
    """Parallel lists, one entry per segment: ids, texts, code sets and transcript ids (the CV groups).

    ``by_coder[coder][i]`` is that coder's code set on segment ``i``, or ``None`` where that coder
    has not marked the transcript done (missing, not "no codes"); ``coders`` are every human coder
    (the model is compared with each of them).
    """

    source: str
    segment_ids: list[int] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    labels: list[frozenset[str]] = field(default_factory=list)
    groups: list[int] = field(default_factory=list)
    positions: list[int] = field(default_factory=list)
    by_coder: dict[str, list[frozenset[str] | None]] = field(default_factory=dict)

    @property
    def coders(self) -> tuple[str, ...]:
        return tuple(self.by_coder)


def _done_map(store, source: str) -> tuple[dict[int, list[str]], list[str]]:
    """transcript id -> the coders whose codes label it, and the human coders considered."""
    humans = [c for c in store.coders() if c != CONSENSUS]
    if source == "consensus":
        decided = {r["transcript"] for r in store.consensus_decisions()}
        names = store.transcript_names_by_id()
        return {tid: [CONSENSUS] for tid, name in names.items() if name in decided}, humans
    if source == "all":
        chosen = humans
    else:
        if source not in store.coders():
            raise QcodeError(f"no coder named {source!r} in the project (use a coder's name, "
                             f"'all' or 'consensus')")
        chosen = [source]
    done: dict[int, list[str]] = {}
    for tid, coder in sorted(store.done_by_coders(chosen)):
        done.setdefault(tid, []).append(coder)
    return done, humans


def training_data(store, source: str = "all") -> TrainingData:
    """The labelled segments for ``source`` (a coder's name, ``"all"`` or ``"consensus"``).

    Raises :class:`~coding.errors.QcodeError` when no transcript qualifies.
    """
    done, humans = _done_map(store, source)
    if not done:
        what = ("no consensus decisions yet" if source == "consensus"
                else f"no transcript is marked done by {'any coder' if source == 'all' else source!r}")
        raise QcodeError(f"nothing to learn from: {what} (only finished transcripts teach; see `qcode done`)")
    human_done = {}
    for tid, coder in store.done_by_coders(humans):
        human_done.setdefault(tid, set()).add(coder)
    data = TrainingData(source=source, by_coder={c: [] for c in humans})
    for tid in sorted(done):
        labellers = done[tid]
        everyone = sorted(set(labellers) | set(humans))
        codes = store.segment_codes_by_coder(tid, everyone)
        for seg in store.segments(tid):
            per = codes.get(seg.id, {})
            data.segment_ids.append(seg.id)
            data.texts.append(seg.text)
            data.positions.append(seg.position)
            data.groups.append(tid)
            data.labels.append(frozenset(c for coder in labellers for c in per.get(coder, ())))
            for coder in humans:
                data.by_coder[coder].append(
                    frozenset(per.get(coder, ())) if coder in human_done.get(tid, ()) else None)
    return data
