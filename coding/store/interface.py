"""The typed interface of a project store: what the library needs from a database.

:class:`ProjectStore` lists every public method of :class:`coding.store.Store`
that the library, the CLI and the app call. It speaks in plain rows --
ints, strings, tuples, dicts and the frozen dataclasses of
:mod:`coding.store.rows` -- with no SQLite connection, rowid or NumPy array
in any signature, so that a second engine (PostgreSQL, a later issue) can
implement it and run the same tests. How a store is created or opened is
the engine's own business (``Store.create(path)``, ``Store.open(path)``).

Ids are the store's own integers (transcripts, segments) and the codebook's
code ids (strings). Writes that belong together run inside
:meth:`ProjectStore.transaction`; blocks nested in it are savepoints.

``tests/test_store_interface.py`` checks that :class:`~coding.store.Store`
has every member with the same parameters, and that every public method of
``Store`` is listed here.

>>> from coding.store.interface import ProjectStore
>>> isinstance(store, ProjectStore)
True
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Protocol, runtime_checkable

from .rows import CodeRow, SearchHit, SegmentRow


@runtime_checkable
class ProjectStore(Protocol):
    """Every query and write the library makes, in plain rows."""

    path: Path

    # -------------------------------------------- Files and transactions

    def close(self) -> None:
        """Close the connection (the file stays as it is)."""
        ...

    def transaction(self) -> AbstractContextManager[None]:
        """Run the enclosed writes as one transaction."""
        ...

    def schema_version(self) -> int:
        """The version of the file's schema (see :data:`coding.store.schema.SCHEMA_VERSION`)."""
        ...

    def meta(self, key: str) -> str | None:
        """One value of the project's ``meta`` table (None when unset)."""
        ...

    def set_meta(self, key: str, value: str | None) -> None:
        """Set one value of the ``meta`` table."""
        ...

    def counts(self) -> dict[str, int]:
        """How many rows each main table holds (for `qcode info` and tests)."""
        ...

    # ------------------------------ Transcripts, attributes and segments

    def add_transcript(
            self, *, name: str, format: str, encoding: str | None, sha256: str, text: str, n_words: int,
            segmentation: str, language: str, segments: Sequence[tuple],
            attributes: dict[str, str] | None = None) -> int:
        """Insert one transcript with its segments and attributes; returns its id."""
        ...

    def delete_transcript(self, transcript_id: int) -> None:
        """Delete a transcript with its segments, attributes, codings, memos and done-markers."""
        ...

    def transcript_id(self, name: str) -> int | None:
        """The id of the transcript called ``name``, or None."""
        ...

    def transcript_id_by_hash(self, sha256: str) -> tuple[int, str] | None:
        """(id, name) of the transcript with this text hash, or None."""
        ...

    def transcript_names(self) -> set[str]:
        """The names of all transcripts."""
        ...

    def transcript_names_by_id(self) -> dict[int, str]:
        """transcript id -> name, for every transcript."""
        ...

    def transcripts(self) -> list[dict]:
        """Every transcript with its attributes, segment count and done-markers, by name."""
        ...

    def transcript_text(self, transcript_id: int) -> str:
        """The whole text of one transcript ("" if there is no such transcript)."""
        ...

    def set_attributes(self, transcript_id: int, attributes: dict[str, str | None]) -> None:
        """Set (or, with value None or "", remove) attributes of one transcript."""
        ...

    def attribute_names(self) -> list[str]:
        """The names of the attributes any transcript carries, sorted."""
        ...

    def attribute_values(self, name: str) -> dict[int, str]:
        """transcript id -> value of attribute ``name``."""
        ...

    def segments(self, transcript_id: int) -> list[SegmentRow]:
        """The segments of one transcript in order, with their text."""
        ...

    def segment_id(self, transcript_id: int, position: int) -> int | None:
        """The id of a transcript's segment at a 1-based position, or None."""
        ...

    def segment_ids_by_position(self) -> dict[tuple[str, int], tuple[int, int]]:
        """(transcript name, 1-based position) -> (segment id, transcript id), for the whole project."""
        ...

    def segment_location(self, segment_id: int) -> tuple[int, str, int] | None:
        """(transcript id, transcript name, 1-based position) of a segment, or None."""
        ...

    def segment_counts(self) -> dict[int, int]:
        """transcript id -> number of segments."""
        ...

    def transcript_segment_ids(self) -> dict[int, Sequence[int]]:
        """transcript id -> the ids of its segments, ascending (transcripts without segments are left out)."""
        ...

    # ------------------------------------------------------ The codebook

    def codes(self, *, include_inactive: bool = True) -> list[CodeRow]:
        """The codebook in codebook order (depth first, siblings by position)."""
        ...

    def code_parents(self) -> dict[str, str | None]:
        """code id -> parent id of every stored code, also codes that :meth:`codes` cannot reach."""
        ...

    def code_ids(self) -> set[str]:
        """The ids of every code, active or not."""
        ...

    def upsert_codes(self, codes: Iterable[dict]) -> None:
        """Insert or update codes (dicts with the columns of the codes table)."""
        ...

    def coded_code_ids(self) -> set[str]:
        """The ids of codes that carry at least one coding."""
        ...

    def delete_codes(self, ids: Iterable[str]) -> None:
        """Delete codes by id (codes still used by codings are protected by a foreign key)."""
        ...

    def set_code_active(self, ids: Iterable[str], active: bool) -> None:
        """Switch codes on or off for coding (inactive codes keep their codings)."""
        ...

    def update_code(self, code_id: str, fields: dict) -> None:
        """Change some columns of one code (keys: columns of the codes table except id)."""
        ...

    def next_code_position(self) -> int:
        """One more than the largest position in the codebook (0 for an empty one)."""
        ...

    def merge_code_into(self, source: str, target: str) -> int:
        """Move the codings, memos and children of ``source`` to ``target`` and delete ``source``."""
        ...

    # ------------------------------------------------------------ Coders

    def ensure_coders(self, names: Iterable[str]) -> None:
        """Add the coders that do not exist yet."""
        ...

    def coders(self) -> list[str]:
        """Every coder's name, sorted."""
        ...

    def coder(self, name: str) -> dict | None:
        """``name, password_hash, is_owner, role, created_at`` of one coder, or None."""
        ...

    def owners(self) -> list[str]:
        """The names of the project's owners, sorted."""
        ...

    def set_coder(self, name: str, *, password_hash: str | None = None, is_owner: bool | None = None,
                  role: str | None = None) -> None:
        """Change a coder's password hash, owner flag and/or role (None leaves it as it is)."""
        ...

    # ----------------------------------- Codings, memos and done-markers

    def add_coding(self, segment_id: int, code_id: str, coder: str, memo: str | None = None) -> bool:
        """Apply a code; returns False if this coder had already applied it (the memo is then updated)."""
        ...

    def remove_coding(self, segment_id: int, code_id: str, coder: str) -> bool:
        """Remove one coding; returns whether there was one."""
        ...

    def add_codings(self, rows: Sequence[tuple[int, int, str, str, str | None]]) -> int:
        """Bulk insert (segment id, transcript id, code id, coder, memo) rows; existing ones keep their row but take a
        new memo. Returns the number of rows newly added. Call inside a transaction.
        """
        ...

    def add_codings_to_segments(
            self, segment_ids: Sequence[int], code_id: str, coder: str, memo: str | None = None) -> list[int]:
        """Apply one code to several segments; returns the ids of segments newly coded."""
        ...

    def remove_codings_from_segments(
            self, segment_ids: Sequence[int], code_id: str, coder: str) -> list[tuple[int, str | None]]:
        """Remove one coder's code from several segments; returns (segment id, old memo) of each removed row."""
        ...

    def set_segment_codes(self, segment_id: int, coder: str, codes: Iterable[str]) -> tuple[list[str], list[str]]:
        """Make ``codes`` exactly the codes ``coder`` has on a segment; returns (added, removed)."""
        ...

    def codings(self, *, coder: str | None = None, transcript_id: int | None = None) -> list[dict]:
        """Codings with transcript name and 1-based segment position, in text order."""
        ...

    def iter_codings_rows(self, *, coder: str | None = None, transcript_id: int | None = None) -> Iterator[tuple]:
        """Stream (transcript, segment position, code, coder, memo, segment id, created at) rows in text order."""
        ...

    def codings_count(self) -> int:
        """How many codings the project holds."""
        ...

    def coder_segment_codes(self, segment_id: int, coder: str) -> list[str]:
        """The codes ``coder`` applied to one segment, sorted."""
        ...

    def segment_codes(self, transcript_id: int, coder: str) -> dict[int, list[str]]:
        """For one transcript and coder: segment id -> the code ids applied."""
        ...

    def segment_codes_by_coder(self, transcript_id: int, coders: Sequence[str]) -> dict[int, dict[str, list[str]]]:
        """For one transcript: segment id -> coder -> code ids, for the given coders."""
        ...

    def coded_segment_counts(self, coder: str) -> dict[int, int]:
        """transcript id -> number of its segments that ``coder`` has coded at least once."""
        ...

    def code_usage(self, coder: str) -> dict[str, tuple[int, int]]:
        """code id -> (segments ``coder`` coded with it, segments anyone coded with it)."""
        ...

    def coded_segment_ids(self, coder: str) -> set[int]:
        """Segments on which ``coder`` has at least one code."""
        ...

    def add_memo(
            self, *, coder: str, text: str, transcript_id: int | None = None, segment_id: int | None = None,
            code_id: str | None = None) -> int:
        """Write a memo (on a transcript, a segment and/or a code); returns its id."""
        ...

    def memos(self, *, segment_id: int | None = None, transcript_id: int | None = None) -> list[dict]:
        """Memos (optionally of one segment or transcript), oldest first."""
        ...

    def segment_memo(self, segment_id: int, coder: str) -> str | None:
        """The coder's memo on a segment (not on a code there), or None."""
        ...

    def set_segment_memo(self, segment_id: int, coder: str, text: str | None) -> None:
        """Replace the coder's memo on a segment (None or empty: delete it)."""
        ...

    def segment_memos(self, transcript_id: int, coder: str) -> dict[int, str]:
        """segment id -> the coder's memo, for one transcript."""
        ...

    def memo(self, memo_id: int) -> dict | None:
        """One memo row (``id, transcript_id, segment_id, code_id, coder, text, created_at, updated_at``) or None."""
        ...

    def memo_list(self, *, coder: str | None = None, transcript_id: int | None = None) -> list[dict]:
        """Every memo (memos and codings' memos, the latter with ``id`` None) with transcript name and segment
        position, oldest first."""
        ...

    def update_memo(self, memo_id: int, text: str, updated_at: str | None = None) -> bool:
        """Give a memo new text (and ``updated_at``, now unless given); returns whether there was one."""
        ...

    def delete_memo(self, memo_id: int) -> bool:
        """Delete one memo; returns whether there was one."""
        ...

    def restore_memo(self, row: dict) -> bool:
        """Put back a deleted memo with its id and times; False when its target or coder is gone meanwhile."""
        ...

    def coding_memo(self, segment_id: int, code_id: str, coder: str) -> str | None:
        """The memo of one coding (None when it has none, or there is no such coding)."""
        ...

    def set_coding_memo(self, segment_id: int, code_id: str, coder: str, text: str | None) -> bool:
        """Set (None: clear) the memo of one coding; returns whether the coding exists."""
        ...

    def memo_code_ids(self) -> set[str]:
        """The ids of codes that carry a memo (of the memos table)."""
        ...

    def mark_done(self, transcript_ids: Iterable[int], coder: str, done: bool = True) -> int:
        """Mark (or unmark) transcripts as finished by a coder; returns rows changed."""
        ...

    def done_coders(self, transcript_id: int) -> set[str]:
        """The coders who marked a transcript done."""
        ...

    def done_transcripts(self, coder: str) -> set[int]:
        """The ids of the transcripts a coder marked done."""
        ...

    def done_by_coders(self, coders: Sequence[str]) -> list[tuple[int, str]]:
        """(transcript id, coder) for every done-marker of these coders."""
        ...

    # ------------------------------------------------------- Media files

    def set_media(self, transcript_id: int, *, path: str, size: int, sha256: str, mime: str,
                  added_by: str | None = None) -> None:
        """Attach a media file to a transcript (replacing the one it had)."""
        ...

    def media(self, transcript_id: int) -> dict | None:
        """``transcript_id, path, size, sha256, mime, added_by, added_at`` of a transcript's media file, or None."""
        ...

    def media_list(self) -> list[dict]:
        """Every attached media file with its transcript's name (key ``transcript``), by transcript name."""
        ...

    def remove_media(self, transcript_id: int) -> bool:
        """Detach a transcript's media file (the file itself stays); returns whether there was one."""
        ...

    # ----------------------------------------------------- The audit log

    def audit(
            self, action: str, *, actor: str | None = None, target: str | None = None,
            detail: dict | None = None) -> int:
        """Record one change in the audit log; returns the log entry's id."""
        ...

    def change_counter(self) -> int:
        """A number that grows with every recorded change (the newest audit entry's id)."""
        ...

    def audit_log(self, *, limit: int | None = None, actor: str | None = None,
                  actions: Sequence[str] | None = None, since: str | None = None,
                  until: str | None = None) -> list[dict]:
        """The audit log, newest first: ``id, at, actor, action, target, detail`` (a dict or None).

        Filters: one ``actor``, any of ``actions``, and ``since``/``until`` as ISO times or dates
        (``until`` a date includes that whole day).
        """
        ...

    def audit_actions(self) -> list[str]:
        """Every kind of action in the log, sorted."""
        ...

    def audit_entries(self, actor: str, actions: Sequence[str]) -> Iterator[dict]:
        """The actor's audit entries of the given actions, newest first (streamed)."""
        ...

    # ----------------------------------------------- Consensus decisions

    def add_consensus_decision(
            self, segment_id: int, *, codes: Sequence[str], before: Sequence[str], how: str, note: str | None,
            decided_by: str) -> int:
        """Record one decision and its audit entry; returns the decision's id (= the audit entry's id)."""
        ...

    def consensus_decisions(self, *, transcript_id: int | None = None) -> list[dict]:
        """Every recorded consensus decision, oldest first, with the segment's transcript and position."""
        ...

    def decided_segment_ids(self) -> set[int]:
        """Segments with at least one recorded consensus decision."""
        ...

    # -------------------------------------------------- Full-text search

    def search_segments(
            self, query: str, *, transcript_id: int | None = None, limit: int | None = 100, offset: int = 0,
            order: str = "text") -> list[SearchHit]:
        """The segments that match ``query`` (see :func:`coding.store.fts.match_expression`), with match offsets."""
        ...

    def search_count(self, query: str, *, transcript_id: int | None = None) -> int:
        """How many segments match ``query`` (all of them, whatever a search's ``limit``)."""
        ...

    # ------------------------------------------------ Spans (coding.spans)

    def min_overlap(self) -> float:
        """The overlap rule: the share of a segment's non-space characters a span must cover (0: any)."""
        ...

    def whole_segment(self, transcript_id: int, start: int, end: int) -> int | None:
        """The id of the segment whose range is exactly ``[start, end)``, or None."""
        ...

    def add_span(self, transcript_id: int, start: int, end: int, code_id: str, coder: str,
                 memo: str | None = None, created_at: str | None = None) -> bool:
        """Store one span (a whole segment becomes its segment coding); returns whether it is new."""
        ...

    def remove_span(self, transcript_id: int, start: int, end: int, code_id: str,
                    coder: str) -> tuple[bool, str | None]:
        """Remove one span (or the segment coding it is); returns (whether there was one, its memo)."""
        ...

    def add_spans(self, rows: Sequence[tuple]) -> int:
        """Bulk insert ``(transcript id, start, end, code id, coder, memo, created at)`` rows; returns the new ones."""
        ...

    def spans_count(self) -> int:
        """How many spans (codings that are not one whole segment) the project holds."""
        ...

    def span_rows(self, *, coder: str | None = None, transcript_id: int | None = None) -> list[tuple]:
        """``(transcript id, start, end, code id, coder)`` of every coding as a span, in text order."""
        ...

    def span_list(self, *, coder: str | None = None, transcript_id: int | None = None,
                  coders: Sequence[str] | None = None) -> list[tuple]:
        """``(transcript id, start, end, code id, coder, memo, created at, segment position or None)`` rows."""
        ...

    def derive(self, transcript_id: int, code_id: str, coder: str) -> None:
        """Bring the segment codings derived from one coder's spans of one code up to date."""
        ...

    def derive_transcript(self, transcript_id: int) -> None:
        """Bring every derived segment coding of one transcript up to date."""
        ...

    def derive_all(self) -> int:
        """Re-derive every span's segment codings; returns transcripts touched."""
        ...

    def span_offsets(self, transcript_id: int) -> list[tuple[int, int, int]]:
        """``(span id, start, end)`` of one transcript's spans (for rewriting its text)."""
        ...

    def move_spans(self, transcript_id: int, offsets: Iterable[tuple[int, int, int]]) -> None:
        """Give spans new offsets (the text was rewritten) and re-derive the transcript."""
        ...

    def span_memo(self, transcript_id: int, start: int, end: int, code_id: str,
                  coder: str) -> tuple[bool, str | None]:
        """(whether the coder has that span, its memo)."""
        ...

    def set_span_memo(self, transcript_id: int, start: int, end: int, code_id: str, coder: str,
                      text: str | None) -> bool:
        """Set (None: clear) the memo of one span; returns whether the span exists."""
        ...

    # ------------------------------ Suggestions (coding.suggest.proposals)

    def add_model(self, *, kind: str, trained_from: str, coders: Sequence[str], n_segments: int, n_codes: int,
                  params: dict, blob: bytes, qcode_version: str, created_by: str | None = None) -> int:
        """Store one trained suggestion model (its fitted estimator as bytes); returns its id."""
        ...

    def models(self) -> list[dict]:
        """Every stored model without its bytes, newest first."""
        ...

    def model_blob(self, model_id: int) -> bytes | None:
        """The fitted model of ``model_id`` as stored, or None."""
        ...

    def add_proposals(self, rows: Sequence[tuple[int, int, str, str, float]]) -> int:
        """Insert ``(model id, segment id, code id, coder, score)`` proposals; existing ones stay. Returns the new."""
        ...

    def drop_open_proposals(self, coder: str, transcript_ids: Sequence[int], keep_model: int) -> int:
        """Delete a coder's open proposals of other models on these transcripts; returns how many went."""
        ...

    def proposals(self, *, coder: str | None = None, transcript_id: int | None = None, state: str | None = None,
                  ids: Sequence[int] | None = None) -> list[dict]:
        """Proposals with their segment's position and transcript name, in text order, best first per segment."""
        ...

    def set_proposal_state(self, ids: Sequence[int], state: str) -> int:
        """Set proposals to ``proposed``, ``accepted`` or ``rejected``; returns rows changed."""
        ...

    def add_suggested_coding(self, segment_id: int, code_id: str, coder: str, source: str) -> bool:
        """Apply a code accepted from a proposal, marked with its source; False when the coder had it already."""
        ...

    def coding_sources(self, *, coder: str | None = None,
                       transcript_id: int | None = None) -> dict[tuple[int, str, str], str]:
        """(segment id, code id, coder) -> source of every coding not made by hand."""
        ...

    # ------------------------------------------ Matrices (coding.matrix)

    def transcript_code_counts(
            self, coders: Sequence[str] | None, code_map: dict[str, str] | None = None) -> list[tuple[int, str, int]]:
        """(transcript id, column, distinct coded segments) for the given coders."""
        ...

    def speaker_code_counts(
            self, coders: Sequence[str] | None, code_map: dict[str, str]) -> list[tuple[int, str | None, str, int]]:
        """(transcript id, speaker, column, distinct coded segments): rows by segment speaker."""
        ...

    def transcript_speakers(self) -> list[tuple[int, str | None]]:
        """(transcript id, speaker) for every speaker that has segments."""
        ...

    def cooccurrence_counts(
            self, coders: Sequence[str] | None, code_map: dict[str, str], scope: str,
            transcript_ids: Iterable[int] | None = None) -> list[tuple[str, str, int]]:
        """(column a, column b, n): segments (scope "segment") or transcripts where both occur; a <= b."""
        ...

    def cell_codings(
            self, transcript_ids: Sequence[int], code_ids: Sequence[str], coders: Sequence[str] | None,
            speaker: str | None = None, by_speaker: bool = False) -> list[tuple]:
        """The codings behind a matrix cell: (segment id, transcript id, position, start, end, speaker, t_start, coder,
        code id), in text order.
        """
        ...

    def segment_window(self, transcript_id: int, first: int, last: int) -> list[tuple[int, int, int, str | None]]:
        """(position, start, end, speaker) of the segments first..last of a transcript."""
        ...

    def totals_recount_differences(self) -> list[tuple[str, tuple, tuple | None, tuple | None]]:
        """Where the running totals differ from a recount over the codings: (table, key, stored, recounted)
        rows, empty when ``code_counts`` and ``attr_counts`` are exact (changes nothing)."""
        ...

    def codings_frame_rows(self, coders: Sequence[str] | None = None) -> list[tuple[int, int, str, str]]:
        """(transcript id, segment id, code id, coder) of every coding (for exports and baselines)."""
        ...

    def attribute_code_totals(self, coder_key: str, name: str) -> list[tuple[str, str, int, int]]:
        """(attribute value, code id, segments, transcripts) for one coder ('' = any coder)."""
        ...

    def transcript_code_totals(self, coders: Sequence[str] | None) -> list[tuple[int, str, int]]:
        """(transcript id, code id, segments). One coder or None ('' = any coder): exact segment counts; several
        coders: the largest of their counts (> 0 exactly where any of them coded).
        """
        ...

    # ------------------------------ Agreement (coding.project_agreement)

    def coder_codings(self, coder: str) -> list[tuple[int, str]]:
        """(segment id, code id) of every coding of ``coder``, in no particular order."""
        ...

    def applied_code_ids(self, coders: Sequence[str]) -> set[str]:
        """Codes that any of these coders has applied somewhere."""
        ...

    def codings_in_transcripts(
            self, transcript_ids: Sequence[int], coders: Sequence[str]) -> list[tuple[int, str, str]]:
        """(segment id, coder, code id) of these coders in these transcripts, in segment order."""
        ...

    # ------------------------------ Rewriting stored text (coding.pseudonymise)

    def rewrite_transcripts(self) -> list[tuple[int, str, str]]:
        """(id, name, text) of every transcript, by name."""
        ...

    def rewrite_segments(self, transcript_id: int) -> list[tuple[int, int, int, str | None]]:
        """(segment id, start, end, speaker) of one transcript's segments, in order."""
        ...

    def rewrite_attributes(self) -> list[tuple[int, str, str, str]]:
        """(transcript id, transcript name, attribute name, value) of every attribute."""
        ...

    def free_text_cells(self) -> Iterator[tuple[str, str, object, str]]:
        """(table, column, row key, value) of every non-empty cell of :data:`FREE_TEXT_COLUMNS`."""
        ...

    def all_text_cells(self) -> Iterator[tuple[str, str, str]]:
        """(table, column, value) of every text value in the project, for leak checks."""
        ...

    def replace_transcript_text(self, transcript_id: int, new_text: str,
                                segment_offsets: Sequence[tuple[int, int, int]], *,
                                sha256: str, n_words: int) -> None:
        """Store a transcript's new text and its segments' new offsets.

        ``segment_offsets`` holds ``(segment id, start, end)`` for *every*
        segment of the transcript, with offsets into ``new_text``. Checks
        that each offset lies inside the new text and that no segment is
        left out; raises ``ValueError`` otherwise (the caller's transaction
        then rolls back).
        """
        ...

    def rename_speakers(self, transcript_id: int, names: dict[str, str]) -> int:
        """Replace speaker labels of one transcript's segments (old -> new); returns segments changed."""
        ...

    def replace_attribute_values(self, rows: Iterable[tuple[int, str, str]]) -> int:
        """Set ``(transcript id, attribute name, new value)`` rows; the matrix totals follow by trigger."""
        ...

    def update_free_text_cells(self, rows: Iterable[tuple[str, str, object, str | None]]) -> int:
        """Write ``(table, column, row key, new value)`` rows of :data:`FREE_TEXT_COLUMNS`; returns rows changed."""
        ...

    def compact(self, *, wait_ms: int = 2000) -> bool:
        """Rebuild the file so that no deleted text survives in it or in its ``-wal`` file.

        Runs ``VACUUM`` with ``secure_delete`` on, then a truncating WAL
        checkpoint. Must run outside a transaction. Waits at most ``wait_ms``
        for other connections; returns False when they kept it from finishing
        (run it again when no one else is reading the project).
        """
        ...

    def backup_to(self, path: str | Path, *, standalone: bool = True) -> None:
        """Write a consistent copy of the whole project to ``path`` (safe while others write); ``standalone``:
        a new file, else page by page into a live project file."""
        ...

    def checkpoint(self) -> None:
        """Write the ``-wal`` file's pages into the project file and empty it."""
        ...

    # ----------------------------------------- Quote reports (coding.quotes)

    def quote_codings(self, code_ids: Sequence[str], coders: Sequence[str] | None,
                      transcript_ids: Sequence[int] | None = None) -> list[tuple]:
        """Every coding of these codes by these coders (None: any coder), optionally only in these transcripts:
        (segment id, transcript id, position, start, end, speaker, t_start, t_end, coder, code id, memo), in text
        order.
        """
        ...

    def segment_memo_rows(self, segment_ids: Sequence[int],
                          coders: Sequence[str] | None) -> list[tuple[int, str, str | None, str]]:
        """The memos written on these segments by these coders (None: any coder): (segment id, coder, code id or
        None for a memo on the segment itself, text), oldest first."""
        ...
