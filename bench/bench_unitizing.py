"""Benchmark of the unitizing alphas against the segment-level alpha on the same data.

Two projects, each timed end to end (reading the store included), median of
``--runs`` runs:

* **demo**: the shipped demo (16 interviews, anna and erik, every coding a
  segment coding);
* **synthetic**: one transcript of ``--segments`` sentences (default 1,500) and
  three coders who each code about a fifth of the sentences with one or two
  codes, a third of them as spans that end or start inside a neighbouring
  sentence (stored through ``store.add_spans``, one transaction).

For each: :func:`coding.unitizing_agreement.unitizing_agreement` (αu, |uα,
c|uα, (k)uα for every code) and :func:`coding.agreement_design.agreement`
(segment-level alpha for every code), and their ratio. Prints a JSON report.

Run:  python bench/bench_unitizing.py [--runs 5] [--segments 1500] [--json-out FILE]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coding import Project  # noqa: E402
from coding.agreement_design import agreement  # noqa: E402
from coding.unitizing_agreement import unitizing_agreement  # noqa: E402

WORDS = ("samverkan arbetsgivare coach deltagare kommun insats stöd arbete praktik handledning "
         "förankring ledning projekt finansiering utbildning").split()


def median_time(fn, runs: int) -> tuple[float, list[float], object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times, result


def synthetic(project: Project, n_segments: int, seed: int) -> dict:
    """Import one transcript of ``n_segments`` sentences and let three coders code it with spans."""
    rng = random.Random(seed)
    folder = Path(project.path).parent
    text = "\n\n".join(f"Mening {i}: " + " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 14))) + "."
                     for i in range(n_segments))
    path = folder / "syntetisk.txt"
    path.write_text(text, encoding="utf-8")
    project.import_files([path], unit="paragraph")
    store = project.store
    tid = {n: t for t, n in store.transcript_names_by_id().items()}["syntetisk.txt"]
    segments = store.segments(tid)
    codes = [c.id for c in store.codes() if c.active][:75]
    coders = ["anna", "erik", "sara"]
    store.ensure_coders(coders)
    now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    rows = []
    for i, seg in enumerate(segments):
        if rng.random() > 0.25:
            continue
        chosen = rng.sample(codes, rng.randint(1, 2))
        for coder in coders:
            if rng.random() < 0.2:
                continue  # this coder did not code the passage
            for code in chosen if rng.random() < 0.85 else [rng.choice(codes)]:
                start, end = seg.start, seg.end
                if rng.random() < 0.33 and i + 1 < len(segments):  # runs into the next sentence
                    end = rng.randint(segments[i + 1].start + 1, segments[i + 1].end)
                elif rng.random() < 0.2:  # starts a few words in
                    start = min(seg.end - 1, seg.start + rng.randint(1, 20))
                rows.append((tid, start, end, code, coder, None, now))
    with store.transaction():
        added = store.add_spans(rows)
    for coder in coders:
        project.mark_done(coder, ["syntetisk.txt"])
    return {"segments": len(segments), "spans": added, "coders": coders}


def measure(project: Project, coders: list[str], runs: int, transcripts=None) -> dict:
    u_med, u_times, result = median_time(lambda: unitizing_agreement(project, coders, transcripts=transcripts), runs)
    s_med, s_times, _ = median_time(lambda: agreement(project.store, coders), runs)
    return {"unitizing_s": round(u_med, 4), "segment_alpha_s": round(s_med, 4),
            "ratio_unitizing_over_segment": round(u_med / s_med, 2) if s_med else None,
            "unitizing_runs": [round(t, 4) for t in u_times], "segment_runs": [round(t, 4) for t in s_times],
            "units": result.units, "continua": result.continua, "codes": len(result.codes),
            "alpha_u": result.alpha_u.value, "bar_u": result.bar_u.value, "cu": result.cu.value}


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--segments", type=int, default=1500)
    ap.add_argument("--seed", type=int, default=20261201)
    ap.add_argument("--json-out", type=Path, default=None)
    args = ap.parse_args(argv)
    report = {"python": platform.python_version(), "machine": platform.machine(), "runs": args.runs}
    with tempfile.TemporaryDirectory() as tmp:
        demo = Project.demo(Path(tmp) / "demo.qcode")
        report["demo"] = measure(demo, ["anna", "erik"], args.runs)
        demo.close()
        # The synthetic transcript in a project of its own (the demo's codebook, no other transcript).
        project = Project.demo(Path(tmp) / "synthetic.qcode")
        for name in list(project.store.transcript_names_by_id().values()):
            project.delete_transcript(name)
        report["synthetic"] = {**synthetic(project, args.segments, args.seed),
                               **measure(project, ["anna", "erik", "sara"], args.runs)}
        project.close()
    text = json.dumps(report, ensure_ascii=False, indent=2)
    print(text)
    if args.json_out:
        args.json_out.write_text(text + "\n", encoding="utf-8")
    return report


if __name__ == "__main__":
    main()
