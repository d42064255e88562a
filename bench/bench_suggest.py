"""Benchmark of stored code suggestions (issue 13): training on 100k coded segments, proposals for a
1,500-segment transcript.

Issue 13's goals, on 2 cores: training on 100k coded segments ≤ 30 s; suggestions for a 1,500-segment
transcript ≤ 1 s.

The data: the demo's coded segments (anna's labels on her finished transcripts: realistic Swedish
interview text and code frequencies), resampled to ``--segments`` segments; each copy gets a piece of
another demo segment and a number appended, so the vocabulary grows with the data as real interviews'
would. What is timed (the median of ``--runs``):

* **keyword baseline** -- :class:`~coding.suggest.model.KeywordMatcher`: fit on the codebook and score
  every training segment (it learns nothing: the floor any learned model is compared with);
* **train** -- what :func:`coding.suggest.train.train` does after reading the data: fit
  :class:`~coding.suggest.model.CodeSuggester` with the stored model's vocabulary cap
  (:data:`~coding.suggest.train.MAX_FEATURES`) and pickle it (its stored size is reported);
* **run** -- :func:`coding.suggest.proposals.run` end to end on a project: load the stored 100k model,
  score a 1,500-segment transcript, write its proposals in one transaction.

``--page`` measures the coding page instead: the demo plus the 1,500-segment transcript, anna's own
model's proposals on it, and the rerun that moving the selection (J) causes, timed in process with
Streamlit's AppTest (the whole script reruns: an upper bound of the server time), with the proposals
shown and again after deleting them (the baseline).

Run:  python bench/bench_suggest.py            (~3 min on 2 cores)
      python bench/bench_suggest.py --page     (~1 min)
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coding import Project, __version__  # noqa: E402
from coding.suggest.data import training_data  # noqa: E402
from coding.suggest.model import CodeSuggester, KeywordMatcher  # noqa: E402
from coding.suggest.proposals import run  # noqa: E402
from coding.suggest.train import MAX_FEATURES  # noqa: E402


def median_time(fn, runs: int):
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), times, result


def synthetic(texts: list[str], labels: list, n: int, rng: random.Random) -> tuple[list[str], list]:
    """``n`` coded segments resampled from the demo's, each with a piece of another segment and a number."""
    out_t, out_l = [], []
    for _ in range(n):
        j = rng.randrange(len(texts))
        extra = rng.choice(texts).split()
        k = rng.randint(0, max(0, len(extra) - 4))
        out_t.append(f"{texts[j]} {' '.join(extra[k:k + 4])} {rng.randint(1, 99_999)}")
        out_l.append(labels[j])
    return out_t, out_l


def write_long_transcript(path: Path, texts: list[str], n_segments: int, rng: random.Random) -> Path:
    """A transcript of ``n_segments`` speaker turns (one segment each with turn segmentation)."""
    lines = [f"{'Intervjuare' if i % 2 == 0 else 'SE-coach'}: {rng.choice(texts)}" for i in range(n_segments)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def page_reruns(runs: int, n_segments: int) -> dict:
    """Median AppTest rerun (ms) after J on the coding page, with proposals shown and without them."""
    sys.path.insert(0, str(ROOT / "tests"))
    from streamlit.testing.v1 import AppTest

    from app_helpers import list_rows, pick

    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        project = Project.demo(tmp / "demo.qcode")
        data = training_data(project.store, "anna")
        name = write_long_transcript(tmp / "lang_intervju.txt", data.texts, n_segments, random.Random(13))
        project.import_files([name], unit="turn")
        project.suggest_train("anna")
        out["proposals"] = project.suggest_run("anna", [name.name], min_score=0.3)["proposed"]
        os.environ["QCODE_PROJECT"] = str(project.path)
        for label in ("with_proposals", "without_proposals"):
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
            at.session_state["qc_coder"] = "anna"
            at.run()
            at.selectbox(key="qc_transcript").select(name.name)
            at.run()
            shown = sum(len(r.get("proposals", ())) for r in list_rows(at))
            pick(at, 1)
            times = []
            for _ in range(runs):
                at.button(key="qc_next").click()
                started = time.perf_counter()
                at.run()
                times.append(1000 * (time.perf_counter() - started))
                assert not at.exception, [e.value for e in at.exception]
            out[label] = {"median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1),
                          "runs": runs, "proposals_on_page": shown}
            with project.store.transaction():
                project.store.conn.execute("DELETE FROM proposals")
        project.close()
    return out


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--segments", type=int, default=100_000)
    ap.add_argument("--transcript-segments", type=int, default=1_500)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--page", action="store_true", help="time the coding page's rerun with proposals shown")
    args = ap.parse_args(argv)
    if args.page:
        report = page_reruns(max(args.runs, 15), args.transcript_segments)
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return report
    rng = random.Random(13)
    report = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
              "qcode": __version__}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        project = Project.demo(tmp / "demo.qcode")
        data = training_data(project.store, "anna")
        texts, labels = synthetic(data.texts, data.labels, args.segments, rng)
        codes = [c for c in project.store.codes() if c.id in {x for s in data.labels for x in s}]

        kw_t, kw_all, _ = median_time(lambda: KeywordMatcher().fit(codes).predict_proba(texts), args.runs)
        report["keyword_baseline"] = {"segments": len(texts), "median_s": round(kw_t, 2),
                                      "runs_s": [round(t, 2) for t in kw_all]}

        def fit():
            model = CodeSuggester(max_features=MAX_FEATURES).fit(texts, labels)
            return model, pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL)

        tr_t, tr_all, (model, blob) = median_time(fit, args.runs)
        report["train"] = {"segments": len(texts), "codes": len(model.codes_), "median_s": round(tr_t, 2),
                           "runs_s": [round(t, 2) for t in tr_all], "stored_mb": round(len(blob) / 2**20, 1),
                           "ratio_to_keyword": round(tr_t / kw_t, 1)}

        name = write_long_transcript(tmp / "lang_intervju.txt", data.texts, args.transcript_segments, rng)
        project.import_files([name], unit="turn")
        n = len(project.segments(name.name))
        with project.store.transaction():
            model_id = project.store.add_model(
                kind="model", trained_from="anna", coders=["anna"], n_segments=len(texts), n_codes=len(model.codes_),
                params={"max_features": MAX_FEATURES, "bench": True}, blob=blob, qcode_version=__version__)
        ru_t, ru_all, summary = median_time(
            lambda: run(project.store, coder="anna", transcripts=[name.name], model_id=model_id), args.runs)
        report["run"] = {"transcript_segments": n, "median_s": round(ru_t, 3),
                         "runs_s": [round(t, 3) for t in ru_all], "proposals": len(project.suggest_list(
                             "anna", name.name))}
        project.close()
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return report


if __name__ == "__main__":
    main()
