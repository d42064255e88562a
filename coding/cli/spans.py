"""``qcode spans add|remove|list|rule``: codings of any span of text."""

from __future__ import annotations

import click

from .base import _emit, _open, cli, coder_option, format_option, project_argument


@cli.group()
def spans():
    """Code any stretch of a transcript's text, list such codings, set the overlap rule.

    Offsets are characters of the transcript's stored text, counted from 0, the end
    not included (`qcode spans list` shows them; `qcode segments` shows each segment's).

    \b
    Examples:
      qcode spans add study.qcode --transcript aneby_chef.txt --start 120 --end 175 --code ff_chef --coder anna
      qcode spans list study.qcode --transcript aneby_chef.txt --coder anna
      qcode spans rule study.qcode --min-overlap 0.5
    """


def _span_options(func):
    func = click.option("--code", "code", required=True, help="The code's id.")(func)
    func = click.option("--end", type=int, required=True, help="Offset after the last character.")(func)
    func = click.option("--start", type=int, required=True, help="Offset of the first character (from 0).")(func)
    func = click.option("--transcript", required=True, help="The transcript's name.")(func)
    return func


@spans.command("add")
@project_argument
@_span_options
@coder_option("The coder who codes the span.", required=True)
@click.option("--memo", default=None, help="A memo on the span.")
def spans_add(project, transcript, start, end, code, coder, memo):
    """Code characters START to END of a transcript (one undoable step).

    \b
    Example:
      qcode spans add study.qcode --transcript aneby_chef.txt --start 120 --end 175 --code ff_chef --coder anna
    """
    with _open(project) as p:
        span = p.code_span(transcript, start, end, code, coder=coder, memo=memo)
        words = span.text(p.transcript_text(transcript))
    click.echo(f"Coded {transcript} {span.start}–{span.end} with {code} ({coder}): "
               f"{' '.join(words.split())[:80]!r}")


@spans.command("remove")
@project_argument
@_span_options
@coder_option("The coder whose span it is.", required=True)
def spans_remove(project, transcript, start, end, code, coder):
    """Remove one span (one undoable step).

    \b
    Example:
      qcode spans remove study.qcode --transcript aneby_chef.txt --start 120 --end 175 --code ff_chef --coder anna
    """
    with _open(project) as p:
        removed = p.remove_span(transcript, start, end, code, coder=coder)
    click.echo(f"Removed {transcript} {start}–{end} {code} ({coder})" if removed else "No such span: nothing removed")


@spans.command("change")
@project_argument
@_span_options
@click.option("--to", "new_code", required=True, help="The code the span gets instead.")
@coder_option("The coder whose span it is.", required=True)
def spans_change(project, transcript, start, end, code, new_code, coder):
    """Give one span another code; its memo goes along (one undoable step).

    \b
    Example:
      qcode spans change study.qcode --transcript aneby_chef.txt --start 120 --end 175 \\
        --code ff_chef --to ff_natverk --coder anna
    """
    with _open(project) as p:
        span = p.change_span_code(transcript, start, end, code, new_code, coder=coder)
    click.echo(f"Changed {transcript} {span.start}–{span.end} from {code} to {span.code} ({coder})")


@spans.command("memo")
@project_argument
@_span_options
@coder_option("The coder whose span it is.", required=True)
@click.option("--text", required=True, help="The memo (empty text clears it).")
def spans_memo(project, transcript, start, end, code, coder, text):
    """Write or clear the memo of one span (one undoable step).

    \b
    Example:
      qcode spans memo study.qcode --transcript aneby_chef.txt --start 120 --end 175 \\
        --code ff_chef --coder anna --text "Gränsfall"
    """
    with _open(project) as p:
        changed = p.set_span_memo(transcript, start, end, code, text, coder=coder)
    click.echo(("Wrote" if text.strip() else "Cleared") + " the memo" if changed else "The memo is unchanged")


@spans.command("list")
@project_argument
@coder_option("Only this coder's spans.")
@click.option("--transcript", default=None, help="Only this transcript's spans.")
@format_option
def spans_list(project, coder, transcript, fmt):
    """List every coding as a span (a segment coded as a whole shows its segment's range).

    \b
    Example:
      qcode spans list demo.qcode --coder anna --transcript aneby_chef.txt --format csv
    """
    with _open(project) as p:
        texts: dict[str, str] = {}
        rows = []
        for s in p.spans(transcript, coder=coder):
            if s.transcript not in texts:
                texts[s.transcript] = p.transcript_text(s.transcript)
            rows.append({"transcript": s.transcript, "start": s.start, "end": s.end, "segment": s.segment,
                         "code": s.code, "coder": s.coder, "memo": s.memo,
                         "text": " ".join(s.text(texts[s.transcript]).split())})
    _emit(rows, ["transcript", "start", "end", "segment", "code", "coder", "memo", "text"], fmt)


@spans.command("rule")
@project_argument
@click.option("--min-overlap", type=float, default=None,
              help="Share (0–1) of a segment's non-space characters a span must cover to count for it; "
                   "0 (the default) counts any overlap.")
def spans_rule(project, min_overlap):
    """Show or set the overlap rule every statistic and export uses for spans.

    A span counts for every segment whose non-space characters it covers: at least one
    of them, and at least --min-overlap of them (0.5: half the segment).

    \b
    Examples:
      qcode spans rule demo.qcode
      qcode spans rule demo.qcode --min-overlap 0.5
    """
    with _open(project) as p:
        if min_overlap is not None:
            n = p.set_min_overlap(min_overlap)
            click.echo(f"Spans now count for a segment when they cover at least {min_overlap:g} of its "
                       f"non-space characters ({n} transcript(s) derived again)")
        else:
            share = p.min_overlap()
            click.echo("Spans count for every segment they overlap by at least one non-space character"
                       if share == 0 else
                       f"Spans count for a segment when they cover at least {share:g} of its non-space characters")
