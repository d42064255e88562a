"""Benchmark of REFI-QDA exchange: export a large project as .qdpx and import it into an empty project.

Builds a synthetic project with the store's bulk calls (no spaCy: segments are the sentences as written),
by default 1,000 transcripts of 600 segments (600k segments) and ≈ 1M codings by three coders, exports it
and imports it again, and says where the import's time goes:

* zip: reading and inflating the members;
* XML: parsing ``project.qde`` (lxml) and walking it into dataclasses;
* offsets: deciding each source's convention and mapping every position;
* segmentation: cutting the texts into segments as a .txt import does (spaCy);
* SQLite: the one write transaction (transcripts, segments, codes, codings).

Also times the import of the demo project's .qdpx (16 interviews, 667 codings) end to end.

Run:  python bench/bench_qdpx.py                   (full size)
      python bench/bench_qdpx.py --scale 0.02      (a quick look)
"""

from __future__ import annotations

import argparse
import io
import random
import resource
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coding import Project  # noqa: E402
from coding.codebook import apply_codebook, load_codebook  # noqa: E402

SENTENCES = ["Vi fick pengar från Samordningsförbundet och det var avgörande för starten.",
             "Sen var jag ganska ensam i rollen som SE-coach, det var tungt ibland 😅.",
             "Chefen stöttade oss hela vägen och förankrade arbetet i ledningen.",
             "Arbetsgivarna var positiva när vi väl fick kontakt med dem.",
             "Det tog tid innan handläggarna på Arbetsförmedlingen förstod metoden."]
SPEAKERS = ("Intervjuare", "SE-coach")


def build(path: Path, transcripts: int, segments: int, codings_per_segment: float, seed: int = 1) -> Project:
    rng = random.Random(seed)
    project = Project.create(path)
    apply_codebook(project.store, load_codebook(ROOT / "codebooks/se_ips.yaml"))
    codes = [c.id for c in project.codes()]
    store = project.store
    with store.transaction():
        store.ensure_coders(["anna", "erik", "sara"])
        for t in range(transcripts):
            parts, rows, at = [], [], 0
            for s in range(segments):
                speaker = SPEAKERS[s % 2]
                label = f"{speaker}: "
                sentence = rng.choice(SENTENCES)
                rows.append((at + len(label), at + len(label) + len(sentence), speaker, None, None, None))
                parts.append(label + sentence + "\n")
                at += len(parts[-1])
            text = "".join(parts)
            store.add_transcript(name=f"t{t:04d}.txt", format="txt", encoding="utf-8", sha256=f"{t:064x}",
                                 text=text, n_words=len(text.split()), segmentation="sentence", language="sv",
                                 segments=rows, attributes={"kommun": f"K{t % 11}"})
        ids = store.transcript_segment_ids()
        rows = []
        for tid, seg_ids in ids.items():
            for sid in seg_ids:
                n = int(codings_per_segment) + (rng.random() < codings_per_segment % 1)
                for coder, code in zip(rng.sample(["anna", "erik", "sara"], min(n, 3)), rng.sample(codes, n)):
                    rows.append((sid, tid, code, coder, None))
        store.add_codings(rows)
    return project


def timed(label: str, results: dict, work):
    start = time.perf_counter()
    out = work()
    results[label] = time.perf_counter() - start
    return out


def import_phases(store, path: Path) -> dict:
    """The import's phases one by one (the same functions :func:`coding.refi_import.import_qdpx` calls)."""
    from coding import refi_import, refi_read
    from coding.refi_offsets import decide, decode_source

    t: dict[str, float] = {}
    data = path.read_bytes()

    def unzip():
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return {n: z.read(n) for n in z.namelist()}
    members = timed("zip", t, unzip)

    def bare_parse():                               # lxml's part: the same stream, nothing kept
        from lxml import etree

        for _, element in etree.iterparse(io.BytesIO(members["project.qde"]), events=("end",)):
            element.clear()
    lxml_alone: dict[str, float] = {}
    timed("lxml", lxml_alone, bare_parse)
    timed("XML (stream parse + dataclasses)", t,
          lambda: refi_read.parse_project(members["project.qde"], str(path)))
    t["  of which lxml's parse alone"] = lxml_alone["lxml"]
    archive = refi_read.read_qdpx(path)             # again, with the source texts, for the later phases

    def offsets():
        for s in archive.sources:
            m = decide(decode_source(s.data).raw, [(x.start, x.end) for x in s.selections], archive.origin)
            for x in s.selections:
                m.start(x.start), m.end(x.end)
    timed("offsets (decide + map)", t, offsets)
    report = refi_import.QdpxImportReport(str(path))
    texts = timed("offsets + segmentation (spaCy)", t,
                  lambda: refi_import._prepare(store, archive, unit="sentence", language="sv", report=report))
    t["segmentation (spaCy)"] = t.pop("offsets + segmentation (spaCy)") - t["offsets (decide + map)"]
    users = refi_import._coders(archive, None, report)
    plan = refi_import._Plan(archive, users, texts, report, unit="sentence", language="sv")
    plan.check()

    def write():
        with store.transaction():
            plan.write(store)
    timed("SQLite (one transaction)", t, write)
    return t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 1,000 transcripts of 600 segments")
    parser.add_argument("--codings", type=float, default=1.7, help="codings per segment (mean)")
    parser.add_argument("--qdpx", type=Path, help="import this .qdpx (an earlier run's large.qdpx) instead of "
                                                  "building and exporting one")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-qdpx-"))

    demo = Project.demo(folder / "demo.qcode")
    demo.export_qdpx(folder / "demo.qdpx")
    empty = Project.create(folder / "demo-copy.qcode")
    start = time.perf_counter()
    report = empty.import_qdpx(folder / "demo.qdpx")
    print(f"demo: import of {report.codings} codings in {len(report.transcripts)} transcripts: "
          f"{time.perf_counter() - start:.2f} s (first call includes loading spaCy)")
    start = time.perf_counter()
    Project.create(folder / "demo-copy2.qcode").import_qdpx(folder / "demo.qdpx")
    print(f"demo: again, spaCy loaded: {time.perf_counter() - start:.2f} s")

    large_qdpx = args.qdpx or folder / "large.qdpx"
    if args.qdpx is None:
        n_transcripts = max(1, round(1000 * args.scale))
        start = time.perf_counter()
        large = build(folder / "large.qcode", n_transcripts, 600, args.codings)
        counts = large.counts()
        print(f"built {counts['transcripts']} transcripts, {counts['segments']} segments, {counts['codings']} "
              f"codings in {time.perf_counter() - start:.1f} s")
        start = time.perf_counter()
        summary = large.export_qdpx(large_qdpx)
        print(f"export: {time.perf_counter() - start:.1f} s, {summary['selections']} selections")
    with zipfile.ZipFile(large_qdpx) as z:
        qde = z.getinfo("project.qde").file_size
    print(f"{large_qdpx.stat().st_size / 1024 ** 2:.0f} MB zipped, project.qde {qde / 1024 ** 2:.0f} MB")
    target = Project.create(folder / "imported.qcode")
    phases = import_phases(target.store, large_qdpx)
    total = sum(v for k, v in phases.items() if not k.startswith(" "))
    for label, seconds in phases.items():
        print(f"  {label:32s} {seconds:7.1f} s  {100 * seconds / total:4.0f} %")
    print(f"import total {total:.1f} s; codings now {target.store.codings_count()}; peak memory "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2:.1f} GB")


if __name__ == "__main__":
    main()
