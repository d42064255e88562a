"""``qcode backup``, ``qcode backups`` and ``qcode restore``: consistent copies of a project file."""

from __future__ import annotations

import click

from .base import _emit, _open, cli, force_option, format_option, project_argument


@cli.command()
@project_argument
@click.argument("dest", type=click.Path(dir_okay=False))
@force_option
def backup(project, dest, force):
    """Copy the project to DEST, consistently even while coders work (SQLite's online backup).

    A backup made by hand is never deleted; the automatic ones (before
    destructive steps) are listed by `qcode backups`. A project on PostgreSQL
    is backed up as a project file too (a verified copy, as `qcode copy`);
    pg_dump of its schema is the database administrator's way.

    \b
    Examples:
      qcode backup study.qcode study-2026-11-30.qcode
      qcode backup "postgresql://anna@localhost/qual?schema=study" study-2026-11-30.qcode
    """
    with _open(project) as p:
        info = p.backup(dest, overwrite=force)
    click.echo(f"Backed up {project} to {info.path}: {info.transcripts} transcripts, {info.codings} codings")


@cli.command()
@project_argument
@format_option
def backups(project, fmt):
    """List the automatic backups of a project (newest first), kept in PROJECT.backups/ beside it
    (for a project on PostgreSQL: in ~/.local/share/qcode/backups/SERVER-PORT-DATABASE-SCHEMA/).

    \b
    Example:
      qcode backups study.qcode
    """
    from datetime import datetime, timezone

    from ..backup import list_backups

    rows = [{"file": str(path), "bytes": path.stat().st_size,
             "modified": datetime.fromtimestamp(path.stat().st_mtime, timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")}
            for path in list_backups(project)]
    _emit(rows, ["file", "modified", "bytes"], fmt)


@cli.command()
@project_argument(new=True)
@click.argument("backup_file", metavar="BACKUP", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore(project, backup_file, yes):
    """Replace PROJECT by BACKUP; the current PROJECT is backed up automatically first.

    A project on PostgreSQL is not replaced in place: copy the backup into a
    new schema with `qcode copy BACKUP "postgresql://…?schema=NEW"` and open that.

    \b
    Example:
      qcode restore study.qcode study-2026-11-30.qcode
    """
    from pathlib import Path

    from ..backup import restore as restore_backup
    from ..errors import ProjectProblem
    from ..store.url import Location

    if isinstance(project, Location):
        raise ProjectProblem(f"a project on PostgreSQL is not replaced in place: copy the backup into a new schema "
                             f"(qcode copy {backup_file} \"postgresql://…?schema=NEW\") and open that; a schema no "
                             "longer wanted is dropped with DROP SCHEMA … CASCADE", path=str(project))
    if not yes and Path(project).exists():
        click.confirm(f"Replace {project} by {backup_file}? (the current file is backed up first)", abort=True,
                      err=True)
    info = restore_backup(backup_file, project)
    click.echo(f"Restored {project} from {backup_file}: {info.transcripts} transcripts, {info.codings} codings")
