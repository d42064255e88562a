"""``qcode suggest evaluate|train|models|run|list|accept|reject``: code suggestions, measured, stored, proposed;
only a coder's accept makes a coding."""

from __future__ import annotations

import json

import click

from .base import _emit, _open, cli, format_option, project_argument

_SOURCE_HELP = "Whose coding teaches: 'all' (every done coder pooled), 'consensus', or a coder's name."


@cli.group()
def suggest():
    """Code suggestions learned from the team's coding: evaluate, train a model, write proposals, accept or
    reject them. Nothing becomes a coding without the coder's accept.

    \b
    Examples:
      qcode suggest evaluate demo.qcode --folds 5
      qcode suggest train demo.qcode --from anna
      qcode suggest run demo.qcode --coder anna --transcript aneby_chef.txt
      qcode suggest list demo.qcode --coder anna --format json
    """


@suggest.command("evaluate")
@project_argument
@click.option("--from", "source", default="all", show_default=True, help=_SOURCE_HELP)
@click.option("--folds", type=int, default=5, show_default=True,
              help="Cross-validation folds, grouped by transcript (a transcript is never in both parts).")
@click.option("--threshold", type=float, default=0.5, show_default=True,
              help="The probability from which the model applies a code.")
@format_option(choices=("table", "json"))
def suggest_evaluate(project, source, folds, threshold, fmt):
    """How good the suggestions are: precision, recall and F1 per code and micro/macro on held-out
    transcripts, next to a keyword baseline and a prior baseline; a learning curve; and Krippendorff's
    alpha between the model and each coder next to the coders' own alpha. Reads only finished
    transcripts; writes nothing.

    \b
    Examples:
      qcode suggest evaluate demo.qcode
      qcode suggest evaluate demo.qcode --from anna --folds 4 --threshold 0.4 --format json
    """
    with _open(project) as p:
        result = p.suggest_evaluate(source, folds=folds, threshold=threshold)
    if fmt == "json":
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    click.echo(f"Source {result['source']}: {result['segments']} segments in {result['transcripts']} finished "
               f"transcripts, {len(result['codes'])} codes with at least {result['min_examples']} examples, "
               f"{len(result['folds'])} folds, threshold {result['threshold']}")
    rows = [{"method": name, "micro_p": round(result[name]["micro"]["precision"], 3),
             "micro_r": round(result[name]["micro"]["recall"], 3), "micro_f1": round(result[name]["micro"]["f1"], 3),
             "macro_f1": round(result[name]["macro"]["f1"], 3)} for name in ("model", "keyword", "prior")]
    _emit(rows, ["method", "micro_p", "micro_r", "micro_f1", "macro_f1"], "table")
    click.echo("")
    _emit(result["learning_curve"] and [{"training_segments": r["segments"], "micro_f1": round(r["f1"], 3)}
                                        for r in result["learning_curve"]],
          ["training_segments", "micro_f1"], "table")
    click.echo("")
    alpha = result["alpha"]
    rows = [{"pair": f"model vs {c}", "alpha": _round(a)} for c, a in alpha["model_vs"].items()]
    rows.append({"pair": "human vs human", "alpha": _round(alpha["human_human"])})
    _emit(rows, ["pair", "alpha"], "table")
    click.echo("")
    per = result["model"]["per_code"]
    _emit([{"code": c, **{k: round(v, 3) if isinstance(v, float) else v for k, v in per[c].items()}}
           for c in result["codes"]], ["code", "precision", "recall", "f1", "support", "predicted"], "table")
    click.echo(f"\nTraining on all {result['segments']} segments took {result['train_seconds']} s")


def _round(value):
    return None if value is None or value != value else round(value, 3)


@suggest.command("train")
@project_argument
@click.option("--from", "source", default="all", show_default=True,
              help=_SOURCE_HELP + " Or 'codebook': the codes' own texts (the cold start).")
@click.option("--min-examples", type=int, default=None,
              help="Codes with fewer coded segments are not learned nor proposed (default 5).")
@click.option("--max-features", type=int, default=None,
              help="Terms kept per TF-IDF vocabulary; caps the stored model's size (default 30000).")
def suggest_train(project, source, min_examples, max_features):
    """Train a suggester and keep it in the project with what it learned from, how much and when, so that
    every proposal can be traced to it. Only finished transcripts teach; a code with fewer than 5 coded
    segments is not learned. With nothing finished yet, the codebook model is stored instead. Writes no
    coding.

    \b
    Examples:
      qcode suggest train demo.qcode --from anna
      qcode suggest train demo.qcode --from consensus
      qcode suggest train demo.qcode --from codebook
    """
    options = {k: v for k, v in (("min_examples", min_examples), ("max_features", max_features)) if v is not None}
    with _open(project) as p:
        info = p.suggest_train(source, **options)
    learned = "the codebook's texts" if info.kind == "codebook" else \
        f"{info.n_segments} segments of {', '.join(info.coders)}"
    click.echo(f"Stored model {info.id} ({info.kind}): learned from {learned}; proposes {info.n_codes} codes; "
               f"{info.size / 2**20:.1f} MB")


@suggest.command("run")
@project_argument
@click.option("--coder", required=True, help="Whose proposals to write.")
@click.option("--transcript", "transcripts", multiple=True,
              help="A transcript (repeatable). Default: every transcript the coder has not marked done.")
@click.option("--min-score", type=float, default=None,
              help="The lowest score proposed (default 0.5 for a learned model, 0.2 for the codebook model).")
@click.option("--model", "model_id", type=int, default=None,
              help="The model's id (`qcode suggest models`); default: the newest one allowed for the coder.")
def suggest_run(project, coder, transcripts, min_score, model_id):
    """Write proposals (NOT codings) for a coder's segments from a stored model: never a code the coder has
    applied there, never again one the coder rejected from the same model. With blind coding on, only a
    model trained on the codebook or on the coder's own codings may propose. A proposal becomes a coding
    only when the coder accepts it (`qcode suggest accept`, or the coding page).

    \b
    Examples:
      qcode suggest run demo.qcode --coder anna --transcript aneby_chef.txt
      qcode suggest run demo.qcode --coder erik --min-score 0.7
    """
    with _open(project) as p:
        summary = p.suggest_run(coder, list(transcripts) or None, min_score=min_score, model_id=model_id)
    replaced = f"; {summary['replaced']} open proposals of older models replaced" if summary["replaced"] else ""
    click.echo(f"Wrote {summary['proposed']} proposals, not codings, for {coder} in {summary['transcripts']} "
               f"transcripts from model {summary['model']} ({summary['kind']}){replaced}. "
               f"See them: qcode suggest list {project} --coder {coder}")


@suggest.command("models")
@project_argument
@format_option(choices=("table", "csv", "json"))
def suggest_models(project, fmt):
    """The stored suggestion models, newest first: what each learned from, how much, when, by which qcode.

    \b
    Example:
      qcode suggest models demo.qcode --format json
    """
    with _open(project) as p:
        rows = [{**vars(m), "coders": ",".join(m.coders), "params": json.dumps(m.params)}
                for m in p.suggest_models()]
    _emit(rows, ["id", "kind", "trained_from", "coders", "n_segments", "n_codes", "created_at", "created_by",
                 "qcode_version", "size", "params"], fmt)


@suggest.command("list")
@project_argument
@click.option("--coder", required=True, help="Whose proposals.")
@click.option("--transcript", default=None, help="Only this transcript.")
@click.option("--state", type=click.Choice(["proposed", "accepted", "rejected", "all"]), default="proposed",
              show_default=True, help="Open proposals, decided ones, or all.")
@click.option("--order", type=click.Choice(["text", "uncertain"]), default="text", show_default=True,
              help="In text order, or the ones the model is least sure of first.")
@format_option(choices=("table", "csv", "json"))
def suggest_list(project, coder, transcript, state, order, fmt):
    """A coder's proposals: id, transcript, segment, code, score, state and the model that made each.

    \b
    Examples:
      qcode suggest list demo.qcode --coder anna --transcript aneby_chef.txt --format json
      qcode suggest list demo.qcode --coder anna --order uncertain
    """
    with _open(project) as p:
        rows = p.suggest_list(coder, transcript, state=None if state == "all" else state, order=order)
    _emit(rows, ["id", "transcript", "segment", "code", "label", "score", "uncertainty", "state", "model", "kind"],
          fmt)


def _decision_options(fn):
    for option in reversed([
            click.argument("ids", nargs=-1, type=int),
            click.option("--coder", required=True, help="The coder the proposals are for (only they decide)."),
            click.option("--transcript", default=None, help="Every open proposal of this transcript …"),
            click.option("--segment", "segments", multiple=True, type=int,
                         help="… on these segments only (repeatable, 1-based)."),
    ]):
        fn = option(fn)
    return fn


@suggest.command("accept")
@project_argument
@_decision_options
@click.option("--min-score", type=float, default=None, help="With --transcript: only proposals scoring at least this.")
def suggest_accept(project, ids, coder, transcript, segments, min_score):
    """Accept proposals: each becomes the coder's coding, marked as accepted from a suggestion (one
    undoable step: `qcode undo` takes them all back). Name proposals by id, or a transcript (and segments,
    and a lowest score) to accept all of them.

    \b
    Examples:
      qcode suggest accept demo.qcode --coder anna 12 13
      qcode suggest accept demo.qcode --coder anna --transcript aneby_chef.txt --min-score 0.8
    """
    with _open(project) as p:
        result = p.suggest_accept(coder, list(ids) or None, transcript=transcript, segments=list(segments) or None,
                                  min_score=min_score)
    click.echo(f"Accepted {result.n} proposals: {result.detail['codings']} codings by {coder}")


@suggest.command("reject")
@project_argument
@_decision_options
@click.option("--max-score", type=float, default=None, help="With --transcript: only proposals scoring at most this.")
def suggest_reject(project, ids, coder, transcript, segments, max_score):
    """Reject proposals: remembered, so the same model never proposes them again (one undoable step).

    \b
    Examples:
      qcode suggest reject demo.qcode --coder anna 14
      qcode suggest reject demo.qcode --coder anna --transcript aneby_chef.txt --segment 12
    """
    with _open(project) as p:
        result = p.suggest_reject(coder, list(ids) or None, transcript=transcript, segments=list(segments) or None,
                                  max_score=max_score)
    click.echo(f"Rejected {result.n} proposals")
