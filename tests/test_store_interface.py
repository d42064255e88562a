"""The store's typed interface: Store implements all of ProjectStore, ProjectStore lists all of Store,
and nothing in it speaks SQLite or NumPy."""

from __future__ import annotations

import inspect
import typing

import pytest

from coding import store as store_pkg
from coding.store import CodeRow, SegmentRow, Store
from coding.store.interface import ProjectStore

CONSTRUCTORS = {"create", "open"}  # how a store is made is each engine's own business


def interface_members() -> dict[str, typing.Callable]:
    return {n: v for n, v in vars(ProjectStore).items() if not n.startswith("_") and callable(v)}


def params(fn) -> list[tuple]:
    return [(p.name, p.kind, p.default, p.annotation) for p in inspect.signature(fn).parameters.values()]


def test_store_has_every_member_of_the_interface_with_the_same_signature():
    members = interface_members()
    assert len(members) > 70
    for name, declared in members.items():
        implemented = getattr(Store, name, None)
        assert implemented is not None, f"Store lacks {name}"
        assert params(implemented) == params(declared), name
        if name != "transaction":  # a generator under @contextmanager vs. the context manager it returns
            assert inspect.signature(implemented).return_annotation == \
                inspect.signature(declared).return_annotation, name
    assert "path" in typing.get_type_hints(ProjectStore)


def test_every_public_method_of_store_is_in_the_interface():
    public = {n for n, _ in inspect.getmembers(Store, callable) if not n.startswith("_")} - CONSTRUCTORS
    assert public == set(interface_members())


def test_a_store_is_a_project_store(project):
    assert isinstance(project.store, ProjectStore)
    assert not isinstance(object(), ProjectStore)


def test_the_interface_speaks_in_plain_rows():
    forbidden = ("ndarray", "np.", "numpy", "sqlite", "Connection", "Cursor", "rowid", "DataFrame")
    for name, fn in interface_members().items():
        text = str(inspect.signature(fn)) + (fn.__doc__ or "")
        assert not [w for w in forbidden if w in text], name
    source = inspect.getsource(store_pkg.agreement)
    assert "numpy" not in source and "rowid" not in source


def test_the_names_that_used_to_mean_the_same_are_gone():
    for old in ("transcript_name_map", "attribute_by_transcript", "segment_id_map", "segment_transcripts",
                "coder_codings_packed", "code_rowids"):
        assert not hasattr(Store, old), old


def test_rows_are_plain_python_values(project, small_codebook, tmp_path):
    from conftest import write_interview

    project.load_codebook(small_codebook)
    project.import_files([write_interview(tmp_path / "aneby.txt"), write_interview(tmp_path / "eksjo.txt", "Eksjö")])
    segments = project.segments("aneby.txt")
    project.apply_code("aneby.txt", 2, "ff_chef", coder="anna")
    store = project.store
    assert store.coder_codings("anna") == [(segments[1].id, "ff_chef")]
    assert all(type(s) is SegmentRow for s in segments) and all(type(c) is CodeRow for c in store.codes())
    runs = store.transcript_segment_ids()
    assert runs[store.transcript_id("aneby.txt")] == range(segments[0].id, segments[-1].id + 1)
    assert {type(v) for v in runs.values()} == {range}


def test_segment_ids_out_of_one_run_come_as_a_list(project, tmp_path):
    from conftest import write_interview

    project.import_files([write_interview(tmp_path / "aneby.txt")])
    store = project.store
    tid = store.transcript_id("aneby.txt")
    ids = [s.id for s in project.segments("aneby.txt")]
    # a file written by another tool may number segments with gaps
    store.conn.execute('INSERT INTO segments(id, transcript_id, position, start, "end", text) '
                       "VALUES (1000, ?, 99, 0, 5, 'Inter')", (tid,))
    assert store.transcript_segment_ids() == {tid: [*ids, 1000]}


@pytest.mark.parametrize("name", ["Store", "SegmentRow", "CodeRow", "SCHEMA_VERSION", "now", "connect", "migrate"])
def test_the_package_keeps_its_public_names(name):
    assert hasattr(store_pkg, name)
