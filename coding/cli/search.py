"""``qcode search``: full-text search over every transcript of a project."""

from __future__ import annotations

import click

from .base import _emit, _open, cli, format_option, project_argument


@cli.command()
@project_argument
@click.argument("query")
@click.option("--transcript", default=None, help="Search this transcript only.")
@click.option("--order", type=click.Choice(("text", "rank")), default="text", show_default=True,
              help="text: by transcript and segment; rank: best matches first.")
@click.option("--limit", type=click.IntRange(0), default=100, show_default=True, help="At most this many hits "
              "(0: all).")
@click.option("--offset", type=click.IntRange(0), default=0, help="Skip this many hits (to page through).")
@format_option
def search(project, query, transcript, order, limit, offset, fmt):
    """Find segments by words in every transcript, ignoring case and accents; then code them with `qcode code`.

    Every word must occur in the segment, in any order; "words in double
    quotes" must occur together; a word ending in * finds every word that
    begins with it. "forankring" finds "förankring" (å, ä and ö match a and
    o). Matches are shown in [brackets] in the table; CSV and JSON give the
    whole text and the character offsets of the matched words.

    \b
    Examples:
      qcode search demo.qcode förankring
      qcode search demo.qcode '"ingen riktig förankring"' --format json
      qcode search demo.qcode "samordn*" --transcript aneby_chef.txt --order rank --limit 5
    """
    with _open(project) as p:
        hits = p.search(query, transcript=transcript, limit=limit or None, offset=offset, order=order)
        total = p.count_hits(query, transcript=transcript)
    if fmt == "table":
        rows = [{"transcript": h.transcript, "segment": h.position, "speaker": h.speaker, "text": h.snippet(100)}
                for h in hits]
        _emit(rows, ["transcript", "segment", "speaker", "text"], fmt)
        shown = f"{offset + 1}–{offset + len(hits)} of " if hits and len(hits) < total else ""
        click.echo(f"{shown}{total} segment(s) found", err=True)
        return
    rows = [{"transcript": h.transcript, "segment": h.position, "speaker": h.speaker, "text": h.text,
             "matches": ";".join(f"{a}-{b}" for a, b in h.highlights) if fmt == "csv" else
             [list(m) for m in h.highlights]} for h in hits]
    _emit(rows, ["transcript", "segment", "speaker", "text", "matches"], fmt)
