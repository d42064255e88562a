"""``qcode pseudonymise``: replace person names, personnummer, phone numbers and e-mail addresses."""

from __future__ import annotations

import click

from .base import _emit, _open, cli, format_option, project_argument


@cli.command()
@project_argument
@click.option("--key", "key_file", required=True, type=click.Path(dir_okay=False),
              help="The key file (placeholder -> original); keep it apart from the project.")
@click.option("--names", multiple=True, metavar="NAME", help="A person's name to replace (repeatable).")
@click.option("--keep", multiple=True, metavar="WORD", help="A word never to replace (repeatable).")
@click.option("--dry-run", is_flag=True, help="Only list what would be replaced; change nothing.")
@click.option("--no-guess", is_flag=True, help="Leave out capitalised words that only look like names.")
@click.option("--drop-low", is_flag=True, help="Leave out the uncertain guesses.")
@click.option("--delete-backups", is_flag=True, help="Delete the automatic backups (they still hold the names).")
@click.option("--by", "actor", default=None, help="Who does it (default: you, the local owner).")
@format_option
def pseudonymise(project, key_file, names, keep, dry_run, no_guess, drop_low, delete_backups, actor, fmt):
    """Pseudonymise the transcripts: person names become [Person 1] …, numbers [Telefon] …

    Municipality and organisation names stay. Codings stay on their words.
    Review with --dry-run first; the key is written only when changes are made.

    \b
    Examples:
      qcode pseudonymise study.qcode --key ../nycklar/study.json --names "Lena Berg" --dry-run
      qcode pseudonymise study.qcode --key ../nycklar/study.json --names "Lena Berg" --drop-low
    """
    from pathlib import Path

    from .. import pseudonymise as pz

    with _open(project) as p:
        plan = pz.propose(p, names=names, keep=keep, key_file=key_file if Path(key_file).exists() else None,
                          guess=not no_guess)
        if drop_low:
            plan = plan.drop(confidence="low")
        if dry_run:
            _emit(plan.rows(), ["transcript", "field", "start", "end", "kind", "text", "replacement",
                                "confidence", "context"], fmt)
            return
        applied = pz.apply(p, plan, key_file=key_file, actor=actor, delete_backups=delete_backups)
    click.echo(f"Replaced {sum(applied.counts.values())} finding(s) in {len(applied.transcripts)} transcript(s): "
               + ", ".join(f"{k} {v}" for k, v in sorted(applied.counts.items())) + f"; key in {applied.key_file}")
    for warning in applied.warnings:
        click.echo(f"Note: {warning}", err=True)
