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
    """Load a codebook (YAML, CSV or REFI-QDA .qdc) into the project; codes are matched by id.

    A .qdc codebook from another QDA tool (NVivo, ATLAS.ti, MAXQDA, QualCoder, Taguette) gives each
    code its name as both labels and its description as the definition; codes exported from this
    project keep their ids.

    \b
    Examples:
      qcode codebook import study.qcode codebooks/se_ips.yaml
      qcode codebook import study.qcode from_nvivo.qdc
    """
    with _open(project) as p:
        result = p.load_codebook(file, replace=replace)
    click.echo("Codebook: {added} added, {updated} updated, {removed} removed, {deactivated} deactivated"
               .format(**result))


@codebook.command("export")
@project_argument
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--lang", "language", type=click.Choice(LANGUAGES), default="sv", show_default=True,
              help="For .qdc: the language of the code names and descriptions.")
def codebook_export(project, file, language):
    """Write the codebook to FILE (.yaml, .yml or .csv, every text in Swedish and English; or .qdc,
    the REFI-QDA codebook other QDA tools read, in one language).

    \b
    Examples:
      qcode codebook export study.qcode codebook.csv
      qcode codebook export study.qcode codebook.qdc --lang en
    """
    with _open(project) as p:
        book = p.codebook()
        p.export_codebook(file, lang=language)
    click.echo(f"Wrote {len(book)} codes to {file}")


@codebook.command("show")
@project_argument
@format_option(choices=("tree", "csv", "json", "yaml"), default="tree")
@click.option("--lang", "language", type=click.Choice(LANGUAGES), default="sv", show_default=True,
              help="The language of the labels and, with --texts, of the definitions.")
@click.option("--texts", is_flag=True,
              help="In the tree: each code's definition, include and exclude rules and example below it.")
def codebook_show(project, fmt, language, texts):
    """Show the codebook as a tree (or CSV, JSON, YAML with every text in Swedish and English).

    \b
    Examples:
      qcode codebook show demo.qcode --lang en
      qcode codebook show demo.qcode --texts
      qcode codebook show demo.qcode --format csv > codebook.csv
    """
    from .. import codebook as codebook_mod

    with _open(project) as p:
        book = p.codebook()
    if fmt == "csv":
        click.echo(codebook_mod.to_csv(book), nl=False)
    elif fmt == "yaml":
        click.echo(codebook_mod.to_yaml(book), nl=False)
    elif fmt == "json":
        fields = codebook_mod.columns(book)
        rows = [{k: getattr(c, k) for k in fields} for c in book.codes]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        names = _TEXT_NAMES[language]
        for c in book.codes:
            indent = "  " * book.depth(c.id)
            click.echo(f"{indent}{c.label(language)}  [{c.id}]")
            for field in codebook_mod.TEXT_FIELDS if texts else ():
                value = " ".join(c.text(field, language).split())
                if value:
                    click.echo(f"{indent}    {names[field]}: {value}")


_TEXT_NAMES = {"sv": {"definition": "Definition", "include": "Inkludera när", "exclude": "Exkludera när",
                      "example": "Exempel"},
               "en": {"definition": "Definition", "include": "Include when", "exclude": "Exclude when",
                      "example": "Example"}}
