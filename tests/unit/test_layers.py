"""The layers point downward: ui -> kiosk -> devices -> drivers, kiosk -> offline_cache.

Checked on the source (every import, including the ones inside functions), so a shortcut such
as a screen reading the database directly fails here instead of in review."""

from __future__ import annotations

import ast
import functools
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGES = ("ui", "kiosk", "devices", "drivers", "offline_cache")

# package -> the project packages it must never import
FORBIDDEN = {
    "drivers": {"devices", "kiosk", "ui", "offline_cache"},
    "devices": {"kiosk", "ui", "offline_cache"},
    "offline_cache": {"kiosk", "ui", "devices", "drivers"},
    "kiosk": {"ui", "drivers"},
    "ui": {"drivers", "offline_cache"},
}
# Where a rule is knowingly wider: the CLI starts the GUI it belongs to; the developer tools
# run the device emulators (the other end of the wire) for the demo and for technicians.
ALLOWED = {
    ("kiosk/cli/", "ui"),
    ("kiosk/devtools/", "drivers"),
}
QT_GUI = ("PySide6.QtWidgets", "PySide6.QtQuick", "PySide6.QtQml", "PySide6.QtGui")


def imports(path: Path) -> list[tuple[int, str]]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.append((node.lineno, node.module))
    return out


@pytest.mark.parametrize("package", PACKAGES)
def test_no_import_points_upward_or_skips_to_storage(package: str) -> None:
    bad = []
    for path in sorted((REPO / package).rglob("*.py")):
        rel = path.relative_to(REPO).as_posix()
        for line, module in imports(path):
            top = module.split(".")[0]
            if top not in FORBIDDEN[package]:
                continue
            if any(rel.startswith(prefix) and top == target for prefix, target in ALLOWED):
                continue
            bad.append(f"{rel}:{line}: imports {module}")
    assert bad == []


@pytest.mark.parametrize("package", [p for p in PACKAGES if p != "ui"])
def test_no_qt_gui_outside_ui(package: str) -> None:
    bad = [
        f"{path.relative_to(REPO)}:{line}: {module}"
        for path in sorted((REPO / package).rglob("*.py"))
        for line, module in imports(path)
        if module.startswith(QT_GUI)
    ]
    assert bad == []


# -- the far end of the wire stays a tool -------------------------------------------------------
# The reference platform and the emulators play the other side of a wire. The kiosk must run
# without them: only the tools themselves, the command line and the demo (which starts them) may
# import them.
DEVTOOLS_USERS = ("kiosk.devtools", "kiosk.cli", "kiosk.demo", "kiosk.hall.demo", "ui.sample_data")
"""``kiosk.hall.demo`` is ``kiosk demo hall`` (its broker is a demo child like the platform).
``ui.sample_data`` is the screenshots' and layout check's data (the reference platform's demo
hall and catalog); the running kiosk never loads it (``test_the_running_kiosk_never_loads_...``)."""


def _within(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def test_only_the_tools_the_cli_and_the_demo_import_the_devtools() -> None:
    bad = sorted(
        f"{module} imports {target}"
        for module, targets in import_graph(REPO).items()
        if not _within(module, DEVTOOLS_USERS)
        for target in targets
        if _within(target, ("kiosk.devtools",))
    )
    assert bad == []


def test_the_running_kiosk_never_loads_the_devtools() -> None:
    """The UI, the bridge and the CLI entry load no dev tool (the reference platform, emulators)
    until a dev-tool command or a screenshot sample asks for one."""
    code = (
        "import sys\n"
        "import kiosk.cli, kiosk.app, ui.app, ui.bridge, ui.screens\n"
        "print(sorted(m for m in sys.modules if m.startswith('kiosk.devtools')))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_the_reference_platform_lives_with_the_devtools() -> None:
    assert (REPO / "kiosk/devtools/refplatform/server.py").is_file()
    assert not (REPO / "kiosk/refplatform").exists()


# -- the UI asks the core's façade; it does not read the database or anyone's internals --------
SQL = re.compile(
    r"\b(SELECT\b.+\bFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+TABLE)\b", re.I | re.S
)


def _tree(path: Path) -> ast.AST:
    return ast.parse(path.read_text(encoding="utf-8"))


def sql_in(path: Path) -> list[str]:
    """String literals that are SQL, and ``.execute(...)`` calls (a query however it is spelt)."""
    out = []
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.search(node.value):
            out.append(f"{node.lineno}: SQL {node.value[:40]!r}")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("execute", "executemany", "executescript")
        ):
            out.append(f"{node.lineno}: .{node.func.attr}(...)")
    return out


def private_access_in(path: Path) -> list[str]:
    """``x._name`` where ``x`` is not ``self``/``cls``: reaching into another object's internals
    (``q._lock``). A module's own private names and dunders are fine."""
    out = []
    for node in ast.walk(_tree(path)):
        if not isinstance(node, ast.Attribute):
            continue
        name = node.attr
        if not name.startswith("_") or (name.startswith("__") and name.endswith("__")):
            continue
        if isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"):
            continue
        out.append(f"{node.lineno}: .{name}")
    return out


def string_service_lookups_in(path: Path) -> list[str]:
    """``services["queue"]`` / ``services.get("queue")``: the services are typed attributes."""
    out = []
    for node in ast.walk(_tree(path)):
        target: ast.AST | None = None
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
            target = node.value
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("get", "pop", "setdefault")
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            target = node.func.value
        name = (
            target.attr
            if isinstance(target, ast.Attribute)
            else target.id
            if isinstance(target, ast.Name)
            else ""
        )
        if name in ("services", "_services"):
            out.append(f"{node.lineno}: string lookup of a service")
    return out


def _py(*packages: str) -> list[Path]:
    return sorted(p for pkg in packages for p in (REPO / pkg).rglob("*.py"))


def test_the_ui_runs_no_sql() -> None:
    bad = [f"{p.relative_to(REPO)}:{hit}" for p in _py("ui") for hit in sql_in(p)]
    assert bad == []


def test_the_ui_reads_no_private_attributes_of_other_objects() -> None:
    bad = [f"{p.relative_to(REPO)}:{hit}" for p in _py("ui") for hit in private_access_in(p)]
    assert bad == []


def test_no_service_is_looked_up_by_name() -> None:
    bad = [
        f"{p.relative_to(REPO)}:{hit}"
        for p in _py(*PACKAGES, "tests")
        for hit in string_service_lookups_in(p)
    ]
    assert bad == []


def test_the_checks_catch_what_they_are_for(tmp_path: Path) -> None:
    """Each check above finds its shortcut in a sample (so an empty result means something)."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def f(q, conn, app):\n"
        "    with q._lock:\n"
        "        conn.execute('SELECT id, type FROM outbox')\n"
        "    return app.services['queue'], app.services.get('store')\n",
        encoding="utf-8",
    )
    assert [h.split(":")[1].strip() for h in private_access_in(sample)] == ["._lock"]
    assert len(sql_in(sample)) == 2
    assert len(string_service_lookups_in(sample)) == 2


# -- mypy: strict below the UI, no explicit Any at the façade ------------------------------------
FACADE = ("kiosk.facade", "kiosk.services", "kiosk.hall_queue")
LOOSENING = {"strict": False, "ignore_errors": True, "implicit_reexport": True, "check_untyped_defs": False,
             "disallow_any_generics": False, "disallow_untyped_calls": False, "disallow_untyped_defs": False,
             "disallow_incomplete_defs": False, "disallow_untyped_decorators": False,
             "disallow_subclassing_any": False, "warn_return_any": False, "extra_checks": False,
             "strict_equality": False, "disallow_any_explicit": False}  # fmt: skip


def test_mypy_is_strict_below_the_ui_and_the_facade_takes_no_explicit_any() -> None:
    mypy = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    assert mypy.get("strict") is True
    loosened = [
        (module, key)
        for override in mypy.get("overrides", [])
        for module in ([override["module"]] if isinstance(override["module"], str) else override["module"])
        for key, value in override.items()
        if LOOSENING.get(key, not value) == value and not module.startswith("ui.")
    ]
    assert loosened == []
    no_any = {
        module
        for override in mypy.get("overrides", [])
        if override.get("disallow_any_explicit") is True
        for module in override["module"]
    }
    assert set(FACADE) <= no_any


# -- no import circle ---------------------------------------------------------------------------
@functools.cache
def import_graph(root: Path) -> dict[str, set[str]]:
    """Module -> the project modules it imports (every import: top level, in functions, under
    ``TYPE_CHECKING``; ``from pkg import name`` counts as ``pkg.name`` when that is a module).
    Built once per root (cached): the callers only read it."""
    mods: dict[str, Path] = {}
    for pkg in PACKAGES:
        for path in (root / pkg).rglob("*.py"):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            mods[".".join(parts)] = path
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for mod, path in mods.items():
        is_pkg = path.name == "__init__.py"
        for node in ast.walk(_tree(path)):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    pkg = mod if is_pkg else mod.rsplit(".", 1)[0]
                    for _ in range(node.level - 1):
                        pkg = pkg.rsplit(".", 1)[0]
                    base = f"{pkg}.{base}" if base else pkg
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in mods else base for a in node.names]
            for t in targets:
                while t and t not in mods:
                    t = t.rsplit(".", 1)[0] if "." in t else ""
                if t and t != mod:
                    graph[mod].add(t)
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = 0
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            v, children = work[-1]
            for w in children:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(sorted(graph[w]))))
                    break
                if w in on_stack:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    group = []
                    while True:
                        w = stack.pop()
                        on_stack.discard(w)
                        group.append(w)
                        if w == v:
                            break
                    if len(group) > 1:
                        out.append(sorted(group))
    return out


def test_no_import_circle_in_the_package() -> None:
    assert circles(import_graph(REPO)) == []


def test_the_circle_check_finds_a_circle() -> None:
    graph = {"kiosk.app": {"kiosk.wiring.ops"}, "kiosk.wiring.ops": {"kiosk.ops.vitals"},
             "kiosk.ops.vitals": {"kiosk.app"}, "kiosk.paths": set()}  # fmt: skip
    assert circles(graph) == [["kiosk.app", "kiosk.ops.vitals", "kiosk.wiring.ops"]]
