"""``qcode codings import|export|list``, ``qcode code``, ``qcode uncode``, ``qcode memo``, ``qcode undo``,
``qcode redo`` and ``qcode done``: codings."""

from __future__ import annotations

import sys

import click

from ..errors import QcodeError
from .base import (_emit, _open, cli, coder_option, force_option, format_option, output_option, project_argument,
                   with_options)


@cli.group()
def codings():
    """Import, export and list codings.

    \b
    Examples:
      qcode codings export demo.qcode -o codings.csv
      qcode codings list demo.qcode --coder anna --transcript aneby_chef.txt
    """


@codings.command("import")
@project_argument
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
@project_argument
@output_option()
@coder_option("Only this coder's codings.")
@force_option
def codings_export(project, output, coder, force):
    """Export codings as CSV (transcript,segment,code,coder,memo).

    An existing output file is not overwritten unless --force is given.

    \b
    Example:
      qcode codings export demo.qcode --coder anna -o anna.csv
    """
    from pathlib import Path

    if output and Path(output).exists() and not force:
        raise QcodeError("the file exists already; choose another name or overwrite it with --force", path=output)
    with _open(project) as p:
        n = p.export_codings(output or sys.stdout, coder=coder)
    if output:
        click.echo(f"Wrote {n} coding(s) to {output}")


@codings.command("list")
@project_argument
@coder_option("Only this coder's codings.")
@click.option("--transcript", default=None, help="Only this transcript's codings.")
@format_option
def codings_list(project, coder, transcript, fmt):
    """List codings (optionally of one coder or transcript).

    \b
    Example:
      qcode codings list demo.qcode --coder anna --transcript aneby_chef.txt
    """
    from ..codings import CSV_COLUMNS

    with _open(project) as p:
        rows = p.codings(coder=coder, transcript=transcript)
    _emit(rows, list(CSV_COLUMNS), fmt)


coding_options = with_options(
    project_argument,
    coder_option("Who codes.", required=True),
    click.option("--transcript", required=True, help="Transcript name."),
    click.option("--segment", type=int, required=True, help="Segment number (1-based)."),
    click.option("--code", "code_id", required=True, help="Code id."),
)


@cli.command()
@coding_options
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
@coding_options
def uncode(project, coder, transcript, segment, code_id):
    """Remove a code from a segment.

    \b
    Example:
      qcode uncode demo.qcode --coder anna --transcript aneby_chef.txt --segment 12 --code impl_hi_ensam_position
    """
    with _open(project) as p:
        removed = p.remove_code(transcript, segment, code_id, coder=coder)
    if not removed:
        raise QcodeError(f"{coder} had not applied {code_id} to {transcript} #{segment}")
    click.echo(f"Removed {code_id} from {transcript} #{segment} ({coder})")


@cli.command()
@project_argument
@coder_option("The coder who has finished.", required=True)
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


@cli.command()
@project_argument
@coder_option("Whose last step to undo.", required=True)
def undo(project, coder):
    """Undo the coder's newest coding, removal or memo change (made anywhere: app, CLI or Python).

    Repeat it to walk further back.

    \b
    Example:
      qcode undo demo.qcode --coder anna
    """
    with _open(project) as p:
        undone = p.undo(coder)
    click.echo(undone.describe() if undone else f"Nothing to undo for {coder}")


@cli.command()
@project_argument
@coder_option("Whose last undo to take back.", required=True)
def redo(project, coder):
    """Do again what the coder's last `qcode undo` (or the app's undo) reversed.

    A new coding, removal or memo change after the undo ends the chance to redo it.

    \b
    Example:
      qcode undo demo.qcode --coder anna
      qcode redo demo.qcode --coder anna
    """
    with _open(project) as p:
        redone = p.redo(coder)
    click.echo(redone.describe() if redone else f"Nothing to redo for {coder}")


@cli.command()
@project_argument
@coder_option("Whose memo.", required=True)
@click.option("--transcript", required=True, help="Transcript name.")
@click.option("--segment", type=int, required=True, help="Segment number (1-based).")
@click.argument("text")
def memo(project, coder, transcript, segment, text):
    """Write the coder's memo on a segment ("" deletes it); undoable with `qcode undo`.

    \b
    Example:
      qcode memo demo.qcode --coder anna --transcript aneby_chef.txt --segment 12 "Tydligt exempel på ensamhet"
    """
    with _open(project) as p:
        segments = {s.position: s.id for s in p.segments(transcript)}
        if segment not in segments:
            raise QcodeError(f"transcript {transcript!r} has no segment {segment}")
        changed = p.set_segment_memo(segments[segment], coder, text)
    click.echo(("Saved the memo on " if changed else "Unchanged: the memo on ") + f"{transcript} #{segment}")
