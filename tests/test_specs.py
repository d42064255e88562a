"""The analysis specs (coding.specs): one set of defaults, one place for the rules, equal specs from the CLI
and the app for equal choices, and the "all coders" defect (the app left out the consensus coder, the CLI
counted it) fixed once for the CLI, Python and the app."""

from __future__ import annotations

import csv
import io
import math

import pytest
from click.testing import CliRunner

from coding import Project
from coding.cli import cli
from coding.cli.agreement import agreement_spec
from coding.cli.matrix import matrix_spec
from coding.codings import CONSENSUS
from coding.consensus import decide
from coding.errors import QcodeError
from coding.matrix import build_matrix, cell_segments, cooccurrence
from coding.specs import AGREEMENT_UNITS, CODE_LEVELS, MEASURES, AgreementSpec, MatrixSpec
from app_helpers import open_app, run
from e2e_helpers import make_project
from ui import page_agreement as pa_page
from ui import page_matrix as pm

MATRIX_PAGE = "app_pages/matrix.py"
AGREEMENT_PAGE = "app_pages/agreement.py"


# ------------------------------------------------------- the "all coders" defect

@pytest.fixture
def consensus_only(tmp_path, app_env, monkeypatch):
    """bertil coded one segment of Aneby; only the consensus coder coded hi_ensam (in Aneby).

    anna, who opens the app, codes nothing herself (a lead), so she is not blinded."""
    path = make_project(tmp_path / "study.qcode")
    with Project.open(path) as p:
        p.apply_code("aneby_se-coach.txt", 2, "ff_forankring", coder="bertil")
        sid = p.store.segment_id(p.transcript_id("aneby_se-coach.txt"), 3)
        decide(p.store, sid, ["hi_ensam"], decided_by="anna")
    monkeypatch.setenv("QCODE_PROJECT", str(path))
    return path


def _cli_cell(path, row: str, column: str, *args) -> int:
    result = CliRunner().invoke(cli, ["matrix", str(path), "--measure", "presence", *args])
    assert result.exit_code == 0, result.output
    rows = {r["kommun"]: r for r in csv.DictReader(io.StringIO(result.output))}
    return int(rows[row][column])


def test_all_coders_means_the_same_in_the_cli_python_and_the_app(consensus_only):
    path = consensus_only
    cli_value = _cli_cell(path, "Aneby", "hi_ensam")
    with Project.open(path) as p:
        python_value = int(build_matrix(p.store, MatrixSpec(rows="kommun", measure="presence"))
                           .table.loc["Aneby", "hi_ensam"])
        keyword_value = int(build_matrix(p.store, "kommun", "presence").table.loc["Aneby", "hi_ensam"])
        segs = cell_segments(p.store, "Aneby", "hi_ensam", rows="kommun")
        co = cooccurrence(p.store)
    at = open_app("anna", page=MATRIX_PAGE)
    assert at.selectbox(key="qc_mx_coders").value == pm.ALL
    at.selectbox(key="qc_mx_measure").select("presence")
    at = run(at)
    app_value = int(at.dataframe[0].value.loc["Aneby", "hi_ensam"])
    assert cli_value == python_value == keyword_value == app_value == 0
    assert segs == [] and co.loc["hi_ensam", "hi_ensam"] == 0
    # bertil's coding counts for all coders everywhere
    assert _cli_cell(path, "Aneby", "ff_forankring") == 1
    assert int(at.dataframe[0].value.loc["Aneby", "ff_forankring"]) == 1


def test_consensus_counts_when_asked_for_by_name(consensus_only):
    path = consensus_only
    assert _cli_cell(path, "Aneby", "hi_ensam", "--coder", CONSENSUS) == 1
    with Project.open(path) as p:
        assert int(build_matrix(p.store, MatrixSpec(measure="presence", coders=(CONSENSUS,)))
                   .table.loc["Aneby", "hi_ensam"]) == 1
        assert [s["position"] for s in cell_segments(p.store, "Aneby", "hi_ensam", coders=[CONSENSUS])] == [3]
    at = open_app("anna", page=MATRIX_PAGE)
    at.selectbox(key="qc_mx_measure").select("presence")
    at.selectbox(key="qc_mx_coders").select(CONSENSUS)
    at = run(at)
    assert int(at.dataframe[0].value.loc["Aneby", "hi_ensam"]) == 1


def test_a_project_coded_only_by_consensus_has_an_empty_all_coders_matrix(tmp_path):
    path = make_project(tmp_path / "study.qcode")
    with Project.open(path) as p:
        sid = p.store.segment_id(p.transcript_id("eksjo_chef.txt"), 2)
        decide(p.store, sid, ["ff_natverk"], decided_by="anna")
        p.store.conn.execute("DELETE FROM coders WHERE name != ?", (CONSENSUS,))  # no human coder at all
        assert p.store.coders() == [CONSENSUS]
        assert MatrixSpec().coders_for(p.store) == []
        m = build_matrix(p.store, MatrixSpec(rows="kommun", measure="count"))
        assert int(m.table.to_numpy().sum()) == 0 and list(m.table.index) == ["Aneby", "Eksjö"]
        only = build_matrix(p.store, MatrixSpec(rows="kommun", coders=(CONSENSUS,)))
        assert int(only.table.loc["Eksjö", "ff_natverk"]) == 1


# ---------------------------------------------------------- one set of defaults

def test_defaults_are_declared_once_and_readable():
    assert MatrixSpec.defaults() == {"rows": None, "measure": "count", "coders": None, "level": "code",
                                     "where": (), "under": (), "language": "sv", "margins": False}
    assert MatrixSpec().get_params() == MatrixSpec.defaults()
    d = AgreementSpec.defaults()
    assert (d["statistics"], d["unit"], d["level"], d["n_boot"], d["require_all_done"]) == (
        ("alpha",), "segment", "code", 1000, True)
    # the CLI's defaults are the spec's defaults
    assert matrix_spec() == MatrixSpec()
    assert agreement_spec("anna,erik") == AgreementSpec(coders=("anna", "erik"))


def test_specs_normalise_their_input():
    a = MatrixSpec(coders="anna, erik", where={"roll": ["SE-coach", "Chef"], "fas": "inledande"}, under=["impl"],
                   level="1")
    b = MatrixSpec(coders=["anna", "erik"], where=["fas=inledande", "roll=Chef", "roll=SE-coach"],
                   under=("impl",), level=1)
    assert a == b and hash(a) == hash(b)
    assert a.where == (("fas", ("inledande",)), ("roll", ("Chef", "SE-coach")))
    assert MatrixSpec(coders=[]).coders is None and MatrixSpec(rows="").rows is None
    s = AgreementSpec(coders=["anna", "erik"], statistics=["percent", "alpha", "percent"], by="code",
                      unit="segment", case_attribute="kommun")
    assert s.statistics == ("percent", "alpha") and s.by is None and s.case_attribute is None
    assert AgreementSpec(coders="a,b,c", statistics="all").statistics == ("alpha", "fleiss", "percent", "positive",
                                                                         "ac1", "bp")


@pytest.mark.parametrize("make, message", [
    (lambda: MatrixSpec(measure="mean"), "unknown measure 'mean'"),
    (lambda: MatrixSpec(level="leaf"), "unknown level 'leaf'"),
    (lambda: MatrixSpec(level=-1), "a depth is 0 or more"),
    (lambda: MatrixSpec(where=["roll"]), "not of the form ATTRIBUTE=VALUE"),
    (lambda: MatrixSpec(language="de"), "unknown language 'de'"),
    (lambda: AgreementSpec(coders="anna"), "at least 2 coders"),
    (lambda: AgreementSpec(coders="anna,anna"), "given twice"),
    (lambda: AgreementSpec(coders="a,b,c", statistics="kappa"), "exactly 2 coders"),
    (lambda: AgreementSpec(coders="a,b", statistics="tau"), "unknown statistic 'tau'"),
    (lambda: AgreementSpec(coders="a,b", level=1), "level must be one of code, category"),
    (lambda: AgreementSpec(coders="a,b", unit="sentence"), "unit must be one of segment, case"),
    (lambda: AgreementSpec(coders="a,b", n_boot=0), "at least 1"),
    (lambda: AgreementSpec(coders="a,b", ci_level=95), "between 0 and 1"),
])
def test_specs_refuse_bad_options_with_a_clear_message(make, message):
    with pytest.raises(QcodeError, match=message):
        make()


def test_validated_checks_against_the_project(demo):
    with Project.open(demo) as p:
        assert MatrixSpec().validated(p.store).rows == "kommun"
        with pytest.raises(QcodeError, match="no coder named 'zoe'"):
            MatrixSpec(coders="zoe").validated(p.store)
        assert AgreementSpec(coders="anna,erik", unit="case").validated(p.store).case_attribute == "kommun"
        with pytest.raises(QcodeError, match="no transcript has the attribute 'lan'"):
            AgreementSpec(coders="anna,erik", unit="case", case_attribute="lan").validated(p.store)
        with pytest.raises(QcodeError, match="no coder named 'zoe'"):
            AgreementSpec(coders="anna,zoe").validated(p.store)


def test_keyword_forms_and_specs_give_the_same_tables(demo):
    from coding.agreement_design import agreement, agreement_by_code

    with Project.open(demo) as p:
        spec = MatrixSpec(rows="roll", measure="transcripts", coders=("anna",), level="category",
                          where=(("roll", ("Chef",)),))
        assert build_matrix(p.store, spec).table.equals(
            build_matrix(p.store, "roll", "transcripts", coders=["anna"], level="category", where=["roll=Chef"])
            .table)
        a = AgreementSpec(coders=("anna", "erik"), statistics=("alpha", "percent"), by="kommun")
        assert agreement(p.store, a).equals(agreement(p.store, "anna,erik", statistics=["alpha", "percent"],
                                                      by="kommun"))
        assert agreement_by_code(p.store, spec=a).equals(agreement_by_code(p.store, a))
        with pytest.raises(TypeError, match="unknown option"):
            agreement(p.store, "anna,erik", bootstraps=5)
        with pytest.raises(TypeError, match="either a spec"):
            agreement(p.store, a, by="kommun")


# ------------------------------------------- the CLI and the app build equal specs

def test_the_cli_and_the_matrix_page_build_equal_specs(demo, monkeypatch):
    built: list[MatrixSpec] = []
    original = pm.build

    def spy(store, spec, measure=None):
        built.append(spec)
        return original(store, spec, measure)

    monkeypatch.setattr(pm, "build", spy)
    at = open_app("anna", page=MATRIX_PAGE)
    assert built[-1] == matrix_spec(rows="kommun")
    at.selectbox(key="qc_mx_rows").select("roll")
    at.selectbox(key="qc_mx_measure").select("share")
    at.selectbox(key="qc_mx_coders").select("erik")
    at.segmented_control(key="qc_mx_level").set_value("category")
    at.multiselect(key="qc_mx_where_roll").select("Chef")
    at.multiselect(key="qc_mx_under").select("impl")
    at.toggle(key="qc_mx_margins").set_value(True)
    at = run(at)
    assert built[-1] == matrix_spec(measure="share", rows="roll", coder=("erik",), level="category",
                                    where=("roll=Chef",), under=("impl",), margins=True)
    en = open_app("anna", page=MATRIX_PAGE, lang="en")
    assert en and built[-1] == matrix_spec(rows="kommun", language="en")


def test_the_cli_and_the_agreement_page_build_equal_specs(demo, monkeypatch):
    built: list[AgreementSpec] = []
    original = pa_page.agreement_table

    def spy(store, spec):
        built.append(spec)
        return original(store, spec)

    monkeypatch.setattr(pa_page, "agreement_table", spy)
    pa_page._cached_table.clear()
    at = open_app("anna", page=AGREEMENT_PAGE)
    assert built[-1] == agreement_spec("anna,erik").replace(statistics=pa_page.DEFAULT_STATISTICS)
    at.multiselect(key="qc_ag_stats").set_value(["alpha"])
    at.selectbox(key="qc_ag_scope").select("kommun")
    at.segmented_control(key="qc_ag_level").set_value("category")
    at.segmented_control(key="qc_ag_unit").set_value("case")
    at = run(at)
    assert built[-1] == agreement_spec("anna,erik", "alpha", by="kommun", level="category", unit="case",
                                       case_attribute="kommun")


def test_the_constants_the_widgets_use_come_from_the_specs():
    from coding import matrix

    assert matrix.MEASURES is MEASURES and pm.MEASURES is MEASURES
    assert CODE_LEVELS == ("code", "category") and AGREEMENT_UNITS == ("segment", "case")
    assert math.isclose(AgreementSpec(coders="a,b").ci_level, 0.95)
