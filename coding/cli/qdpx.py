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
