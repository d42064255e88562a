"""Regenerate ``transcripts/codings.csv`` from the coding keys in ``transcripts/coding_key/``.

A coding key row names a passage (an exact quote) of a demo transcript and the
label in the municipality tables of Gustafsson 2014 it expresses (table, column, label) and which of the two
fictional coders coded it (``AB``, ``A`` or ``B``). This script imports the
demo transcripts with the real segmentation, finds the segment holding each
quote, maps the label to its code id in the shipped codebook and writes the
codings of coder ``anna`` (A) and ``erik`` (B).

Run after changing a transcript, the segmentation or the codebook:

    python tools/make_demo_codings.py
"""

from __future__ import annotations

import csv
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coding.demo import build_demo  # noqa: E402

CODERS = {"A": "anna", "B": "erik"}
CATEGORY = {("inledande", "ff"): "impl.ff", ("inledande", "hi"): "impl.hi", ("praktik", "ff"): "prak.ff",
            ("praktik", "hi"): "prak.hi", ("praktik", "on"): "prak.on"}


def label_index(book) -> dict[tuple[str, str], str]:
    """(category id, label_sv) -> leaf code id, for the five table columns."""
    out = {}
    for category in CATEGORY.values():
        for code in book.descendants(category):
            if not book.children(code.id):
                out[(category, code.label_sv)] = code.id
    return out


def main() -> int:
    problems, rows = [], []
    with tempfile.TemporaryDirectory() as tmp:
        project = build_demo(Path(tmp) / "demo.qcode", with_codings=False)
        labels = label_index(project.codebook())
        segments = {t["name"]: project.segments(t["name"]) for t in project.transcripts()}
        project.close()
    for key in sorted((ROOT / "transcripts" / "coding_key").glob("*.csv")):
        with key.open(encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            for row in reader:
                where = f"{key.name}:{reader.line_num}"
                code = labels.get((CATEGORY.get((row["table"], row["column"]), ""), row["label"]))
                if code is None:
                    problems.append(f"{where}: no code for {row['table']}/{row['column']}/{row['label']!r}")
                    continue
                segs = segments.get(row["file"])
                if segs is None:
                    problems.append(f"{where}: no transcript {row['file']!r}")
                    continue
                quote = " ".join(row["quote"].split())
                hits = [s.position for s in segs if quote in " ".join(s.text.split())]
                if len(hits) != 1:
                    problems.append(f"{where}: quote found in {len(hits)} segments: {row['quote']!r}")
                    continue
                for letter in row.get("coders", "AB") or "AB":
                    rows.append((row["file"], hits[0], code, CODERS[letter]))
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    rows = sorted(set(rows))
    with (ROOT / "transcripts" / "codings.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["transcript", "segment", "code", "coder", "memo"])
        writer.writerows([*r, ""] for r in rows)
    print(f"wrote {len(rows)} codings to transcripts/codings.csv")
    return 0


if __name__ == "__main__":
    sys.exit(main())
