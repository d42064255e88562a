"""Every ``qcode`` command, walked from the click group tree: it has help with an example, and it
runs once, with valid arguments, on a fresh copy of the demo project.

A new command fails :func:`test_every_command_has_an_entry_in_the_table` until it gets a line in
``INVOCATIONS`` (and an ``Example:`` in its help).
"""

from __future__ import annotations

import importlib
import inspect
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from coding.cli import LAZY_COMMANDS, cli

ROOT = Path(__file__).resolve().parent.parent

# command path -> (arguments, input typed at the prompts). {p}: a fresh copy of the demo project;
# {tmp}: a folder; {root}: the repository; {interview}: a small .txt interview; {backup}: a copy of the demo;
# {wav}: a short recording. The demo here has memo 1 (anna's) and a recording on gnosjo_chef.vtt.
CODED = "--coder anna --transcript aneby_chef.txt --segment 21 --code impl_hi_gick_for_snabbt"
INVOCATIONS: dict[str, tuple[str, str | None]] = {
    "init": ("{tmp}/new.qcode --codebook {root}/codebooks/se_ips.yaml --owner sara", None),
    "demo": ("{tmp}/other.qcode", None),
    "info": ("{p} --format json", None),
    "audit": ("{p} --coder anna --action codings.import --format csv", None),
    "import": ("{p} {interview} --attr kommun=Eksjö --attr roll=SE-coach", None),
    "transcripts": ("{p} --format csv", None),
    "segments": ("{p} aneby_chef.txt --coder anna", None),
    "search": ("{p} förankring --order rank", None),
    "attributes": ("{p} aneby_chef.txt fas=inledande", None),
    "delete-transcript": ("{p} aneby_chef.txt --coder sara", "y\n"),
    "codebook": ("--help", None),
    "codebook import": ("{p} {root}/codebooks/se_ips.yaml --replace", None),
    "codebook export": ("{p} {tmp}/book.csv", None),
    "codebook show": ("{p} --lang en --texts", None),
    "codings": ("--help", None),
    "codings import": ("{p} {root}/transcripts/codings.csv", None),
    "codings export": ("{p} -o {tmp}/codings.csv --coder anna", None),
    "codings list": ("{p} --coder anna --transcript aneby_chef.txt", None),
    "code": ("{p} --coder anna --transcript aneby_chef.txt --segment 3 --code impl_hi_ensam_position --memo x",
             None),
    "uncode": ("{p} " + CODED, None),
    "done": ("{p} --coder anna --transcript aneby_chef.txt --undo", None),
    "coders": ("--help", None),
    "coders list": ("{p} --format json", None),
    "coders add": ("{p} sara --owner --password", "hemligt\nhemligt\n"),
    "coders password": ("{p} anna", "hemligt\nhemligt\n"),
    "coders role": ("{p} erik lead", None),
    "undo": ("{p} --coder anna", None),
    "redo": ("{p} --coder anna", None),
    "memo": ("{p} --coder anna --transcript aneby_chef.txt --segment 3 Tydligt", None),
    "pseudonymise": ("{p} --key {tmp}/key.json --names Holmgren --dry-run --format csv", None),
    "blind": ("{p} on", None),
    "backup": ("{p} {tmp}/copy.qcode", None),
    "backups": ("{p} --format csv", None),
    "restore": ("{p} {backup}", "y\n"),
    "matrix": ("{p} --measure count", None),
    "report": ("{p} --columns impl.ff,impl.hi", None),
    "cooccurrence": ("{p} --scope transcript --format md", None),
    "cell": ("{p} Aneby impl_hi_gick_for_snabbt --context 1", None),
    "agreement": ("{p} --coders anna,erik --used-only", None),
    "disagreements": ("{p} --coders anna,erik --format csv", None),
    "consensus": ("{p} --agreed --coders anna,erik --by sara", None),
    "quotes": ("{p} --code impl_hi_ensam_position --by kommun -o {tmp}/citat.docx", None),
    "memos": ("--help", None),
    "memos list": ("{p} --search forankring --kind project --format csv", None),
    "memos add": ("{p} --coder anna --text Tydligt --transcript aneby_chef.txt", None),
    "memos edit": ("{p} 1 --coder anna --text Ändrat", None),
    "memos delete": ("{p} 1 --coder anna", None),
    "memos export": ("{p} -o {tmp}/memon.docx --lang en", None),
    "media": ("--help", None),
    "media add": ("{p} aneby_chef.txt {wav}", None),
    "media list": ("{p} --format json", None),
    "media remove": ("{p} gnosjo_chef.vtt", None),
    "qdpx": ("--help", None),
    "qdpx export": ("{p} {tmp}/demo.qdpx --lang en", None),
    "qdpx import": ("{tmp}/from_qdpx.qcode {root}/tests/data/refi/qualcoder_style.qdpx --coder-map lena=lena_k", None),
    "suggest": ("--help", None),
    "suggest evaluate": ("{p} --folds 2 --from anna --format json", None),
    "suggest run": ("{p} --coder anna --transcript aneby_chef.txt --min-score 0.7", None),
    "suggest train": ("{p} --from codebook", None),
    "suggest models": ("{p} --format json", None),
    "suggest list": ("{p} --coder anna --order uncertain --format csv", None),
    "suggest accept": ("{p} --coder anna --transcript aneby_chef.txt --min-score 0.1", None),
    "suggest reject": ("{p} --coder anna --transcript aneby_chef.txt", None),
    "spans": ("--help", None),
    "spans add": ("{p} --transcript aneby_chef.txt --start 109 --end 142 --code impl_hi_ensam_position "
                  "--coder anna --memo Gränsfall", None),
    "spans memo": ("{p} --transcript aneby_chef.txt --start 1437 --end 1555 --code impl_hi_gick_for_snabbt "
                   "--coder anna --text Gränsfall", None),
    "spans change": ("{p} --transcript aneby_chef.txt --start 1437 --end 1555 --code impl_hi_gick_for_snabbt "
                     "--to impl_hi_lang_startstracka --coder anna", None),
    "spans remove": ("{p} --transcript aneby_chef.txt --start 1437 --end 1555 --code impl_hi_gick_for_snabbt "
                     "--coder anna", None),
    "spans list": ("{p} --transcript aneby_chef.txt --coder anna --format csv", None),
    "spans rule": ("{p} --min-overlap 0.5", None),
    "copy": ("{p} sqlite:///{tmp}/copied.qcode", None),
}


def walk(group: click.Group, ctx: click.Context, prefix: str = ""):
    """(path, command) for every command and group below ``group``, lazy ones included."""
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        path = f"{prefix}{name}"
        yield path, command
        if isinstance(command, click.Group):
            yield from walk(command, click.Context(command, parent=ctx, info_name=name), path + " ")


COMMANDS = dict(walk(cli, click.Context(cli, info_name="qcode")))


def test_every_command_has_an_entry_in_the_table():
    assert set(COMMANDS) == set(INVOCATIONS), "add the new command to INVOCATIONS (or remove a stale entry)"


@pytest.mark.parametrize("path", sorted(COMMANDS))
def test_help_has_an_example(path):
    lines = inspect.cleandoc(COMMANDS[path].help or "").splitlines()
    heading = [i for i, line in enumerate(lines) if line.strip() in ("Example:", "Examples:")]
    assert heading, f"qcode {path}: add an Example: to its help"
    assert any(line.strip().startswith(f"qcode {path} ") for line in lines[heading[0] + 1:]), \
        f"qcode {path}: the example should show `qcode {path} …`"


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    from coding import Project

    from conftest import write_wav

    folder = tmp_path_factory.mktemp("walk")
    path = folder / "demo.qcode"
    with Project.demo(path) as demo:
        demo.add_memo("Förankring i ledningen avgör", coder="anna")
        demo.attach_media("gnosjo_chef.vtt", write_wav(folder / "gnosjo_chef.wav"))
        demo.suggest_run("anna", ["aneby_chef.txt"], min_score=0.1)  # codebook proposals for suggest accept|reject
    return path


@pytest.mark.parametrize("path", sorted(INVOCATIONS))
def test_command_runs_once_with_valid_arguments(path, demo_file, tmp_path):
    args, typed = INVOCATIONS[path]
    project = tmp_path / "demo.qcode"
    shutil.copyfile(demo_file, project)
    interview = tmp_path / "eksjo_ny.txt"
    interview.write_text("Intervjuare: Hur började ni?\nSE-coach: Med stöd från förbundet. Det var bra.\n",
                         encoding="utf-8")
    backup = tmp_path / "backup.qcode"
    shutil.copyfile(demo_file, backup)
    from conftest import write_wav

    wav = write_wav(tmp_path / "aneby_chef.wav")
    argv = path.split() + [a.format(p=project, tmp=tmp_path, root=ROOT, interview=interview, backup=backup, wav=wav)
                           for a in args.split()]
    result = CliRunner().invoke(cli, argv, input=typed, catch_exceptions=False)
    assert result.exit_code == 0, f"qcode {' '.join(argv)}\n{result.output}"
    assert result.output.strip(), f"qcode {path} printed nothing"


def test_the_lazy_table_matches_the_commands_of_the_lazy_modules():
    """``qcode --help`` shows lazy commands from LAZY_COMMANDS: it must list exactly what those modules define."""
    modules = {module for module, _ in LAZY_COMMANDS.values()}
    for module in modules:
        importlib.import_module(module)
    defined = {name for name, cmd in cli.commands.items() if cmd.callback.__module__ in modules}
    assert defined == set(LAZY_COMMANDS), "update LAZY_COMMANDS in coding/cli/base.py"
    for name, (module, line) in LAZY_COMMANDS.items():
        assert cli.commands[name].callback.__module__ == module, name
        first = inspect.cleandoc(cli.commands[name].help).split("\n\n", 1)[0].replace("\n", " ")
        assert line == first, f"LAZY_COMMANDS[{name!r}] must repeat the first paragraph of its help"


def test_top_level_help_lists_every_command():
    out = CliRunner().invoke(cli, ["--help"]).output
    listed = {line.split()[0] for line in out.split("Commands:", 1)[1].splitlines() if line.strip()}
    assert listed == {path for path in COMMANDS if " " not in path}
