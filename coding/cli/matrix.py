"""``qcode matrix``, ``qcode report``, ``qcode cooccurrence`` and ``qcode cell`` (registered on the main group)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .. import exports
from .base import _emit, _open, cli, project_argument
from ..errors import QcodeError
from ..specs import LANGUAGES, MEASURES, MatrixSpec


def _coders(coder: tuple[str, ...]) -> list[str] | None:
    out = [c.strip() for value in coder for c in value.split(",") if c.strip()]
    return out or None


def _level(value: str):
    return int(value) if value.isdigit() else value


def matrix_spec(measure="count", rows=None, coder=(), level="code", where=(), under=(), language="sv",
                margins=False) -> MatrixSpec:
    """The spec of ``qcode matrix``'s options (the app builds the same spec from its widgets)."""
    return MatrixSpec(rows=rows, measure=measure, coders=_coders(coder), level=level, where=list(where),
                      under=list(under), language=language, margins=margins)


def _format_help() -> str:
    return "Output format (default: from the -o suffix, else csv): " + "; ".join(
        f"{e.name} = {e.description}" for e in exports.exporters()) + "."


def _write_text(text: str, output: str | None) -> None:
    if output:
        Path(output).write_text(text, encoding="utf-8")
        click.echo(f"Wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


matrix_options = [
    click.option("--rows", default=None, help="Attribute for the rows (default: kommun/municipality), or "
                                              "'transcript' or 'speaker'."),
    click.option("--coder", multiple=True, help="Only these coders' codings (repeatable or A,B; 'consensus' "
                                                "for the consensus coding). Default: every coder except "
                                                "consensus."),
    click.option("--level", default="code", show_default=True,
                 help="Columns: code, category (roll leaves up to their parent) or a depth (0 = top level)."),
    click.option("--where", multiple=True, metavar="ATTR=VALUE", help="Only transcripts with this attribute "
                                                                     "value (repeatable)."),
    click.option("--under", multiple=True, metavar="CATEGORY", help="Only codes under this category "
                                                                    "(repeatable)."),
    click.option("--lang", "language", type=click.Choice(LANGUAGES), default="sv", show_default=True,
                 help="Language of the code labels, headings and numbers."),
]


def _with_options(options):
    def decorate(f):
        for option in reversed(options):
            f = option(f)
        return f
    return decorate


@cli.command()
@project_argument
@click.option("--measure", type=click.Choice(MEASURES), default="count", show_default=True)
@_with_options(matrix_options)
@click.option("--margins", is_flag=True, help="Add a Total row and column.")
@click.option("--format", "fmt", type=click.Choice(tuple(exports.EXPORTERS)), default=None, help=_format_help())
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="File to write (default: standard output).")
def matrix(project, measure, rows, coder, level, where, under, language, margins, fmt, output):
    """A rows × codes matrix: coded segments, presence, interviews or share of interviews.

    CSV has the row label first, then one column per code id. XLSX holds one
    sheet per measure plus the coded segments; PNG/SVG is a heat map. Word,
    Markdown, XLSX and the heat map are for reading: code labels, headings and
    numbers in --lang (a decimal comma in sv), one table or panel per category.

    \b
    Examples:
      qcode matrix demo.qcode --measure presence --under impl --format md
      qcode matrix demo.qcode --rows roll --coder anna --level category -o roles.xlsx
      qcode matrix demo.qcode --measure share --where roll=SE-coach -o heatmap.png
    """
    fmt = exports.format_for(output, fmt, "csv")
    exporter = exports.get_exporter(fmt)
    if exporter.binary and not output:
        raise click.UsageError(f"--format {fmt} needs -o FILE")
    spec = matrix_spec(measure, rows, coder, level, where, under, language, margins)
    with _open(project) as p:
        data = p.export_matrix(spec, fmt)
    if exporter.binary:
        Path(output).write_bytes(data)
        click.echo(f"Wrote {output}", err=True)
    else:
        _write_text(data.decode("utf-8"), output)


@cli.command()
@project_argument
@click.option("--columns", required=True, metavar="CATEGORY,...",
              help="Categories for the columns, e.g. impl.ff,impl.hi or prak.ff,prak.hi,prak.on.")
@click.option("--rows", default=None, help="Attribute for the rows (default: kommun/municipality).")
@click.option("--coder", multiple=True, help="Only these coders (or 'consensus'). Default: every coder except "
                                            "consensus.")
@click.option("--where", multiple=True, metavar="ATTR=VALUE", help="Only transcripts with this value.")
@click.option("--lang", "language", type=click.Choice(LANGUAGES), default="sv", show_default=True)
@click.option("--title", default=None, help="A heading above the table (docx).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="FILE.docx or FILE.md (default: Markdown "
                                                                      "on standard output).")
def report(project, columns, rows, coder, where, language, title, output):
    """The report table: per municipality, the factors present in each chosen category (the layout of the
    municipality tables of the Jönköping SE evaluation, Gustafsson 2014).

    \b
    Examples:
      qcode report demo.qcode --columns impl.ff,impl.hi -o inledande_fas.docx
      qcode report demo.qcode --columns prak.ff,prak.hi,prak.on --coder consensus -o praktik.md
    """

    cols = [c.strip() for c in columns.split(",") if c.strip()]
    with _open(project) as p:
        table = p.report_table(cols, rows=rows, coders=_coders(coder), where=list(where),
                                        language=language)
    if output and output.lower().endswith(".docx"):
        exports.report_docx(table, output, title=title)
        click.echo(f"Wrote {output}", err=True)
    elif output is None or output.lower().endswith(".md"):
        _write_text(exports.report_markdown(table), output)
    else:
        raise QcodeError("the report is written as .docx or .md", path=output)


@cli.command()
@project_argument
@click.option("--scope", type=click.Choice(("segment", "transcript")), default="segment", show_default=True,
              help="Count segments or transcripts where both codes occur.")
@click.option("--coder", multiple=True, help="Only these coders. Default: every coder except consensus.")
@click.option("--level", default="code", show_default=True, help="code, category or a depth.")
@click.option("--where", multiple=True, metavar="ATTR=VALUE")
@click.option("--under", multiple=True, metavar="CATEGORY")
@click.option("--format", "fmt", type=click.Choice(("csv", "json", "md")), default="csv", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False))
def cooccurrence(project, scope, coder, level, where, under, fmt, output):
    """Code × code co-occurrence within the same segment or the same transcript.

    \b
    Example:
      qcode cooccurrence demo.qcode --scope transcript --under impl.hi --format md
    """

    with _open(project) as p:
        table = p.cooccurrence(scope=scope, coders=_coders(coder), level=_level(level),
                                        where=list(where), under=list(under) or None)
    if fmt == "json":
        import json

        records = [{"code": str(r), **{str(c): int(v) for c, v in vals.items()}} for r, vals in table.iterrows()]
        _write_text(json.dumps(records, ensure_ascii=False, indent=2) + "\n", output)
    elif fmt == "md":
        _write_text(exports.markdown_table(["code", *table.columns],
                                           ([r, *map(str, vals)] for r, vals in table.iterrows())), output)
    else:
        _write_text(table.to_csv(index_label="code", lineterminator="\n"), output)


@cli.command()
@project_argument
@click.argument("row")
@click.argument("column")
@click.option("--rows", default=None, help="Attribute for the rows (default: kommun/municipality).")
@click.option("--coder", multiple=True)
@click.option("--level", default="code", show_default=True)
@click.option("--where", multiple=True, metavar="ATTR=VALUE")
@click.option("--context", type=int, default=1, show_default=True, help="Segments of context before and after.")
@click.option("--format", "fmt", type=click.Choice(("table", "csv", "json")), default="table", show_default=True)
def cell(project, row, column, rows, coder, level, where, context, fmt):
    """Drill down: the coded segments behind one matrix cell, with context.

    \b
    Example:
      qcode cell demo.qcode Aneby impl_hi_ensam_position --context 2
    """

    with _open(project) as p:
        segs = p.cell_segments(row, column, rows=rows, coders=_coders(coder),
                                        level=_level(level), where=list(where), context=context)
    if fmt == "json":
        import json

        click.echo(json.dumps(segs, ensure_ascii=False, indent=2))
        return
    out = [{"transcript": s["transcript"], "segment": s["position"], "speaker": s["speaker"],
            "codes": ",".join(s["codes"]), "coders": ",".join(s["coders"]),
            "before": " ".join(b["text"] for b in s["before"]), "text": s["text"],
            "after": " ".join(a["text"] for a in s["after"])} for s in segs]
    _emit(out, ["transcript", "segment", "speaker", "codes", "coders", "before", "text", "after"], fmt)
    if fmt == "table":
        click.echo(f"{len(segs)} segment(s)", err=True)
    sys.stdout.flush()
