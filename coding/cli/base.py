"""What every ``qcode`` command shares: the group, its error handling, the output helper and the
option decorators (each defined once, sqlite-utils style).

Command modules import from here (never from the package ``__init__``), so there is no import
cycle. This module imports no library module at the top: ``qcode --help`` and the light commands
stay fast, and each command imports what it needs inside its function.
"""

from __future__ import annotations

import csv
import importlib
import json
import os
import sqlite3
import sys
from typing import TYPE_CHECKING, Callable

import click

from ..errors import QcodeError

if TYPE_CHECKING:
    from ..project import Project

FORMATS = ("table", "csv", "json")

#: Commands whose module imports pandas or numpy at the top: loaded only when one of them runs
#: (or its help is asked for). name -> (module, the first line of its help, shown by ``qcode --help``).
#: ``tests/test_cli_walk.py`` checks that this table matches the commands those modules define.
LAZY_COMMANDS: dict[str, tuple[str, str]] = {
    "agreement": ("coding.cli.agreement", "Inter-coder agreement per code, pooled over codes and the mean over "
                                          "codes."),
    "disagreements": ("coding.cli.agreement", "List every segment where the coders' codes differ, in context, "
                                              "for the consensus discussion."),
    "consensus": ("coding.cli.agreement", "Record the team's consensus coding (the coder `consensus`)."),
    "matrix": ("coding.cli.matrix", "A rows × codes matrix: coded segments, presence, interviews or share of "
                                    "interviews."),
    "report": ("coding.cli.matrix", "The report table: per municipality, the factors present in each chosen "
                                    "category (the layout of the municipality tables of the Jönköping SE "
                                    "evaluation, Gustafsson 2014)."),
    "cooccurrence": ("coding.cli.matrix", "Code × code co-occurrence within the same segment or the same "
                                          "transcript."),
    "cell": ("coding.cli.matrix", "Drill down: the coded segments behind one matrix cell, with context."),
    "quotes": ("coding.cli.quotes", "All quotes for one or more codes, grouped by municipality (or any attribute), "
                                    "ready for the report."),
    "qdpx": ("coding.cli.qdpx", "Exchange whole projects with NVivo, ATLAS.ti, MAXQDA and QualCoder (REFI-QDA "
                                ".qdpx)."),
    "suggest": ("coding.cli.suggest", "Code suggestions learned from the team's coding: evaluate, train a model, "
                                      "write proposals, accept or reject them. Nothing becomes a coding without "
                                      "the coder's accept."),
}


# ---------------------------------------------------------------- output

def _emit(rows: list[dict], columns: list[str], fmt: str) -> None:
    """Print rows as an aligned table, CSV or JSON (a list of records)."""
    if fmt == "json":
        click.echo(json.dumps([{c: r.get(c) for c in columns} for r in rows], ensure_ascii=False, indent=2))
        return
    if fmt == "csv":
        from ..csvsafe import neutralise

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        for r in rows:
            writer.writerow([neutralise("" if r.get(c) is None else r.get(c)) for c in columns])
        return
    cells = [[("" if r.get(c) is None else str(r.get(c))).replace("\n", " ") for c in columns] for r in rows]
    widths = [min(60, max([len(c)] + [len(row[i]) for row in cells])) for i, c in enumerate(columns)]
    click.echo("  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip())
    click.echo("  ".join("-" * w for w in widths))
    for row in cells:
        click.echo("  ".join((v if len(v) <= w else v[: w - 1] + "…").ljust(w)
                             for v, w in zip(row, widths)).rstrip())


def _open(path) -> "Project":
    """Open the project named on the command line (a file path, or the Location of a PostgreSQL URL)."""
    from ..project import Project

    project = Project.open(path)
    for notice in project.notices:
        click.echo(f"Note: {project.where}: {notice}", err=True)
    return project


def is_url(value) -> bool:
    """Whether a PROJECT argument is a URL (``postgresql://…``, ``sqlite:///…``) rather than a file path.

    >>> is_url("postgresql://anna@localhost/qual"), is_url("study.qcode")
    (True, False)
    """
    return isinstance(value, str) and "://" in value and value.split("://", 1)[0].isalpha()


class ProjectType(click.ParamType):
    """A PROJECT argument: a project file (checked as today), an ``sqlite:///FILE`` URL (the same, for FILE)
    or a ``postgresql://USER@HOST:PORT/DB?schema=NAME`` URL.

    A file comes back as its path (a str); a PostgreSQL URL as its
    :class:`~coding.store.url.Location`, whose ``str()`` hides any password, so a message that names the
    project never shows one. A malformed URL is refused before anything connects.
    """

    name = "project"

    def __init__(self, new: bool = False):
        self.new = new
        self.file = click.Path(exists=not new, dir_okay=False)

    def convert(self, value, param, ctx):
        from ..store.url import Location, parse_location

        if isinstance(value, Location):
            return value
        if not is_url(value):
            return self.file.convert(value, param, ctx)
        try:
            location = parse_location(value)
        except QcodeError as exc:
            self.fail(str(exc), param, ctx)
        if location.is_postgresql:
            return location
        return self.file.convert(str(location.path), param, ctx)


# ------------------------------------------------------- shared decorators

def with_options(*decorators: Callable) -> Callable:
    """Apply several click decorators in the order they are written (top one outermost)."""
    def decorate(f):
        for decorator in reversed(decorators):
            f = decorator(f)
        return f
    return decorate


def project_argument(f=None, *, new: bool = False):
    """The PROJECT argument every command takes first: an existing project file (``new=True``: one to create),
    or a URL (``sqlite:///FILE``, ``postgresql://USER@HOST:PORT/DB?schema=NAME``; see :class:`ProjectType`).

    Use as ``@project_argument`` or ``@project_argument(new=True)``.
    """
    decorator = click.argument("project", type=ProjectType(new=new))
    return decorator(f) if f is not None else decorator


def format_option(f=None, *, choices: tuple[str, ...] = FORMATS, default: str = "table"):
    """``--format`` (stored as ``fmt``): table, csv or json unless other choices are given."""
    decorator = click.option("--format", "fmt", type=click.Choice(choices), default=default, show_default=True,
                             help="Output format.")
    return decorator(f) if f is not None else decorator


def coder_option(help: str = "Who codes.", *, required: bool = False):
    """``--coder NAME``."""
    return click.option("--coder", required=required, default=None, help=help)


def output_option(help: str = "File to write (default: standard output)."):
    """``-o/--output FILE``."""
    return click.option("-o", "--output", type=click.Path(dir_okay=False), help=help)


def force_option(f):
    """``--force``: overwrite an existing file."""
    return click.option("--force", is_flag=True, help="Overwrite an existing file.")(f)


# ------------------------------------------------------------------ group

class QcodeGroup(click.Group):
    """A click group that turns library errors into a clean message and exit status 1.

    The commands named in :data:`LAZY_COMMANDS` are imported only when asked for.
    """

    def list_commands(self, ctx):
        return sorted(set(self.commands) | set(LAZY_COMMANDS))

    def get_command(self, ctx, name):
        if name not in self.commands and name in LAZY_COMMANDS:
            importlib.import_module(LAZY_COMMANDS[name][0])  # registers its commands on this group
        return super().get_command(ctx, name)

    def format_commands(self, ctx, formatter):
        """Like click's, but a lazy command not yet loaded shows its line from LAZY_COMMANDS (no import)."""
        rows = []
        limit = formatter.width - 6 - max(len(name) for name in self.list_commands(ctx))
        for name in self.list_commands(ctx):
            if name in self.commands:
                cmd = self.commands[name]
                if cmd.hidden:
                    continue
                rows.append((name, cmd.get_short_help_str(limit)))
            else:
                rows.append((name, click.Command(name, help=LAZY_COMMANDS[name][1]).get_short_help_str(limit)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def invoke(self, ctx):
        # the command line's words, read before click consumes them, so an error message can hide a password
        ctx.meta["qcode.words"] = [*(getattr(ctx, "_protected_args", None) or ctx.__dict__.get("protected_args")
                                     or []), *ctx.args]
        try:
            return super().invoke(ctx)
        except QcodeError as exc:
            click.echo(f"Error: {_scrubbed(ctx, exc)}", err=True)
            ctx.exit(1)
        except BrokenPipeError:  # output piped into `head` and the like: stop quietly
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(0)
        except sqlite3.DatabaseError as exc:
            click.echo(f"Error: the project could not be read or written ({_scrubbed(ctx, exc)})", err=True)
            ctx.exit(1)
        except (OSError, UnicodeError) as exc:
            click.echo(f"Error: {_scrubbed(ctx, exc)}", err=True)
            ctx.exit(1)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:  # never a traceback for a researcher; QCODE_DEBUG=1 shows it
            if os.environ.get("QCODE_DEBUG"):
                raise
            click.echo(f"Error: unexpected {type(exc).__name__}: {_scrubbed(ctx, exc)} (please report this; "
                       "QCODE_DEBUG=1 shows the details)", err=True)
            ctx.exit(1)


def _scrubbed(ctx, exc: Exception) -> str:
    """An error's text with the password of any PostgreSQL URL on the command line replaced by ``***``."""
    from ..store.url import parse_location

    text = str(exc)
    for word in ctx.meta.get("qcode.words", []):
        if is_url(word):
            try:
                location = parse_location(word)
            except QcodeError:
                continue
            text = location.scrub(text)
    return text


_Group = QcodeGroup  # the old name


@click.group(cls=QcodeGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="qcode")
def cli():
    """qcode: code qualitative interviews with a codebook, as a team.

    \b
    A project is one SQLite file, or one schema on a PostgreSQL server: wherever
    a command takes PROJECT, give a file or postgresql://USER@HOST/DB?schema=NAME
    (no password in it: PGPASSWORD or ~/.pgpass). A typical session:
      qcode demo demo.qcode                      # a project from the demo corpus
      qcode init study.qcode --codebook codebooks/se_ips.yaml
      qcode import study.qcode interviews/*.docx --attributes interviews/attributes.csv
      qcode import study.qcode aneby_chef.txt --attr kommun=Aneby --attr roll=Chef
      qcode transcripts study.qcode
      qcode segments study.qcode aneby_chef.txt --format csv
      qcode code study.qcode --coder anna --transcript aneby_chef.txt --segment 12 --code impl_hi_ensam_position
      qcode codings export study.qcode -o codings.csv
      qcode done study.qcode --coder anna --all
    """
