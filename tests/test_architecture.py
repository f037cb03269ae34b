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


# Below the entry points (the app, the commands, the routes) settings are passed in.
BELOW_THE_ENTRY_POINTS = ("services", "domain", "classifier", "ingest", "reports", "charts")
GLOBAL_SETTINGS = {"get_settings", "settings_from_env"}
ENVIRONMENT = {"environ", "environb", "getenv", "getenvb", "putenv", "unsetenv"}


def _reads_settings_or_environment(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Name) and node.id in GLOBAL_SETTINGS:
            found.append(node.id)
        elif isinstance(node, ast.Attribute) and node.attr in GLOBAL_SETTINGS | ENVIRONMENT:
            found.append(node.attr)
        elif isinstance(node, ast.ImportFrom) and node.module in ("os", "qa_app.settings"):
            found += [a.name for a in node.names if a.name in GLOBAL_SETTINGS | ENVIRONMENT]
    return found


def test_services_and_domain_neither_read_the_environment_nor_fetch_settings():
    offenders = [
        f"{path.relative_to(PROJECT_ROOT)}: {name}"
        for folder in BELOW_THE_ENTRY_POINTS
        for path in sorted((PACKAGE / folder).rglob("*.py"))
        for name in _reads_settings_or_environment(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_settings_check_sees_each_way_of_reading_them():
    source = (
        "import os\n"
        "from os import getenv\n"
        "from qa_app import settings\n"
        "from qa_app.settings import get_settings\n"
        "a = os.environ.get('QA_DEMO')\n"
        "b = settings.get_settings()\n"
    )
    assert sorted(_reads_settings_or_environment(source)) == [
        "environ",
        "get_settings",
        "get_settings",
        "getenv",
    ]


def test_every_setting_is_documented_in_the_readme():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`(QA_[A-Z_]+)`", readme))
    missing = {f"QA_{f.name.upper()}" for f in fields(Settings)} - documented
    assert missing == set()
