"""``qcode memos list|add|edit|delete|export``: memos on the project, transcripts, segments, codes and codings.

``qcode memo`` (a segment's memo, in :mod:`coding.cli.codings`) stays as it was.
"""

from __future__ import annotations

import click

from ..errors import QcodeError
from .base import _emit, _open, cli, coder_option, force_option, format_option, project_argument, with_options

KINDS = ("project", "transcript", "segment", "code", "coding")

filter_options = with_options(
    click.option("--search", default=None, help="Only memos whose text holds every word (case and å/ä/ö do not "
                                                "matter)."),
    click.option("--kind", type=click.Choice(KINDS), multiple=True, help="Only memos on this kind of thing "
                                                                         "(repeatable)."),
    coder_option("Only this coder's memos."),
    click.option("--transcript", default=None, help="Only memos on this transcript, its segments and codings."),
)

target_options = with_options(
    click.option("--transcript", default=None, help="The transcript the memo is about (with --segment: a segment "
                                                    "of it)."),
    click.option("--segment", type=int, default=None, help="Segment number (1-based); needs --transcript."),
    click.option("--code", "code_id", default=None, help="Code id (with --transcript and --segment: that "
                                                         "coding's memo)."),
)


def _filters(search, kind, coder, transcript) -> dict:
    return {"search": search, "kind": list(kind) or None, "coder": coder, "transcript": transcript}


@cli.group()
def memos():
    """List, write, edit, delete and export memos (on the project, transcripts, segments, codes and codings).

    \b
    Examples:
      qcode memos list demo.qcode --search förankring
      qcode memos add demo.qcode --coder anna --text "Ledningen avgör" --transcript aneby_chef.txt
      qcode memos export demo.qcode -o memon.docx
    """


@memos.command("list")
@project_argument
@filter_options
@format_option
def memos_list(project, search, kind, coder, transcript, fmt):
    """List memos, oldest first; a coding's memo (kept on the coding) has no id.

    \b
    Examples:
      qcode memos list demo.qcode
      qcode memos list demo.qcode --kind code --kind project --search "forankring ledning" --format csv
    """
    with _open(project) as p:
        found = p.memos(**_filters(search, kind, coder, transcript))
    rows = [{"id": m.id, "kind": m.kind, "target": m.target, "transcript": m.transcript, "segment": m.segment,
             "code": m.code, "coder": m.coder, "created_at": m.created_at, "updated_at": m.updated_at,
             "text": m.text} for m in found]
    columns = (["id", "kind", "target", "coder", "updated_at", "text"] if fmt == "table" else
               ["id", "kind", "target", "transcript", "segment", "code", "coder", "created_at", "updated_at",
                "text"])
    _emit(rows, columns, fmt)


@memos.command("add")
@project_argument
@coder_option("Whose memo.", required=True)
@click.option("--text", required=True, help="The memo.")
@target_options
def memos_add(project, coder, text, transcript, segment, code_id):
    """Write a memo: on the project (no target), a transcript, a segment, a code, or a coding (all three);
    undoable with `qcode undo`.

    \b
    Examples:
      qcode memos add demo.qcode --coder anna --text "Förankring i ledningen avgör överallt"
      qcode memos add demo.qcode --coder anna --text "Chefen är ny" --transcript aneby_chef.txt
      qcode memos add demo.qcode --coder anna --text "Gränsfall" --code impl_hi_ensam_position
    """
    with _open(project) as p:
        memo = p.add_memo(text, coder=coder, transcript=transcript, segment=segment, code=code_id)
    number = f"memo {memo.id}" if memo.id is not None else "the coding's memo"
    click.echo(f"Wrote {number} on {memo.target} ({coder})")


def _pick(p, memo_id, transcript, segment, code_id, coder):
    """The memo a command names: by id, or a coding's memo by --transcript, --segment and --code."""
    if memo_id is not None:
        return memo_id
    if None in (transcript, segment, code_id):
        raise click.UsageError("give the memo's id, or --transcript, --segment and --code for a coding's memo")
    found = [m for m in p.memos(kind="coding", coder=coder, transcript=transcript)
             if m.segment == segment and m.code == code_id]
    if not found:
        raise QcodeError(f"{coder} has no memo on the coding {code_id} of {transcript} #{segment}")
    return found[0]


@memos.command("edit")
@project_argument
@click.argument("memo_id", type=int, required=False)
@coder_option("Whose memo (only they may change it).", required=True)
@click.option("--text", required=True, help="The new text.")
@target_options
def memos_edit(project, memo_id, coder, text, transcript, segment, code_id):
    """Give one of your memos new text (by its id from `qcode memos list`; a coding's memo by --transcript,
    --segment and --code); undoable with `qcode undo`.

    \b
    Example:
      qcode memos edit demo.qcode 3 --coder anna --text "Förankring: alla chefer"
    """
    with _open(project) as p:
        changed = p.edit_memo(_pick(p, memo_id, transcript, segment, code_id, coder), text, coder=coder)
    click.echo("Saved the memo" if changed else "Unchanged: the memo already says that")


@memos.command("delete")
@project_argument
@click.argument("memo_id", type=int, required=False)
@coder_option("Whose memo (only they may delete it).", required=True)
@target_options
def memos_delete(project, memo_id, coder, transcript, segment, code_id):
    """Delete one of your memos (by its id from `qcode memos list`); undoable with `qcode undo`.

    \b
    Examples:
      qcode memos delete demo.qcode 3 --coder anna
      qcode memos delete demo.qcode --coder anna --transcript aneby_chef.txt --segment 3 --code impl_hi_ensam_position
    """
    with _open(project) as p:
        p.delete_memo(_pick(p, memo_id, transcript, segment, code_id, coder), coder=coder)
    click.echo("Deleted the memo (undo with `qcode undo`)")


@memos.command("export")
@project_argument
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="File to write: .csv, .md or .docx (A4).")
@filter_options
@click.option("--lang", type=click.Choice(("sv", "en")), default="sv", show_default=True,
              help="Language of the headings (Markdown and Word).")
@force_option
def memos_export(project, output, search, kind, coder, transcript, lang, force):
    """Export memos as CSV (spreadsheet-safe), Markdown or Word; the file's ending picks the format.

    An existing file is not overwritten unless --force is given.

    \b
    Examples:
      qcode memos export demo.qcode -o memon.csv
      qcode memos export demo.qcode -o memon.docx --coder anna --lang en
    """
    from pathlib import Path

    from ..memo_export import format_of

    format_of(output)  # a wrong ending fails before anything is read
    if Path(output).exists() and not force:
        raise QcodeError("the file exists already; choose another name or overwrite it with --force", path=output)
    with _open(project) as p:
        n = p.export_memos(output, lang=lang, **_filters(search, kind, coder, transcript))
    click.echo(f"Wrote {n} memo(s) to {output}")
