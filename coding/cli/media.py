"""``qcode media add|list|remove``: audio and video recordings attached to transcripts."""

from __future__ import annotations

import click

from .base import _emit, _open, cli, coder_option, format_option, project_argument


@cli.group()
def media():
    """Attach interview recordings to transcripts, to play a segment where it was said (in the app).

    The project keeps where the file is, never its bytes. A file in the project's folder is kept
    relative to it, so the folder can move as a whole; a project on PostgreSQL keeps full paths.

    \b
    Examples:
      qcode media add demo.qcode gnosjo_chef.vtt recordings/gnosjo_chef.mp3
      qcode media list demo.qcode
    """


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 100 * 1024 else f"{n / 1024:.1f} kB"


@media.command("add")
@project_argument
@click.argument("transcript")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--replace", is_flag=True, help="Replace the transcript's recording by another one.")
@coder_option("Who attaches it (audit log).")
def media_add(project, transcript, file, replace, coder):
    """Attach a recording (.mp3 .m4a .wav .ogg .webm .mp4) to a transcript; the same file at a new place
    re-points it.

    \b
    Examples:
      qcode media add demo.qcode gnosjo_chef.vtt gnosjo_chef.mp3
      qcode media add demo.qcode gnosjo_chef.vtt /mnt/ljud/gnosjo_chef.m4a --replace
    """
    with _open(project) as p:
        info = p.attach_media(transcript, file, replace=replace, actor=coder)
    message = {"attached": f"Attached {info.stored_path} to {transcript}",
               "replaced": f"Replaced the recording of {transcript} by {info.stored_path}",
               "repointed": f"Re-pointed the recording of {transcript} to {info.stored_path}"}[info.outcome]
    click.echo(f"{message} ({info.mime}, {_size(info.size)})")


@media.command("list")
@project_argument
@format_option
def media_list(project, fmt):
    """List the attached recordings and whether each is still where it was (status ok, missing or changed).

    \b
    Example:
      qcode media list demo.qcode --format csv
    """
    with _open(project) as p:
        found = p.media_files()
    rows = [{"transcript": m.transcript, "status": m.status, "mime": m.mime, "size": m.size,
             "path": str(m.path), "stored_path": m.stored_path, "sha256": m.sha256} for m in found]
    columns = ["transcript", "status", "mime", "size", "path"] + (["stored_path", "sha256"] if fmt != "table" else [])
    _emit(rows, columns, fmt)
    for m in found:
        if m.problem():
            click.echo(f"Note: {m.problem()}", err=True)
    if not found:
        click.echo("No recordings attached (qcode media add PROJECT TRANSCRIPT FILE)", err=True)


@media.command("remove")
@project_argument
@click.argument("transcript")
@coder_option("Who detaches it (audit log).")
def media_remove(project, transcript, coder):
    """Detach a transcript's recording (the file itself stays where it is).

    \b
    Example:
      qcode media remove demo.qcode gnosjo_chef.vtt
    """
    with _open(project) as p:
        info = p.media(transcript)
        removed = p.remove_media(transcript, actor=coder)
    if removed:
        click.echo(f"Detached the recording of {transcript} (the file stays at {info.path})")
    else:
        click.echo(f"{transcript} had no recording attached; nothing changed")
