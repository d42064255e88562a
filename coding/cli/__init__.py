"""The ``qcode`` command line: the library's functions, one command each.

Every command takes the project file first. Lists print as an aligned table,
or as CSV/JSON with ``--format``. Errors go to stderr with the file and line
concerned and exit with status 1 (2 for a wrong command line).
"""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import sys

import click

from .. import codebook as codebook_mod
from .. import codings as codings_mod
from .. import importing
from ..csvsafe import neutralise
from ..errors import QcodeError
from ..importers import DEFAULT_MAX_BYTES
from ..project import Project
from ..segmentation import LANGUAGES, UNITS

FORMATS = ("table", "csv", "json")


# ---------------------------------------------------------------- helpers

def _emit(rows: list[dict], columns: list[str], fmt: str) -> None:
    """Print rows as an aligned table, CSV or JSON (a list of records)."""
    if fmt == "json":
        click.echo(json.dumps([{c: r.get(c) for c in columns} for r in rows], ensure_ascii=False, indent=2))
        return
    if fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        for r in rows:
            writer.writerow([neutralise("" if r.get(c) is None else r.get(c)) for c in columns])
        return
    cells = [[("" if r.get(c) is None else str(r.get(c))).replace("\n", " ") for c in columns] for r in rows]
    widths = [min(60, max([len(c)] + [len(row[i]) for row in cells])) for i, c in enumerate(columns)]
    click.echo("  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip())
    click.echo("  ".join("-" * w for w in widths))
    for row in cells:
        click.echo("  ".join((v if len(v) <= w else v[: w - 1] + "…").ljust(w)
                             for v, w in zip(row, widths)).rstrip())


def _open(path: str) -> Project:
    return Project.open(path)


format_option = click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
                             help="Output format.")


class _Group(click.Group):
    """A click group that turns library errors into a clean message and exit status 1."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except QcodeError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(1)
        except BrokenPipeError:  # output piped into `head` and the like: stop quietly
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(0)
        except sqlite3.DatabaseError as exc:
            click.echo(f"Error: the project file could not be read or written ({exc})", err=True)
            ctx.exit(1)
        except (OSError, UnicodeError) as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(1)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:  # never a traceback for a researcher; QCODE_DEBUG=1 shows it
            if os.environ.get("QCODE_DEBUG"):
                raise
            click.echo(f"Error: unexpected {type(exc).__name__}: {exc} (please report this; "
                       "QCODE_DEBUG=1 shows the details)", err=True)
            ctx.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="qcode")
def cli():
    """qcode: code qualitative interviews with a codebook, as a team.

    \b
    A project is one SQLite file. A typical session:
      qcode demo demo.qcode                      # a project from the demo corpus
      qcode init study.qcode --codebook codebooks/se_ips.yaml
      qcode import study.qcode interviews/*.docx --attributes interviews/attributes.csv
      qcode import study.qcode aneby_chef.txt --attr kommun=Aneby --attr roll=Chef
      qcode transcripts study.qcode
      qcode segments study.qcode aneby_chef.txt --format csv
      qcode code study.qcode --coder anna --transcript aneby_chef.txt --segment 12 --code impl_hi_ensam_position
      qcode codings export study.qcode -o codings.csv
      qcode done study.qcode --coder anna --all
    """


# ------------------------------------------------------------ project files

@cli.command()
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("--codebook", "codebook_path", type=click.Path(dir_okay=False), help="Load this codebook (YAML/CSV).")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def init(project, codebook_path, force):
    """Create a new, empty project file.

    \b
    Example:
      qcode init study.qcode --codebook codebooks/se_ips.yaml
    """
    book = codebook_mod.load_codebook(codebook_path) if codebook_path else None
    with Project.create(project, overwrite=force) as p:
        if book is not None:
            codebook_mod.apply_codebook(p.store, book, source=codebook_path)
    click.echo(f"Created {project}" + (f" with {len(book)} codes from {codebook_path}" if book else ""))


@cli.command()
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def demo(project, force):
    """Create a project from the demo corpus (transcripts, SE/IPS codebook, two coders' codings).

    \b
    Example:
      qcode demo demo.qcode && qcode transcripts demo.qcode
    """
    with Project.demo(project, overwrite=force) as p:
        counts = p.store.counts()
    click.echo(f"Created {project}: {counts['transcripts']} transcripts, {counts['segments']} segments, "
               f"{counts['codes']} codes, {counts['codings']} codings by {counts['coders']} coders")


@cli.command()
@click.argument("project", type=click.Path(exists=True, dir_okay=False))
@format_option
def info(project, fmt):
    """How many transcripts, segments, codes, coders and codings a project holds."""
    with _open(project) as p:
        counts = p.store.counts()
        schema = p.store.schema_version()
    _emit([{"table": k, "rows": v} for k, v in counts.items()] + [{"table": "schema_version", "rows": schema}],
          ["table", "rows"], fmt)


# -------------------------------------------------------------- transcripts

@cli.command("import")
@click.argument("project", type=click.Path(exists=True, dir_okay=False))
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--attr", "attrs", multiple=True, metavar="NAME=VALUE",
              help="An attribute for every imported file (repeatable), e.g. --attr kommun=Aneby.")
@click.option("--attributes", "attributes_file", type=click.Path(dir_okay=False),
              help="Sidecar CSV: a 'file' column and one column per attribute.")
@click.option("--unit", type=click.Choice(UNITS), default="sentence", show_default=True,
              help="Segment by sentence (within speaker turns), paragraph or whole turn.")
@click.option("--lang", "language", type=click.Choice(LANGUAGES), default="sv", show_default=True,
              help="Language of the sentence splitter.")
@click.option("--clean", is_flag=True,
              help="For reports and OCR text: drop running headers/footers, rejoin hyphenated words.")
@click.option("--max-size", type=float, default=DEFAULT_MAX_BYTES / 1024 / 1024, show_default=True,
              help="Refuse files larger than this many MB (0: no limit).")
@click.option("--coder", default=None, help="Who imports (recorded in the audit log).")
def import_(project, files, attrs, attributes_file, unit, language, clean, max_size, coder):
    """Import transcripts (.txt .md .docx .vtt .srt .csv), all or nothing.

    A file already in the project (same content) is skipped. If any file is
    broken, every problem is listed and nothing is imported.

    \b
    Examples:
      qcode import study.qcode interviews/*.docx --attributes interviews/attributes.csv
      qcode import study.qcode aneby_chef.txt --attr kommun=Aneby --attr roll=Chef
      qcode import study.qcode rapport_ocr.txt --clean --unit paragraph
    """
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
@click.argument("project", type=click.Path(exists=True, dir_okay=False))
@format_option
def transcripts(project, fmt):
    """List the transcripts with their attributes and who has marked them done."""
    with _open(project) as p:
        rows = p.transcripts()
    names = sorted({k for r in rows for k in r["attributes"]})
    out = [{"name": r["name"], "format": r["format"], "words": r["words"], "segments": r["segments"],
            **r["attributes"], "done_by": ",".join(r["done_by"])} for r in rows]
    _emit(out, ["name", "format", "words", "segments", *names, "done_by"], fmt)


@cli.command()
@click.argument("project", type=click.Path(exists=True, dir_okay=False))
@click.argument("transcript")
@click.option("--coder", default=None, help="Also show the codes this coder applied.")
@format_option
def segments(project, transcript, coder, fmt):
    """List the segments of a transcript (position, offsets, speaker, time, text).

    \b
    Example:
      qcode segments demo.qcode aneby_chef.txt --coder anna
    """
    with _open(project) as p:
        segs = p.segments(transcript)
        codes = p.store.segment_codes(p.transcript_id(transcript), coder) if coder else {}
    rows = [{"segment": s.position, "start": s.start, "end": s.end, "speaker": s.speaker, "t_start": s.t_start,
             "t_end": s.t_end, "codes": ",".join(codes.get(s.id, [])), "text": s.text} for s in segs]
    columns = ["segment", "start", "end", "speaker", "t_start", "t_end"] + (["codes"] if coder else []) + ["text"]
    _emit(rows, columns, fmt)


@cli.command()
@click.argument("project", type=click.Path(exists=True, dir_okay=False))
@click.argument("transcript")
@click.argument("pairs", nargs=-1, required=True, metavar="NAME=VALUE...")
@click.option("--coder", default=None, help="Who changes them (audit log).")
def attributes(project, transcript, pairs, coder):
    """Set attributes of a transcript (NAME= with no value removes one).

    \b
    Example:
      qcode attributes demo.qcode aneby_chef.txt kommun=Aneby roll=Chef fas=inledande
    """
    values = importing.parse_attribute_pairs(pairs)
    with _open(project) as p:
        p.set_attributes(transcript, {k: (v or None) for k, v in values.items()}, actor=coder)
    click.echo(f"Set {len(values)} attribute(s) of {transcript}")


# ---------------------------------------------------------------- codebook

@cli.group()
def codebook():
    """Import, export and show the project's codebook."""


@codebook.command("import")
@click.argument("project", type=click.Path(exists=True, dir_okay=False))
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--replace", is_flag=True,
              help="Remove codes missing from FILE (codes with codings are deactivated, never lost).")
def codebook_import(project, file, replace):
    """Load a codebook (YAML or CSV) into the project; codes are matched by id.

    \b
    Example:
      qcode codebook import study.qcode codebooks/se_ips.yaml
    """
    with _open(project) as p:
        result = p.load_codebook(file, replace=replace)
    click.echo("Codebook: {added} added, {updated} updated, {removed} removed, {deactivated} deactivated"
               .format(**result))


@codebook.command("export")
@click.argument("project", type=click.Path(exists=True, dir_okay=False))
@click.argument("file", type=click.Path(dir_okay=False))
def codebook_export(project, file):
    """Write the codebook to FILE (.yaml, .yml or .csv).

    \b
    Example:
      qcode codebook export study.qcode codebook.csv
    """
    with _open(project) as p:
        book = p.codebook()
    codebook_mod.save_codebook(book, file)
    click.echo(f"Wrote {len(book)} codes to {file}")


@codebook.command("show")
@click.argument("project", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(("tree", "csv", "json", "yaml")), default="tree",
              show_default=True)
@click.option("--lang", "language", type=click.Choice(LANGUAGES), default="sv", show_default=True)
def codebook_show(project, fmt, language):
    """Show the codebook as a tree (or CSV, JSON, YAML)."""
    with _open(project) as p:
        book = p.codebook()
    if fmt == "csv":
        click.echo(codebook_mod.to_csv(book), nl=False)
    elif fmt == "yaml":
        click.echo(codebook_mod.to_yaml(book), nl=False)
    elif fmt == "json":
        rows = [{k: getattr(c, k) for k in codebook_mod.FIELDS} for c in book.codes]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for c in book.codes:
            click.echo(f"{'  ' * book.depth(c.id)}{c.label(language)}  [{c.id}]")


# ----------------------------------------------------------------- codings

@cli.group()
def codings():
    """Import, export and list codings."""


@codings.command("import")
@click.argument("project", type=click.Path(exists=True, dir_okay=False))
@click.argument("file", type=click.Path(dir_okay=False))
def codings_import(project, file):
    """Import codings from CSV (transcript,segment,code,coder,memo), all or nothing.

    \b
    Example:
      qcode codings import study.qcode codings.csv
    """
    with _open(project) as p:
        result = p.import_codings(file)
    click.echo(f"Imported {result['rows']} coding(s) ({result['added']} new)")


@codings.command("export")
@click.argument("project", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="File to write (default: standard output).")
@click.option("--coder", default=None, help="Only this coder's codings.")
def codings_export(project, output, coder):
    """Export codings as CSV (transcript,segment,code,coder,memo)."""
    with _open(project) as p:
        n = p.export_codings(output or sys.stdout, coder=coder)
    if output:
        click.echo(f"Wrote {n} coding(s) to {output}")


@codings.command("list")
@click.argument("project", type=click.Path(exists=True, dir_okay=False))
@click.option("--coder", default=None)
@click.option("--transcript", default=None)
@format_option
def codings_list(project, coder, transcript, fmt):
    """List codings (optionally of one coder or transcript)."""
    with _open(project) as p:
        rows = p.codings(coder=coder, transcript=transcript)
    _emit(rows, list(codings_mod.CSV_COLUMNS), fmt)


def _coding_options(f):
    for option in reversed([
        click.argument("project", type=click.Path(exists=True, dir_okay=False)),
        click.option("--coder", required=True, help="Who codes."),
        click.option("--transcript", required=True, help="Transcript name."),
        click.option("--segment", type=int, required=True, help="Segment number (1-based)."),
        click.option("--code", "code_id", required=True, help="Code id."),
    ]):
        f = option(f)
    return f


@cli.command()
@_coding_options
@click.option("--memo", default=None, help="A memo on this coding.")
def code(project, coder, transcript, segment, code_id, memo):
    """Apply a code to a segment.

    \b
    Example:
      qcode code demo.qcode --coder anna --transcript aneby_chef.txt --segment 12 --code impl_hi_ensam_position
    """
    with _open(project) as p:
        added = p.apply_code(transcript, segment, code_id, coder=coder, memo=memo)
    click.echo(("Applied " if added else "Already applied: ") + f"{code_id} to {transcript} #{segment} ({coder})")


@cli.command()
@_coding_options
def uncode(project, coder, transcript, segment, code_id):
    """Remove a code from a segment."""
    with _open(project) as p:
        removed = p.remove_code(transcript, segment, code_id, coder=coder)
    if not removed:
        raise QcodeError(f"{coder} had not applied {code_id} to {transcript} #{segment}")
    click.echo(f"Removed {code_id} from {transcript} #{segment} ({coder})")


@cli.command()
@click.argument("project", type=click.Path(exists=True, dir_okay=False))
@click.option("--coder", required=True, help="The coder who has finished.")
@click.option("--transcript", "names", multiple=True, help="A transcript (repeatable).")
@click.option("--all", "all_", is_flag=True, help="Every transcript in the project.")
@click.option("--undo", is_flag=True, help="Take the done-marker back.")
def done(project, coder, names, all_, undo):
    """Mark transcripts as finished by a coder (agreement counts only finished ones).

    \b
    Examples:
      qcode done demo.qcode --coder anna --transcript aneby_chef.txt --transcript aneby_se-coach.docx
      qcode done demo.qcode --coder anna --all
    """
    if bool(names) == bool(all_):
        raise click.UsageError("give either --transcript NAME (one or more) or --all")
    with _open(project) as p:
        changed = p.mark_done(coder, None if all_ else list(names), done=not undo)
    click.echo(f"{'Unmarked' if undo else 'Marked'} {changed} transcript(s) as done for {coder}")


@cli.group("coders")
def coders_group():
    """List and add coders, set passwords (stored only as salted scrypt hashes)."""


@coders_group.command("list")
@click.argument("project", type=click.Path(exists=True, dir_okay=False))
@format_option
def coders_list(project, fmt):
    """List the coders, who owns the project and who has a password."""
    from ..coders import list_coders

    with _open(project) as p:
        rows = list_coders(p.store)
    _emit(rows, ["name", "is_owner", "has_password"], fmt)


@coders_group.command("add")
@click.argument("project", type=click.Path(exists=True, dir_okay=False))
@click.argument("name")
@click.option("--owner", is_flag=True, help="Make this coder a project owner.")
@click.option("--password", is_flag=True, help="Ask for a password (needed when the app is served to a team).")
def coders_add(project, name, owner, password):
    """Add a coder.

    \b
    Example:
      qcode coders add study.qcode sara --owner --password
    """
    from ..coders import add_coder

    secret = click.prompt("Password", hide_input=True, confirmation_prompt=True) if password else None
    with _open(project) as p:
        add_coder(p.store, name, password=secret, owner=owner)
    click.echo(f"Added coder {name}" + (" (owner)" if owner else ""))


@coders_group.command("password")
@click.argument("project", type=click.Path(exists=True, dir_okay=False))
@click.argument("name")
def coders_password(project, name):
    """Set or change a coder's password (asked for twice, never shown)."""
    from ..coders import set_password

    secret = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    with _open(project) as p:
        set_password(p.store, name, secret)
    click.echo(f"Password of {name} set")


@cli.command()
@click.argument("project", type=click.Path(exists=True, dir_okay=False))
@click.argument("state", type=click.Choice(("on", "off", "show")), default="show")
def blind(project, state):
    """Blind coding: coders see each other's codes on a transcript only once both have marked it done.

    \b
    Example:
      qcode blind study.qcode off
    """
    from ..settings import blind_coding, set_blind_coding

    with _open(project) as p:
        if state != "show":
            set_blind_coding(p.store, state == "on")
        on = blind_coding(p.store)
    click.echo(f"Blind coding is {'on' if on else 'off'}")


# Commands of the other topics register themselves on ``cli`` when imported.
from . import agreement, matrix  # noqa: E402,F401


def main(argv=None):
    """Entry point of the ``qcode`` console script."""
    return cli.main(args=argv, prog_name="qcode")


if __name__ == "__main__":  # pragma: no cover
    main()
