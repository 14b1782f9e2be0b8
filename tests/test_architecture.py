"""The import graph of `digestlint/`, read with `ast`: no cycles, and the core imports nothing of the edge.

Module-level imports (those under `if TYPE_CHECKING:` too) must form no cycle. The public API and
the pure core (`api`, `checker`, `fixer`) must not reach the command line, the runner, the reporters,
the cache or the process pool through any import, even one made inside a function.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import digestlint

PACKAGE = Path(digestlint.__file__).resolve().parent
CORE = ("digestlint.api", "digestlint.checker", "digestlint.fixer")
EDGE = ("digestlint.cli", "digestlint.runner", "digestlint.reporters", "digestlint.cache", "digestlint.parallel")


def _modules() -> dict[str, Path]:
    modules: dict[str, Path] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


MODULES = _modules()


def _module_level(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements run when the module is imported (or type-checked): not those inside functions or classes."""
    for node in body:
        yield node
        if isinstance(node, ast.If):
            yield from _module_level(node.body + node.orelse)
        elif isinstance(node, ast.Try):
            yield from _module_level(
                node.body + node.orelse + node.finalbody + [stmt for handler in node.handlers for stmt in handler.body]
            )


def _imports(name: str, *, nested: bool) -> set[str]:
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    nodes = ast.walk(tree) if nested else _module_level(tree.body)
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.module:
            assert node.level == 0, f"{name}: relative import"
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                found.add(submodule if submodule in MODULES else node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {module for module in found if module in MODULES and module != name}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph, as the modules along it, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for imported in sorted(graph[module]):
            if state.get(imported) == 1:
                return [*path[path.index(imported) :], imported]
            if imported not in state:
                found = visit(imported)
                if found:
                    return found
        path.pop()
        state[module] = 2
        return None

    for module in sorted(graph):
        if module not in state:
            found = visit(module)
            if found:
                return found
    return None


def test_the_package_is_found_from_its_own_location() -> None:
    assert "digestlint.api" in MODULES and "digestlint.cli" in MODULES and len(MODULES) > 20


def test_no_import_cycle_at_module_level() -> None:
    graph = {module: _imports(module, nested=False) for module in MODULES}
    cycle = _cycle(graph)
    assert cycle is None, " -> ".join(cycle or ())


def test_cycle_detection_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_the_core_reaches_nothing_of_the_edge() -> None:
    graph = {module: _imports(module, nested=True) for module in MODULES}
    for core in CORE:
        reached: dict[str, str] = {}  # module -> the module that imports it
        todo = [core]
        while todo:
            module = todo.pop()
            for imported in graph[module]:
                if imported not in reached and imported != core:
                    reached[imported] = module
                    todo.append(imported)
        for module, importer in reached.items():
            assert not module.startswith(EDGE), f"{core} reaches {module} (imported by {importer})"


def test_cli_and_export_do_not_import_each_other() -> None:
    """Not even inside a function (`export` is called by the CLI and returns what it has to say)."""
    assert "digestlint.cli" not in _imports("digestlint.export", nested=True)
