"""Benchmark of the core: import + segmentation + storage, codings import, database size.

Generates a large synthetic project (seedable): by default 1,000 interview
transcripts of about 600 sentence segments each (≈ 600k segments, ≈ 7M
words), three coders and ≈ 1M codings. Reports the median of several runs
and, measured in the same run on the same data, a baseline:

* import + segmentation vs. spaCy's blank ``sv`` pipeline with a sentencizer
  alone (``nlp.pipe`` over the same turns), the floor any import pays;
* codings import vs. a bare ``executemany`` of the same rows into an
  unindexed table in a fresh SQLite file.

Run:  python bench/bench_core.py            (full size, ~5 min on 2 cores)
      python bench/bench_core.py --scale 0.05 --runs 1   (a quick look)

The large project is kept at ``bench/out/large.qcode`` for the matrix and
agreement benchmarks.
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coding import Project  # noqa: E402
from coding.codebook import apply_codebook, load_codebook  # noqa: E402
from coding.codings import import_codings  # noqa: E402
from coding.importers import read_transcript  # noqa: E402
from coding.segmentation import sentence_pipeline  # noqa: E402

def demo_sentences() -> list[str]:
    """Real sentences from the demo interviews: realistic Swedish vocabulary for the tokenizer."""
    from coding.demo import demo_transcript_paths
    from coding.segmentation import segment_turns

    out = []
    for path in demo_transcript_paths():
        parsed = read_transcript(path)
        out.extend(parsed.text[s.start:s.end] for s in segment_turns(parsed.text, parsed.turns)
                   if len(parsed.text[s.start:s.end].split()) >= 4)
    return out


SENTENCES: list[str] = []
SPEAKERS = ("Intervjuare", "SE-coach", "Chef", "Handläggare AF", "Deltagare 2")
MUNICIPALITIES = ("Aneby", "Eksjö", "Gislaved", "Gnosjö", "Jönköping", "Nässjö", "Sävsjö", "Tranås",
                  "Vaggeryd", "Vetlanda", "Värnamo")


def sentence(rng: random.Random) -> str:
    """A demo sentence with a varied number in it, so that not every token is cached."""
    if not SENTENCES:
        SENTENCES.extend(demo_sentences())
    text = rng.choice(SENTENCES)
    return text if rng.random() < 0.7 else f"{text[:-1]} ({rng.randint(1, 99999)}){text[-1]}"


def write_corpus(folder: Path, n_transcripts: int, segments_per: int, rng: random.Random) -> Path:
    """Write synthetic .txt interviews and an attributes sidecar; returns the sidecar."""
    folder.mkdir(parents=True, exist_ok=True)
    sidecar = folder / "attributes.csv"
    with sidecar.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["file", "kommun", "roll"])
        for i in range(n_transcripts):
            lines, made = [f"Intervju {i}, syntetisk"], 1
            while made < segments_per:
                k = min(rng.randint(1, 4), segments_per - made)
                lines.append(f"{rng.choice(SPEAKERS)}: " + " ".join(sentence(rng) for _ in range(k)))
                made += k
            name = f"t{i:05d}.txt"
            (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
            writer.writerow([name, MUNICIPALITIES[i % len(MUNICIPALITIES)], rng.choice(("SE-coach", "Chef"))])
    return sidecar


def write_codings(project: Project, path: Path, coders: int, target: int, rng: random.Random) -> int:
    """Write a codings CSV of about ``target`` rows over all segments and leaf codes."""
    book = project.codebook()
    leaves = [c.id for c in book.leaves()]
    positions = [(t["name"], t["segments"]) for t in project.transcripts()]
    total_segments = sum(n for _, n in positions)
    p = min(1.0, target / (coders * total_segments))
    n = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["transcript", "segment", "code", "coder", "memo"])
        for name, n_segments in positions:
            for pos in range(1, n_segments + 1):
                if rng.random() >= p * 1.25:
                    continue
                base = rng.choice(leaves)
                for c in range(coders):
                    if rng.random() < 0.8:
                        code = base if rng.random() < 0.85 else rng.choice(leaves)
                        writer.writerow([name, pos, code, f"coder{c + 1}", ""])
                        n += 1
    return n


def median_time(fn, runs: int):
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times, result


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--transcripts", type=int, default=1000)
    ap.add_argument("--segments-per", type=int, default=600)
    ap.add_argument("--codings", type=int, default=1_000_000)
    ap.add_argument("--coders", type=int, default=3)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--scale", type=float, default=1.0, help="Multiply transcripts and codings by this.")
    ap.add_argument("--seed", type=int, default=20261125)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    args = ap.parse_args(argv)
    n_transcripts = max(1, int(args.transcripts * args.scale))
    n_codings = int(args.codings * args.scale)
    rng = random.Random(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    report: dict = {"machine": f"{platform.machine()}, {platform.processor() or '?'}, "
                               f"{__import__('os').cpu_count()} cores, Python {platform.python_version()}",
                    "transcripts": n_transcripts, "runs": args.runs, "seed": args.seed}

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        print(f"Writing {n_transcripts} synthetic transcripts …", file=sys.stderr)
        sidecar = write_corpus(corpus, n_transcripts, args.segments_per, rng)
        files = sorted(corpus.glob("*.txt"))
        words = sum(len(f.read_text(encoding="utf-8").split()) for f in files)
        report["words"] = words

        # Baseline: spaCy's blank pipeline + sentencizer alone over the same turns.
        nlp = sentence_pipeline("sv")
        turn_texts = [p.text[t.start:t.end] for p in map(read_transcript, files) for t in p.turns]

        def spacy_alone():
            return sum(1 for _ in nlp.pipe(turn_texts, batch_size=256))

        base_t, base_all, _ = median_time(spacy_alone, args.runs)
        turn_texts.clear()

        def do_import():
            project = Project.create(args.out / "large.qcode", overwrite=True)
            apply_codebook(project.store, load_codebook(ROOT / "codebooks" / "se_ips.yaml"))
            result = project.import_files(files, attributes_file=sidecar)
            project.close()
            return result

        print("Importing …", file=sys.stderr)
        imp_t, imp_all, result = median_time(do_import, args.runs)
        report["import"] = {"segments": result.segments, "median_s": round(imp_t, 2),
                            "runs_s": [round(t, 2) for t in imp_all], "words_per_s": round(words / imp_t),
                            "baseline_spacy_alone_s": round(base_t, 2),
                            "baseline_words_per_s": round(words / base_t),
                            "ratio_to_baseline": round(imp_t / base_t, 2)}
        print(json.dumps(report["import"]), file=sys.stderr)

        project = Project.open(args.out / "large.qcode")
        codings_csv = Path(tmp) / "codings.csv"
        n_rows = write_codings(project, codings_csv, args.coders, n_codings, rng)
        project.close()
        snapshot = Path(tmp) / "snapshot.qcode"
        snapshot.write_bytes((args.out / "large.qcode").read_bytes())

        def do_codings():
            target = args.out / "large.qcode"
            for suffix in ("-wal", "-shm"):
                Path(str(target) + suffix).unlink(missing_ok=True)
            target.write_bytes(snapshot.read_bytes())
            p = Project.open(target)
            out = import_codings(p.store, codings_csv)
            p.close()
            return out

        def bare_insert():
            db = Path(tmp) / "bare.sqlite"
            db.unlink(missing_ok=True)
            conn = sqlite3.connect(db)
            conn.execute("CREATE TABLE c (transcript TEXT, segment INTEGER, code TEXT, coder TEXT, memo TEXT)")
            with codings_csv.open(encoding="utf-8") as fh:
                reader = csv.reader(fh)
                next(reader)
                conn.executemany("INSERT INTO c VALUES (?, ?, ?, ?, ?)", reader)
            conn.commit()
            conn.close()

        print(f"Importing {n_rows} codings …", file=sys.stderr)
        bare_t, _, _ = median_time(bare_insert, args.runs)
        cod_t, cod_all, cod = median_time(do_codings, args.runs)
        report["codings_import"] = {"rows": n_rows, "median_s": round(cod_t, 2),
                                    "runs_s": [round(t, 2) for t in cod_all], "rows_per_s": round(n_rows / cod_t),
                                    "baseline_bare_insert_s": round(bare_t, 2),
                                    "ratio_to_baseline": round(cod_t / bare_t, 2), "added": cod["added"]}
        print(json.dumps(report["codings_import"]), file=sys.stderr)

    large = args.out / "large.qcode"
    conn = sqlite3.connect(large)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    report["database"] = {"path": str(large.relative_to(ROOT)) if large.is_relative_to(ROOT) else str(large),
                          "bytes": large.stat().st_size, "mb": round(large.stat().st_size / 1e6, 1)}
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return report


if __name__ == "__main__":
    main()
