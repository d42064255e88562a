"""``qcode codebook import|export|show``: the project's codebook."""

from __future__ import annotations

import json

import click

from ..segmentation import LANGUAGES
from .base import _open, cli, format_option, project_argument


@cli.group()
def codebook():
    """Import, export and show the project's codebook.

    \b
    Examples:
      qcode codebook import study.qcode codebooks/se_ips.yaml
      qcode codebook show demo.qcode --lang en
    """


@codebook.command("import")
@project_argument
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
@project_argument
@click.argument("file", type=click.Path(dir_okay=False))
def codebook_export(project, file):
    """Write the codebook to FILE (.yaml, .yml or .csv).

    \b
    Example:
      qcode codebook export study.qcode codebook.csv
    """
    with _open(project) as p:
        book = p.codebook()
        p.export_codebook(file)
    click.echo(f"Wrote {len(book)} codes to {file}")


@codebook.command("show")
@project_argument
@format_option(choices=("tree", "csv", "json", "yaml"), default="tree")
@click.option("--lang", "language", type=click.Choice(LANGUAGES), default="sv", show_default=True)
def codebook_show(project, fmt, language):
    """Show the codebook as a tree (or CSV, JSON, YAML).

    \b
    Example:
      qcode codebook show demo.qcode --lang en
    """
    from .. import codebook as codebook_mod

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
