"""What `lint-imports` cannot see: no app reaches into another's private names (a leading
underscore), neither by importing them nor through a module it imported."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ["lib", "casework", "workflows", "fund", "escalation", "notifications", "demo", "config"]


def _sources():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield app, path


# Underscored by Django, yet its public API (the model's options).
DJANGO_API = {"_meta"}


def _is_private(name):
    return name.startswith("_") and not name.startswith("__") and name not in DJANGO_API


def _foreign_private_uses(app, tree):
    """(line, name) of every private name of another app that this module uses."""
    modules = {}  # local name -> the other app's module it stands for
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            owner = node.module.split(".")[0]
            if owner == app or owner not in APPS:
                continue
            for alias in node.names:
                if _is_private(alias.name):
                    yield node.lineno, f"{node.module}.{alias.name}"
                modules[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in APPS and alias.name.split(".")[0] != app:
                    modules[alias.asname or alias.name.split(".")[0]] = alias.name
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in modules
            and _is_private(node.attr)
        ):
            yield node.lineno, f"{modules[node.value.id]}.{node.attr}"


@pytest.mark.parametrize(("app", "path"), list(_sources()), ids=lambda v: str(v))
def test_no_private_name_of_another_app_is_used(app, path):
    uses = list(_foreign_private_uses(app, ast.parse(path.read_text(), str(path))))

    assert uses == []


def test_a_private_import_from_another_app_is_caught():
    tree = ast.parse("from casework.views import _render_case\n")

    assert list(_foreign_private_uses("escalation", tree)) == [(1, "casework.views._render_case")]


def test_a_private_attribute_of_another_apps_module_is_caught():
    tree = ast.parse("from casework import services\nservices._locked(1)\n")

    assert list(_foreign_private_uses("fund", tree)) == [(2, "casework.services._locked")]
