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
from coding.codings import import_codings, mark_done  # noqa: E402
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


def engine_figures(location: str, engine: str, files: list[Path], sidecar: Path, words: int, args,
                   make_codings) -> tuple[dict, Path | None]:
    """Import, codings import, matrix and agreement on one engine; ``location(i)`` is run i's project.

    SQLite: every import run overwrites ``bench/out/large.qcode`` and every codings run starts from a
    byte copy of the imported file (as before). PostgreSQL: import run i makes the schema of run i and
    codings run i imports into it, so each codings run starts from a freshly imported project too.
    Returns the figures and the codings CSV (written by ``make_codings`` from the first engine's project).
    """
    out: dict = {}
    counter = iter(range(args.runs))

    def do_import():
        project = Project.create(location(next(counter)), overwrite=True)
        apply_codebook(project.store, load_codebook(ROOT / "codebooks" / "se_ips.yaml"))
        result = project.import_files(files, attributes_file=sidecar)
        project.close()
        return result

    print(f"[{engine}] importing …", file=sys.stderr)
    imp_t, imp_all, result = median_time(do_import, args.runs)
    out["import"] = {"segments": result.segments, "median_s": round(imp_t, 2),
                     "runs_s": [round(t, 2) for t in imp_all], "words_per_s": round(words / imp_t)}
    print(json.dumps(out["import"]), file=sys.stderr)

    with Project.open(location(0)) as project:
        codings_csv, n_rows = make_codings(project)
    if engine == "sqlite":
        target = Path(location(0))
        snapshot = target.with_name("snapshot.qcode")
        snapshot.write_bytes(target.read_bytes())
    counter = iter(range(args.runs))

    def do_codings():
        i = next(counter)
        if engine == "sqlite":
            for suffix in ("-wal", "-shm"):
                Path(str(target) + suffix).unlink(missing_ok=True)
            target.write_bytes(snapshot.read_bytes())
        p = Project.open(location(i))
        result = import_codings(p.store, codings_csv)
        p.close()
        return result

    print(f"[{engine}] importing {n_rows} codings …", file=sys.stderr)
    cod_t, cod_all, cod = median_time(do_codings, args.runs)
    out["codings_import"] = {"rows": n_rows, "median_s": round(cod_t, 2), "runs_s": [round(t, 2) for t in cod_all],
                             "rows_per_s": round(n_rows / cod_t), "added": cod["added"]}
    print(json.dumps(out["codings_import"]), file=sys.stderr)
    if engine == "sqlite":
        snapshot.unlink()

    last = location(args.runs - 1)
    from coding import agreement_design
    from coding.matrix import build_matrix

    with Project.open(last) as project:
        coders = project.store.coders()
    for label, chosen in (("one coder", coders[:1]), ("all coders", None)):
        def matrix(chosen=chosen):
            with Project.open(last) as p:
                return build_matrix(p.store, "kommun", "count", coders=chosen).table

        mat_t, mat_all, table = median_time(matrix, max(args.runs, 5))
        out[f"matrix, {label}"] = {"median_s": round(mat_t, 3), "runs_s": [round(t, 3) for t in mat_all],
                                   "cells_sum": int(table.values.sum())}
    print(json.dumps({k: v for k, v in out.items() if k.startswith("matrix")}), file=sys.stderr)

    agreement_at = last
    if engine == "sqlite":  # done markers on a copy: large.qcode stays as the other benchmarks expect it
        agreement_at = str(Path(last).with_name("agreement.qcode"))
        Path(agreement_at).unlink(missing_ok=True)
        with Project.open(last) as p:
            p.store.backup_to(agreement_at)
    with Project.open(agreement_at) as p:
        for coder in coders:
            mark_done(p.store, coder)

    def alpha():
        with Project.open(agreement_at) as p:
            return agreement_design.agreement(p.store, coders, statistics="alpha", overall=False)

    print(f"[{engine}] alpha per code …", file=sys.stderr)
    agr_t, agr_all, table = median_time(alpha, args.runs)
    out["agreement"] = {"median_s": round(agr_t, 3), "runs_s": [round(t, 3) for t in agr_all], "codes": len(table),
                        "alpha_sum": round(float(table.value.fillna(0).sum()), 9)}
    print(json.dumps(out["agreement"]), file=sys.stderr)
    if engine == "sqlite":
        Path(agreement_at).unlink()
    return out, codings_csv


def pg_database(args):
    """(database URL, server to stop or None): ``--pg-url`` or a throwaway server like the tests'."""
    if args.pg_url:
        return args.pg_url, None
    sys.path.insert(0, str(ROOT / "tests"))
    from pg_helpers import start_server

    server = start_server()
    return server.database("bench"), server


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
    ap.add_argument("--engine", choices=("sqlite", "postgresql", "both"), default="sqlite",
                    help="Where the project is stored: a file, a PostgreSQL schema, or both side by side.")
    ap.add_argument("--pg-url", default=None,
                    help="A PostgreSQL database (postgresql://user@host:port/db) instead of a throwaway server.")
    args = ap.parse_args(argv)
    n_transcripts = max(1, int(args.transcripts * args.scale))
    n_codings = int(args.codings * args.scale)
    rng = random.Random(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    engines = ("sqlite", "postgresql") if args.engine == "both" else (args.engine,)
    report: dict = {"machine": f"{platform.machine()}, {platform.processor() or '?'}, "
                               f"{__import__('os').cpu_count()} cores, Python {platform.python_version()}",
                    "transcripts": n_transcripts, "runs": args.runs, "seed": args.seed, "engines": list(engines)}

    server = None
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
        report["baseline_spacy_alone"] = {"median_s": round(base_t, 2), "words_per_s": round(words / base_t)}

        codings_csv = Path(tmp) / "codings.csv"
        written: list[int] = []

        def make_codings(project):  # one codings file for every engine, from the first engine's project
            if not written:
                written.append(write_codings(project, codings_csv, args.coders, n_codings, rng))
            return codings_csv, written[0]

        try:
            for engine in engines:
                if engine == "sqlite":
                    def location(i):
                        return str(args.out / "large.qcode")
                else:
                    database, server = pg_database(args)

                    def location(i, database=database):
                        return f"{database}?schema=qcode_bench_{i}"
                report[engine], _ = engine_figures(location, engine, files, sidecar, words, args, make_codings)
                if engine == "postgresql" and args.pg_url:
                    import psycopg  # the schemas made here go again

                    with psycopg.connect(args.pg_url, autocommit=True) as conn:
                        for i in range(args.runs):
                            conn.execute(f"DROP SCHEMA IF EXISTS qcode_bench_{i} CASCADE")
        finally:
            if server is not None:
                server.stop()

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

        bare_t, _, _ = median_time(bare_insert, args.runs)
        report["baseline_bare_insert"] = {"median_s": round(bare_t, 2)}

    for engine in engines:
        fig = report[engine]
        fig["import"].update(baseline_spacy_alone_s=round(base_t, 2), baseline_words_per_s=round(words / base_t),
                             ratio_to_baseline=round(fig["import"]["median_s"] / base_t, 2))
        fig["codings_import"].update(baseline_bare_insert_s=round(bare_t, 2),
                                     ratio_to_baseline=round(fig["codings_import"]["median_s"] / bare_t, 2))
    if len(engines) == 2:
        report["ratio_postgresql_to_sqlite"] = {
            what: round(report["postgresql"][what]["median_s"] / report["sqlite"][what]["median_s"], 2)
            for what in report["sqlite"]}
        report["same_results_on_both"] = all(
            report["sqlite"][k][f] == report["postgresql"][k][f]
            for k, f in (("import", "segments"), ("codings_import", "added"), ("matrix, one coder", "cells_sum"),
                         ("matrix, all coders", "cells_sum"), ("agreement", "alpha_sum")))
    if "sqlite" in engines:
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
