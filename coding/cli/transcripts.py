"""``qcode import``, ``transcripts``, ``segments``, ``attributes`` and ``delete-transcript``: transcripts."""

from __future__ import annotations

import sys

import click

from ..importers import DEFAULT_MAX_BYTES
from ..segmentation import LANGUAGES, SEGMENT_UNITS
from .base import _emit, _open, cli, coder_option, format_option, project_argument


@cli.command("import")
@project_argument
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--attr", "attrs", multiple=True, metavar="NAME=VALUE",
              help="An attribute for every imported file (repeatable), e.g. --attr kommun=Aneby.")
@click.option("--attributes", "attributes_file", type=click.Path(dir_okay=False),
              help="Sidecar CSV: a 'file' column and one column per attribute.")
@click.option("--unit", type=click.Choice(SEGMENT_UNITS), default="sentence", show_default=True,
              help="Segment by sentence (within speaker turns), paragraph or whole turn.")
@click.option("--lang", "language", type=click.Choice(LANGUAGES), default="sv", show_default=True,
              help="Language of the sentence splitter.")
@click.option("--clean", is_flag=True,
              help="For reports (PDF) and OCR text: drop running headers/footers and page numbers, "
                   "rejoin hyphenated words and wrapped lines.")
@click.option("--max-size", type=float, default=DEFAULT_MAX_BYTES / 1024 / 1024, show_default=True,
              help="Refuse files larger than this many MB (0: no limit).")
@coder_option("Who imports (recorded in the audit log).")
def import_(project, files, attrs, attributes_file, unit, language, clean, max_size, coder):
    """Import transcripts (.txt .md .docx .vtt .srt .csv .pdf), all or nothing.

    A file already in the project (same content) is skipped. If any file is
    broken, every problem is listed and nothing is imported. A PDF is read
    from its text layer (a scanned PDF needs OCR first), each segment with
    the page it starts on.

    \b
    Examples:
      qcode import study.qcode interviews/*.docx --attributes interviews/attributes.csv
      qcode import study.qcode aneby_chef.txt --attr kommun=Aneby --attr roll=Chef
      qcode import study.qcode rapport_ocr.txt --clean --unit paragraph
      qcode import study.qcode utvardering.pdf --clean --attr kommun=Eksjö
    """
    from .. import import_pipeline as importing

    attributes = importing.parse_attribute_pairs(attrs)
    max_bytes = int(max_size * 1024 * 1024) if max_size and max_size > 0 else None
    bar = None
    if len(files) > 1:
        from tqdm import tqdm

        bar = tqdm(total=len(files), unit="file", file=sys.stderr, desc="Importing")

    def progress(i, n, name):
        if bar is not None:
            bar.set_postfix_str(name[-30:], refresh=False)
            bar.update(1)

    try:
        with _open(project) as p:
            result = p.import_files(files, attributes=attributes, attributes_file=attributes_file, unit=unit,
                                    language=language, clean=clean, max_bytes=max_bytes, actor=coder,
                                    progress=progress)
    finally:
        if bar is not None:
            bar.close()
    for name, reason in result.skipped:
        click.echo(f"Skipped {name}: {reason}", err=True)
    for warning in result.warnings:
        click.echo(f"Note: {warning}", err=True)
    click.echo(f"Imported {len(result.imported)} file(s): {result.segments} segments, {result.words} words")


@cli.command()
@project_argument
@format_option
def transcripts(project, fmt):
    """List the transcripts with their attributes and who has marked them done.

    \b
    Example:
      qcode transcripts demo.qcode --format csv
    """
    with _open(project) as p:
        rows = p.transcripts()
    names = sorted({k for r in rows for k in r["attributes"]})
    out = [{"name": r["name"], "format": r["format"], "words": r["words"], "segments": r["segments"],
            **r["attributes"], "done_by": ",".join(r["done_by"])} for r in rows]
    _emit(out, ["name", "format", "words", "segments", *names, "done_by"], fmt)


@cli.command()
@project_argument
@click.argument("transcript")
@coder_option("Also show the codes this coder applied.")
@format_option
def segments(project, transcript, coder, fmt):
    """List the segments of a transcript (position, offsets, speaker, time, page of a PDF, text).

    \b
    Example:
      qcode segments demo.qcode aneby_chef.txt --coder anna
    """
    with _open(project) as p:
        segs = p.segments(transcript)
        codes = p.segment_codes(p.transcript_id(transcript), coder) if coder else {}
    rows = [{"segment": s.position, "start": s.start, "end": s.end, "speaker": s.speaker, "t_start": s.t_start,
             "t_end": s.t_end, "page": s.page, "codes": ",".join(codes.get(s.id, [])), "text": s.text} for s in segs]
    paged = ["page"] if any(s.page for s in segs) else []      # PDF imports
    columns = ["segment", "start", "end", "speaker", "t_start", "t_end", *paged, *(["codes"] if coder else []), "text"]
    _emit(rows, columns, fmt)


@cli.command()
@project_argument
@click.argument("transcript")
@click.argument("pairs", nargs=-1, required=True, metavar="NAME=VALUE...")
@coder_option("Who changes them (audit log).")
def attributes(project, transcript, pairs, coder):
    """Set attributes of a transcript (NAME= with no value removes one).

    \b
    Example:
      qcode attributes demo.qcode aneby_chef.txt kommun=Aneby roll=Chef fas=inledande
    """
    from .. import import_pipeline as importing

    values = importing.parse_attribute_pairs(pairs)
    with _open(project) as p:
        p.set_attributes(transcript, {k: (v or None) for k, v in values.items()}, actor=coder)
    click.echo(f"Set {len(values)} attribute(s) of {transcript}")


@cli.command("delete-transcript")
@project_argument
@click.argument("transcript")
@coder_option("Who deletes it (audit log).")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def delete_transcript(project, transcript, coder, yes):
    """Delete a transcript with its segments, codings, memos and done-markers (recorded in the audit log).

    \b
    Example:
      qcode delete-transcript study.qcode aneby_chef.txt --coder sara
    """
    with _open(project) as p:
        p.transcript_id(transcript)  # an unknown name fails before the question
        if not yes:
            click.confirm(f"Delete {transcript} with all its codings from {project}?", abort=True, err=True)
        deleted = p.delete_transcript(transcript, actor=coder)
    click.echo(f"Deleted {transcript}: {deleted.get('segments', 0)} segments, {deleted.get('codings', 0)} codings")
