"""``qcode qdpx export``: the whole project as a REFI-QDA project archive (.qdpx) for other QDA programs."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import QcodeError
from .base import _open, cli, force_option, project_argument


@cli.group()
def qdpx():
    """Exchange whole projects with NVivo, ATLAS.ti, MAXQDA and QualCoder (REFI-QDA .qdpx).

    \b
    Example:
      qcode qdpx export demo.qcode demo.qdpx --lang en
    """


@qdpx.command("export")
@project_argument
@click.argument("out", type=click.Path(dir_okay=False))
@click.option("--lang", type=click.Choice(("sv", "en")), default="sv", show_default=True,
              help="The language of code labels and definitions.")
@force_option
def qdpx_export(project, out, lang, force):
    """Write the whole project to OUT (.qdpx): transcripts, codebook, every coder's codings (consensus
    too), memos and attributes (municipalities as cases), checked against the REFI-QDA schema.

    \b
    Examples:
      qcode qdpx export demo.qcode demo.qdpx
      qcode qdpx export demo.qcode demo.qdpx --lang en --force
    """
    if Path(out).exists() and not force:
        raise QcodeError(f"{out} already exists (use --force to overwrite it)")
    with _open(project) as p:
        summary = p.export_qdpx(out, lang=lang, overwrite=True)
    click.echo(f"Wrote {out}: {summary['sources']} transcripts, {summary['codes']} codes, "
               f"{summary['codings']} codings by {summary['users']} coders, {summary['notes']} memos, "
               f"{summary['cases']} cases")
    if summary["non_bmp_sources"]:
        click.echo("Note: positions count Unicode characters; NVivo counts characters outside the Basic "
                   "Multilingual Plane (emoji …) twice, so selections after one may shift in: "
                   + ", ".join(summary["non_bmp_sources"]), err=True)


@qdpx.command("import")
@project_argument(new=True)
@click.argument("source", metavar="IN", type=click.Path(exists=True, dir_okay=False))
@click.option("--coder-map", "coder_map", multiple=True, metavar="OLD=NEW",
              help="Give a user of the file another coder name here (repeatable).")
def qdpx_import(project, source, coder_map):
    """Import a REFI-QDA project IN (.qdpx from NVivo, ATLAS.ti, MAXQDA, QualCoder or qcode) into PROJECT,
    which is created if missing: coders, codes, text sources as transcripts, every coding with its exact
    range, memos and attributes, all or nothing (an existing project is backed up first). Positions counted
    in UTF-16 (NVivo) or around CRLF line ends are converted; sources that are not text (PDF, pictures,
    audio, video) are listed as skipped.

    \b
    Examples:
      qcode qdpx import study.qcode from_nvivo.qdpx
      qcode qdpx import study.qcode from_qualcoder.qdpx --coder-map "Lena K=lena" --coder-map Erik=erik
    """
    from ..project import Project

    mapping = {}
    for pair in coder_map:
        old, sep, new = pair.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise QcodeError(f"--coder-map {pair!r} is not of the form OLD=NEW")
        mapping[old.strip()] = new.strip()
    from ..places import what_is_at
    from ..store.base import discard_new_project

    found = what_is_at(project)
    p = _open(project) if found == "project" else Project.create(project)
    try:
        report = p.import_qdpx(source, coder_map=mapping)
    except BaseException:
        p.close()
        if found == "nothing":  # a failed import leaves no new file or schema behind (a schema made for us stays)
            discard_new_project(project)
        raise
    p.close()
    if found != "project":
        click.echo(f"Created {project}")
    for line in report.lines():
        click.echo(line, err=line.startswith("Warning"))
