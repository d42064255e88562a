"""``qcode coders list|add|password`` and ``qcode blind``: who codes, and what they see."""

from __future__ import annotations

import click

from .base import _emit, _open, cli, format_option, project_argument


@cli.group("coders")
def coders_group():
    """List and add coders, set passwords (stored only as salted scrypt hashes).

    \b
    Examples:
      qcode coders list demo.qcode
      qcode coders add study.qcode sara --owner --password
    """


@coders_group.command("list")
@project_argument
@format_option
def coders_list(project, fmt):
    """List the coders, who owns the project and who has a password.

    \b
    Example:
      qcode coders list demo.qcode --format json
    """
    with _open(project) as p:
        rows = p.coders()
    _emit(rows, ["name", "is_owner", "has_password"], fmt)


@coders_group.command("add")
@project_argument
@click.argument("name")
@click.option("--owner", is_flag=True, help="Make this coder a project owner.")
@click.option("--password", is_flag=True, help="Ask for a password (needed when the app is served to a team).")
def coders_add(project, name, owner, password):
    """Add a coder.

    \b
    Example:
      qcode coders add study.qcode sara --owner --password
    """
    secret = click.prompt("Password", hide_input=True, confirmation_prompt=True) if password else None
    with _open(project) as p:
        p.add_coder(name, password=secret, owner=owner)
    click.echo(f"Added coder {name}" + (" (owner)" if owner else ""))


@coders_group.command("password")
@project_argument
@click.argument("name")
def coders_password(project, name):
    """Set or change a coder's password (asked for twice, never shown).

    \b
    Example:
      qcode coders password study.qcode sara
    """
    secret = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    with _open(project) as p:
        p.set_password(name, secret)
    click.echo(f"Password of {name} set")


@cli.command()
@project_argument
@click.argument("state", type=click.Choice(("on", "off", "show")), default="show")
def blind(project, state):
    """Blind coding: coders see each other's codes on a transcript only once both have marked it done.

    \b
    Example:
      qcode blind study.qcode off
    """
    with _open(project) as p:
        if state != "show":
            p.set_blind_coding(state == "on")
        on = p.blind_coding()
    click.echo(f"Blind coding is {'on' if on else 'off'}")


@coders_group.command("role")
@project_argument
@click.argument("name")
@click.argument("role", type=click.Choice(("owner", "lead", "coder", "viewer")))
@click.option("--by", "actor", default=None, help="Who gives the role (default: you, the local owner).")
def coders_role(project, name, role, actor):
    """Give a coder a role: owner (everything), lead (codes, settles consensus), coder (codes), viewer (reads).

    \b
    Example:
      qcode coders role study.qcode erik lead
    """
    with _open(project) as p:
        p.set_role(name, role, actor=actor)
    click.echo(f"{name} is now {role}")
