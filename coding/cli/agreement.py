"""``qcode agreement``, ``qcode disagreements`` and ``qcode consensus`` (registered on the main group)."""

from __future__ import annotations

import json
import math

import click

from .. import agreement_statistics as registry
from .base import _emit, _open, cli, format_option, project_argument
from ..errors import QcodeError
from ..specs import AGREEMENT_UNITS, CODE_LEVELS, AgreementSpec

AGREEMENT_COLUMNS = ["scope", "code", "statistic", "value", "units"]


def _clean(value):
    """NaN -> None (JSON null / an empty CSV cell); numpy numbers -> Python numbers."""
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _shown(value, fmt: str):
    value = _clean(value)
    if fmt == "table" and isinstance(value, float):
        return f"{value:.3f}"
    if fmt == "table" and value is None:
        return "n/a"
    return value


def _statistic_help() -> str:
    """The --statistic help, from the registry of statistics."""
    parts = [f"{s.name} = {s.label}" + (" (2 coders)" if s.two_coders_only else "") for s in registry.statistics()]
    return "; ".join(parts) + f"; or {registry.ALL}."


def agreement_spec(coders, statistic="alpha", by="code", level="code", unit="segment", case_attribute=None,
                   ci=False, boot=1000, seed=0) -> AgreementSpec:
    """The spec of ``qcode agreement``'s options (the app builds the same spec from its widgets)."""
    return AgreementSpec(coders=coders, statistics=statistic, by=by, level=level, unit=unit,
                         case_attribute=case_attribute, ci=ci, n_boot=boot, seed=seed)


@cli.command("agreement")
@project_argument
@click.option("--coders", required=True, metavar="A,B[,C…]", help="Two or more coders, comma-separated.")
@click.option("--statistic", type=click.Choice((*registry.statistic_names(), registry.ALL)), default="alpha",
              show_default=True, help=_statistic_help())
@click.option("--by", default="code", show_default=True, metavar="code|transcript|ATTRIBUTE",
              help="code: per code over the whole project; transcript: per transcript; an attribute "
                   "(e.g. kommun): per value of it.")
@click.option("--level", type=click.Choice(CODE_LEVELS), default="code", show_default=True,
              help="code: each code; category: every code with children, present if it or any code "
                   "below it is applied.")
@click.option("--unit", type=click.Choice(AGREEMENT_UNITS), default="segment", show_default=True,
              help="segment: agreement on segments; case: on case x code presence (did both coders "
                   "find the code in the case's interviews?).")
@click.option("--case-attribute", default=None, metavar="NAME",
              help="The attribute whose values are the cases (default kommun, else municipality).")
@click.option("--ci", is_flag=True, help="Add a bootstrap 95% confidence interval for alpha.")
@click.option("--boot", type=click.IntRange(1), default=1000, show_default=True, help="Bootstrap replicates.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the bootstrap.")
@click.option("--details", is_flag=True, help="Also show coded, codes and the code labels.")
@click.option("--used-only", is_flag=True,
              help="Leave out codes that no coder applied to a unit of the scope (coded = 0).")
@click.option("--unitizing", is_flag=True,
              help="Krippendorff's unitizing alphas of the coded spans instead: per code alpha_u (αu), bar_u "
                   "(|uα: coded vs uncoded text) and cu ((k)uα: the codes of text both coded); the (pooled) row "
                   "has αu, |uα and c|uα over all codes.")
@format_option
@click.pass_context
def agreement_cmd(ctx, project, coders, statistic, by, level, unit, case_attribute, ci, boot, seed, details,
                  used_only, unitizing, fmt):
    """Inter-coder agreement per code, pooled over codes and the mean over codes.

    Only transcripts a coder has marked done count for that coder; on other
    transcripts the coder's values are missing, not absent. Every row has n:
    `units` is the number of units (segments, or cases with --unit case)
    coded by at least two of the coders; `coded` (--details) is how many of
    them some coder applied the code to. The (pooled) and (mean) rows use
    the codes with coded > 0 (--used-only shows only those).

    \b
    Examples:
      qcode agreement demo.qcode --coders anna,erik --used-only
      qcode agreement demo.qcode --coders anna,erik --statistic all --level category
      qcode agreement demo.qcode --coders anna,erik --by kommun --format csv
      qcode agreement demo.qcode --coders anna,erik --unit case --ci --seed 1
      qcode agreement demo.qcode --coders anna,erik --unitizing --format csv
    """
    if unitizing:
        _unitizing(ctx, project, coders, details, fmt)
        return
    from .. import agreement_design as ad

    spec = agreement_spec(coders, statistic, by, level, unit, case_attribute, ci, boot, seed)
    with _open(project) as p:
        names = list(spec.validated(p.store).coders)
        finished = {name for t in p.transcripts() for name in t["done_by"]}
        for name in names:
            if name not in finished:
                click.echo(f"Note: {name} has marked no transcript as done, so has no values; only finished "
                           f"transcripts count (qcode done {project} --coder {name} --transcript …).", err=True)
        if statistic == registry.ALL:
            for left_out in (s for s in registry.statistics() if s.name not in spec.statistics):
                click.echo(f"Note: {left_out.label} is left out: it is defined for 2 coders, not {len(names)}.",
                           err=True)
        table = p.agreement(spec)
    if used_only:
        table = table[(table.coded > 0) | table.code.isin([ad.POOLED, ad.MEAN])]
    columns = list(AGREEMENT_COLUMNS)
    if details:
        columns += ["coded", "codes", "label_sv"]
    if ci:
        columns += ["ci_low", "ci_high"]
    rows = [{c: _shown(r[c], fmt) for c in columns} for r in table.to_dict("records")]
    _emit(rows, columns, fmt)


def _unitizing(ctx, project, coders, details, fmt):
    """``qcode agreement --unitizing``: the table of :func:`coding.unitizing_agreement.unitizing_table`."""
    from click.core import ParameterSource

    from ..unitizing_agreement import unitizing_agreement, unitizing_table

    segment_only = ("statistic", "by", "level", "unit", "case_attribute", "ci", "boot", "seed", "used_only")
    given = [n for n in segment_only if ctx.get_parameter_source(n) == ParameterSource.COMMANDLINE]
    if given:
        raise click.UsageError(f"{', '.join('--' + n.replace('_', '-') for n in given)} "
                               f"{'does' if len(given) == 1 else 'do'} not apply with --unitizing")
    with _open(project) as p:
        result = unitizing_agreement(p, coders)
        rows = unitizing_table(p, result)
    click.echo(f"Note: {result.continua} transcript(s) finished by two or more of the coders count; "
               f"cu is c|uα on the (pooled) row and (k)uα on a code's row.", err=True)
    columns = ["code", "alpha_u", "bar_u", "cu", "units"]
    if details:
        columns += ["label_sv", "reason"]
    _emit([{c: _shown(r[c], fmt) for c in columns} for r in rows], columns, fmt)


@cli.command("disagreements")
@project_argument
@click.option("--coders", required=True, metavar="A,B[,C…]", help="Two or more coders, comma-separated.")
@click.option("--transcript", default=None, help="Only this transcript.")
@click.option("--lang", "language", type=click.Choice(("sv", "en")), default="sv", show_default=True,
              help="Language of the code labels.")
@format_option
def disagreements_cmd(project, coders, transcript, language, fmt):
    """List every segment where the coders' codes differ, in context, for the consensus discussion.

    Only transcripts every coder has marked done are compared. JSON gives
    each segment with its neighbours, every coder's codes and the labels,
    definitions and include/exclude rules of the codes involved; table and
    CSV give one row per segment.

    \b
    Examples:
      qcode disagreements demo.qcode --coders anna,erik
      qcode disagreements demo.qcode --coders anna,erik --transcript aneby_chef.txt --format json
    """
    from ..specs import check_coders

    with _open(project) as p:
        names = check_coders(p.store, coders)
        found = p.disagreements(names, transcript=transcript)
    if fmt == "json":
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    label = "label_en" if language == "en" else "label_sv"
    rows = []
    for d in found:
        row = {"transcript": d["transcript"], "segment": d["segment"], "speaker": d["speaker"]}
        for c in names:
            row[c] = ",".join(d["codes"][c])
        row["consensus"] = "" if d["consensus"] is None else (",".join(d["consensus"]) or "(no code)")
        row["text"] = d["text"]
        row["before"], row["after"] = d["before"], d["after"]
        row["codes_involved"] = "; ".join(f"{i['id']}: {i[label]}" for i in d["involved"])
        definition = f"definition_{language}"
        row["definitions"] = "; ".join(f"{i['id']}: {i[definition]}" for i in d["involved"] if i[definition])
        rows.append(row)
    columns = ["transcript", "segment", "speaker", *names, "consensus", "text"]
    if fmt == "csv":
        columns += ["before", "after", "codes_involved", "definitions"]
    _emit(rows, columns, fmt)
    if fmt == "table":
        click.echo(f"{len(rows)} segment(s) where {', '.join(names)} differ", err=True)


@cli.command("consensus")
@project_argument
@click.option("--from-csv", "csv_file", type=click.Path(dir_okay=False),
              help="Decisions as CSV: transcript,segment,code (several rows for several codes; "
                   "an empty code = no code).")
@click.option("--agreed", is_flag=True, help="Copy every segment on which all --coders agree.")
@click.option("--accept", "accept_coder", default=None, metavar="CODER",
              help="Take this coder's codes on --transcript/--segment.")
@click.option("--list", "list_", is_flag=True, help="List the decisions recorded so far.")
@click.option("--coders", default=None, metavar="A,B[,C…]", help="With --agreed: the coders.")
@click.option("--transcript", default=None, help="With --accept: the transcript (with --agreed: only this one).")
@click.option("--segment", type=int, default=None, help="With --accept: the segment number (1-based).")
@click.option("--overwrite", is_flag=True, help="With --agreed: also replace segments already decided.")
@click.option("--by", "decided_by", default=None, metavar="NAME", help="Who decides (recorded with the time).")
@format_option
def consensus_cmd(project, csv_file, agreed, accept_coder, list_, coders, transcript, segment, overwrite,
                  decided_by, fmt):
    """Record the team's consensus coding (the coder `consensus`).

    \b
    Examples:
      qcode consensus demo.qcode --agreed --coders anna,erik --by sara
      qcode consensus demo.qcode --from-csv beslut.csv --by sara
      qcode consensus demo.qcode --accept erik --transcript aneby_chef.txt --segment 14 --by sara
      qcode consensus demo.qcode --list
    """
    modes = [m for m, on in (("--from-csv", csv_file), ("--agreed", agreed), ("--accept", accept_coder),
                             ("--list", list_)) if on]
    if len(modes) != 1:
        raise click.UsageError("give exactly one of --from-csv FILE, --agreed, --accept CODER or --list")
    if not list_ and not (decided_by or "").strip():
        raise click.UsageError("say who decides with --by NAME")
    with _open(project) as p:
        if list_:
            rows = [{**r, "codes": ",".join(r["codes"]) or "(no code)", "before": ",".join(r["before"])}
                    for r in p.decisions(transcript=transcript)]
            _emit(rows, ["decided_at", "decided_by", "transcript", "segment", "codes", "before", "how"], fmt)
            return
        if csv_file:
            result = p.import_consensus(csv_file, decided_by=decided_by)
            click.echo(f"Recorded {result['segments']} decision(s) ({result['codings']} code(s)) "
                       f"from {result['rows']} row(s) of {csv_file}")
        elif agreed:
            if not coders:
                raise click.UsageError("--agreed needs --coders A,B")
            result = p.consensus_from_agreement(coders, decided_by=decided_by,
                                                transcripts=[transcript] if transcript else None,
                                                overwrite=overwrite)
            click.echo(f"Consensus from agreement in {result['transcripts']} transcript(s): "
                       f"{result['agreed']} of {result['segments']} segment(s) agreed, {result['written']} with "
                       f"codes ({result['codings']} coding(s) added), {result['skipped']} already decided left "
                       f"alone; {result['disagreements']} disagreement(s) to decide")
        else:
            if not transcript or segment is None:
                raise click.UsageError("--accept needs --transcript NAME and --segment N")
            sid = {s.position: s.id for s in p.segments(transcript)}.get(segment)
            if sid is None:
                raise QcodeError(f"transcript {transcript!r} has no segment {segment}")
            result = p.accept(sid, accept_coder, decided_by=decided_by)
            click.echo(f"Consensus on {transcript} #{segment}: {', '.join(result['codes']) or '(no code)'} "
                       f"(from {accept_coder}, decided by {decided_by})")
