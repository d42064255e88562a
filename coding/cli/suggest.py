"""``qcode suggest evaluate|run``: code suggestions, measured before trusted; nothing is written."""

from __future__ import annotations

import json

import click

from .base import _emit, _open, cli, format_option, project_argument

_SOURCE_HELP = "Whose coding teaches: 'all' (every done coder pooled), 'consensus', or a coder's name."


@cli.group()
def suggest():
    """Code suggestions learned from the team's coding: evaluate them, or list proposals (writes nothing).

    \b
    Examples:
      qcode suggest evaluate demo.qcode --folds 5
      qcode suggest run demo.qcode --coder anna --transcript aneby_chef.txt
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


@suggest.command("run")
@project_argument
@click.option("--coder", required=True, help="Whose transcript the proposals are for.")
@click.option("--transcript", required=True, help="The transcript (file name) to propose codes for.")
@click.option("--from", "source", default=None,
              help=_SOURCE_HELP + " Default: the coder's own finished transcripts.")
@click.option("--min-score", type=float, default=None,
              help="The lowest score shown (default 0.5 for the learned model, 0.2 for codebook similarity).")
@format_option(choices=("table", "json"))
def suggest_run(project, coder, transcript, source, min_score, fmt):
    """Print proposed codes (segment, code, score, source) for a transcript. Writes NOTHING to the
    project: a proposal becomes a coding only when a coder applies it (`qcode code`). Source "model":
    learned from finished transcripts; "codebook": similarity to the codes' texts, used while no code
    has 5 coded segments yet.

    \b
    Examples:
      qcode suggest run demo.qcode --coder anna --transcript aneby_chef.txt
      qcode suggest run demo.qcode --coder erik --transcript eksjo_se-coach.txt --min-score 0.7 --format json
    """
    with _open(project) as p:
        rows = p.suggestions(coder, transcript, source=source, min_score=min_score)
    _emit(rows, ["segment", "code", "label", "score", "source"], fmt)
