"""``qcode quotes``: every coded passage for some codes, grouped, as Word, Markdown or CSV (registered on the main
group; loaded only when it runs, see ``LAZY_COMMANDS``)."""

from __future__ import annotations

from pathlib import Path

import click

from .. import quotes_export
from ..errors import QcodeError
from ..quotes import MAX_CONTEXT, QuoteSpec
from ..specs import LANGUAGES
from .base import _open, cli, force_option, project_argument


def _format_help() -> str:
    return "Output format (default: from the -o suffix, else md): " + "; ".join(
        f"{f.name} = {f.description}" for f in quotes_export.quote_formats()) + "."


@cli.command()
@project_argument
@click.option("--code", "codes", multiple=True, required=True, metavar="ID",
              help="A code or category id (repeatable or A,B); one section each, in this order.")
@click.option("--by", default=None, metavar="ATTR",
              help="Group by this attribute, or 'transcript' or 'speaker' (default: kommun/municipality).")
@click.option("--coder", multiple=True, help="Only these coders' codings (repeatable or A,B; 'consensus' for the "
                                            "consensus coding). Default: every coder except consensus.")
@click.option("--context", type=click.IntRange(0, MAX_CONTEXT), default=1, show_default=True,
              help="Segments of context before and after each quote.")
@click.option("--no-children", is_flag=True, help="A category's own codings only, not its subcodes'.")
@click.option("--where", multiple=True, metavar="ATTR=VALUE", help="Only transcripts with this attribute value "
                                                                   "(repeatable).")
@click.option("--lang", "language", type=click.Choice(LANGUAGES), default="sv", show_default=True,
              help="Language of the code labels and headings.")
@click.option("--format", "fmt", type=click.Choice(tuple(quotes_export.QUOTE_FORMATS)), default=None,
              help=_format_help())
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="File to write (.docx, .md, .csv); default: Markdown on standard output.")
@force_option
def quotes(project, codes, by, coder, context, no_children, where, language, fmt, output, force):
    """All quotes for one or more codes, grouped by municipality (or any attribute), ready for the report.

    Every coded passage appears once per code with its speaker, transcript and segment number, the
    segments around it (context), the coders who coded it and their memos. An existing file is not
    overwritten unless --force is given.

    \b
    Examples:
      qcode quotes demo.qcode --code impl_hi_ensam_position --by kommun -o citat.docx
      qcode quotes demo.qcode --code impl.hi --coder consensus --context 0 -o hinder.csv
      qcode quotes demo.qcode --code impl_ff_stod_se_natverk --by roll --lang en
    """
    fmt = quotes_export.format_for(output, fmt)
    writer = quotes_export.get_quote_format(fmt)
    if writer.binary and not output:
        raise click.UsageError(f"--format {fmt} needs -o FILE")
    if output and Path(output).exists() and not force:
        raise QcodeError("the file exists already; choose another name or overwrite it with --force", path=output)
    spec = QuoteSpec(codes=codes, by=by, coders=coder, context=context, include_children=not no_children,
                     where=list(where), language=language)
    with _open(project) as p:
        report = p.quotes(spec)
    data = quotes_export.render_quotes(report, fmt)
    groups = {g.label for s in report.sections for g in s.groups}
    summary = (f"{report.n_quotes} quote(s) of {len(report.sections)} code(s) in {len(groups)} group(s) "
               f"by {report.by}")
    if output:
        Path(output).write_bytes(data)
        click.echo(f"Wrote {output}: {summary}", err=True)
    else:
        click.echo(data.decode("utf-8"), nl=False)
        click.echo(summary, err=True)
