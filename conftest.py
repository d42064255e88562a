"""pytest at the top of the repository: the docstring examples in coding/ get a demo project.

``project`` (a :class:`coding.Project`) and ``store`` (its store) are a fresh copy of the demo
project for every example, so examples may change it.
"""

from __future__ import annotations

import shutil

import pytest


@pytest.fixture(scope="session")
def _demo_file(tmp_path_factory):
    from coding import Project

    path = tmp_path_factory.mktemp("doctest-demo") / "demo.qcode"
    Project.demo(path).close()
    return path


@pytest.fixture(autouse=True)
def _doctest_demo(request, doctest_namespace, tmp_path, monkeypatch):
    if not isinstance(request.node, pytest.DoctestItem):
        yield
        return
    from coding import Project

    path = tmp_path / "demo.qcode"
    shutil.copyfile(request.getfixturevalue("_demo_file"), path)
    monkeypatch.chdir(request.config.rootpath)
    project = Project.open(path)
    doctest_namespace["project"] = project
    doctest_namespace["store"] = project.store
    yield
    project.close()
