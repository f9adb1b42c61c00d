"""Dependencies run one way: views -> services -> models; forms serve views; shared widgets live in webapp/forms.py."""

from __future__ import annotations

import ast
from pathlib import Path

import webapp

PACKAGE = Path(webapp.__file__).parent


def _name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


SOURCES = {_name(path): path.read_text(encoding="utf-8") for path in sorted(PACKAGE.rglob("*.py"))}
# A view module is one that makes a blueprint: views.py, and the staff inbox and API token pages.
VIEWS = {name for name, source in SOURCES.items() if "Blueprint(" in source}
FORMS = {name for name in SOURCES if name.endswith(".forms")}
FEATURE_FORMS = FORMS - {"webapp.forms"}
SERVICES = {name for name in SOURCES if name.endswith(".services")}
APP_FACTORY = "webapp"


def _feature(module: str) -> str:
    return module.split(".")[1] if module.count(".") >= 2 else module


def imports(module: str) -> set[str]:
    """Every webapp module that `module` imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(SOURCES[module])):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found |= {f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in SOURCES else node.module for alias in node.names}
    return {name for name in found if name in SOURCES}


def test_the_checks_see_the_whole_package():
    assert {"webapp.entries.views", "webapp.entries.inbox", "webapp.api.manage"} <= VIEWS
    assert {"webapp.staff.forms", "webapp.forms"} <= FORMS and "webapp.plans.services" in SERVICES
    assert "webapp.entries.services" in imports("webapp.entries.views")


def test_services_never_import_forms_or_views():
    wrong = {(module, used) for module in SERVICES for used in imports(module) & (FORMS | VIEWS)}
    assert wrong == set()


def test_nothing_below_the_views_imports_a_view_or_a_features_form():
    below = set(SOURCES) - VIEWS - FORMS - {APP_FACTORY}
    wrong = {(module, used) for module in below for used in imports(module) & (VIEWS | FEATURE_FORMS)}
    assert wrong == set()


def test_no_view_module_imports_another():
    wrong = {(module, used) for module in VIEWS for used in imports(module) & VIEWS if used != module}
    assert wrong == set()


def test_a_features_forms_take_shared_widgets_from_webapp_forms_not_from_another_feature():
    wrong = {
        (module, used)
        for module in FORMS | VIEWS
        for used in imports(module) & FEATURE_FORMS
        if _feature(used) != _feature(module)
    }
    assert wrong == set()
