"""Rules of the house that code review alone would miss."""

from __future__ import annotations

import ast
import re
from dataclasses import fields

from qa_app.settings import PROJECT_ROOT, Settings

PACKAGE = PROJECT_ROOT / "qa_app"


def _imports(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_nothing_below_the_ui_imports_streamlit():
    offenders = [
        str(path.relative_to(PROJECT_ROOT))
        for path in PACKAGE.rglob("*.py")
        if "ui" not in path.relative_to(PACKAGE).parts[:1]
        and any(name == "streamlit" or name.startswith("streamlit.") for name in _imports(path))
    ]
    assert offenders == []


def test_domain_imports_nothing_of_ours_but_domain():
    offenders = [
        f"{path.name}: {name}"
        for path in (PACKAGE / "domain").rglob("*.py")
        for name in _imports(path)
        if name.startswith("qa_app.") and not name.startswith("qa_app.domain")
    ]
    assert offenders == []


def test_every_setting_is_documented_in_the_readme():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`(QA_[A-Z_]+)`", readme))
    missing = {f"QA_{f.name.upper()}" for f in fields(Settings)} - documented
    assert missing == set()
