"""``qcode init``, ``qcode demo`` and ``qcode info``: project files."""

from __future__ import annotations

import click

from .base import _emit, _open, cli, force_option, format_option, project_argument


@cli.command()
@project_argument(new=True)
@click.option("--codebook", "codebook_path", type=click.Path(dir_okay=False), help="Load this codebook (YAML/CSV).")
@force_option
def init(project, codebook_path, force):
    """Create a new, empty project file.

    \b
    Example:
      qcode init study.qcode --codebook codebooks/se_ips.yaml
    """
    from .. import codebook as codebook_mod
    from ..project import Project

    book = codebook_mod.load_codebook(codebook_path) if codebook_path else None
    with Project.create(project, overwrite=force) as p:
        if book is not None:
            p.apply_codebook(book, source=codebook_path)
    click.echo(f"Created {project}" + (f" with {len(book)} codes from {codebook_path}" if book else ""))


@cli.command()
@project_argument(new=True)
@force_option
def demo(project, force):
    """Create a project from the demo corpus (transcripts, SE/IPS codebook, two coders' codings).

    \b
    Example:
      qcode demo demo.qcode && qcode transcripts demo.qcode
    """
    from ..project import Project

    with Project.demo(project, overwrite=force) as p:
        counts = p.counts()
    click.echo(f"Created {project}: {counts['transcripts']} transcripts, {counts['segments']} segments, "
               f"{counts['codes']} codes, {counts['codings']} codings by {counts['coders']} coders")


@cli.command()
@project_argument
@format_option
def info(project, fmt):
    """How many transcripts, segments, codes, coders and codings a project holds.

    \b
    Example:
      qcode info demo.qcode --format json
    """
    with _open(project) as p:
        counts = p.counts()
        schema = p.store.schema_version()
    _emit([{"table": k, "rows": v} for k, v in counts.items()] + [{"table": "schema_version", "rows": schema}],
          ["table", "rows"], fmt)
