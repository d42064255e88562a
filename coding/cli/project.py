"""``qcode init``, ``qcode demo`` and ``qcode info``: project files."""

from __future__ import annotations

import click

from .base import _emit, _open, cli, force_option, format_option, project_argument


@cli.command()
@project_argument(new=True)
@click.option("--codebook", "codebook_path", type=click.Path(dir_okay=False), help="Load this codebook (YAML/CSV).")
@click.option("--owner", default=None, help="The project owner (manages coders, codebook and transcripts).")
@force_option
@click.option("--yes", is_flag=True, help="With --force: replace an existing project without asking.")
def init(project, codebook_path, owner, force, yes):
    """Create a new, empty project: a file, or a schema on a PostgreSQL server.

    With --force an existing project is replaced, after a question and an
    automatic backup of it (see `qcode backups`).

    \b
    Examples:
      qcode init study.qcode --codebook codebooks/se_ips.yaml --owner anna
      qcode init "postgresql://anna@localhost/qual?schema=study" --owner anna
    """
    from .. import codebook as codebook_mod
    from ..places import project_exists
    from ..project import Project

    book = codebook_mod.load_codebook(codebook_path) if codebook_path else None
    if force and not yes and project_exists(project):
        click.confirm(f"{project} exists; replace it with an empty project (a backup is kept)?", abort=True)
    with Project.create(project, overwrite=force) as p:
        if owner:
            p.add_coder(owner, owner=True)
        if book is not None:
            p.apply_codebook(book, source=codebook_path)
    click.echo(f"Created {project}" + (f" with {len(book)} codes from {codebook_path}" if book else "")
               + (f", owner {owner}" if owner else ""))


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
        schema = p.schema_version()
    _emit([{"table": k, "rows": v} for k, v in counts.items()] + [{"table": "schema_version", "rows": schema}],
          ["table", "rows"], fmt)


@cli.command()
@project_argument
@click.option("--coder", "actor", default=None, help="Only this coder's entries.")
@click.option("--action", "actions", multiple=True, help="Only this action (repeatable), e.g. signin.failed.")
@click.option("--since", default=None, metavar="DATE", help="From this date or time (ISO, e.g. 2026-11-01).")
@click.option("--until", default=None, metavar="DATE", help="Up to this date (inclusive) or time.")
@click.option("--limit", type=int, default=200, show_default=True, help="At most this many (0: all).")
@format_option
def audit(project, actor, actions, since, until, limit, fmt):
    """The audit log: who changed what and when (sign-ins, codings, imports, roles …), newest first.

    \b
    Examples:
      qcode audit demo.qcode --coder anna --since 2026-11-01
      qcode audit demo.qcode --action signin.failed --action signin.locked --format csv > sign-ins.csv
    """
    import json

    with _open(project) as p:
        rows = p.audit_log(limit=limit or None, actor=actor, actions=list(actions) or None, since=since,
                           until=until)
    for r in rows:
        r["detail"] = json.dumps(r["detail"], ensure_ascii=False) if r["detail"] is not None else ""
    _emit(rows, ["id", "at", "actor", "action", "target", "detail"], fmt)
