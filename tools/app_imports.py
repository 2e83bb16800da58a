"""Print the import graph between Plantrack's apps.

Reads every ``.py`` file under ``plantrack/`` with ``ast`` (migrations excluded, tests excluded unless ``--tests``)
and prints:

1. the app→app edges, each with the number of import statements at module level and, separately, inside functions;
2. the app-level cycles (strongly connected components of more than one app), counting every import;
3. with ``--local``, every function-local import of another plantrack module, as ``file:line``.

An "app" is the first package under ``plantrack`` (``plantrack.reporting.services`` → ``reporting``); modules directly
in ``plantrack`` (``settings``, ``urls``) belong to the project and are shown as ``<project>``.

Run from the repository root: ``python tools/app_imports.py [--local] [--tests]``.
"""

import argparse
import ast
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "plantrack"
PROJECT = "<project>"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def app_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != PACKAGE:
        return None
    if len(parts) == 1:
        return PROJECT
    candidate = ROOT.joinpath(*parts[:2])
    return parts[1] if candidate.is_dir() else PROJECT


def resolve(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    """The absolute module named by a (possibly relative) ``from … import``."""
    if node.level == 0:
        return node.module or ""
    base = module.split(".")
    # In a package's __init__, "." is the package itself; in a module, "." is its package.
    drop = node.level - 1 if is_package else node.level
    base = base[: len(base) - drop] if drop else base
    return ".".join(base + ([node.module] if node.module else []))


class ImportVisitor(ast.NodeVisitor):
    """Collects (line, imported module, inside a function) for every import of a plantrack module."""

    def __init__(self, module: str, is_package: bool):
        self.module = module
        self.is_package = is_package
        self.depth = 0
        self.found: list[tuple[int, list[str], bool]] = []

    def visit_FunctionDef(self, node):
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Import(self, node):
        names = [a.name for a in node.names if a.name.split(".")[0] == PACKAGE]
        if names:
            self.found.append((node.lineno, names, self.depth > 0))

    def visit_ImportFrom(self, node):
        target = resolve(node, self.module, self.is_package)
        if target.split(".")[0] != PACKAGE:
            return
        # "from plantrack import reporting": each name is a module of the package.
        names = [f"{PACKAGE}.{a.name}" for a in node.names] if target == PACKAGE else [target]
        self.found.append((node.lineno, names, self.depth > 0))


def source_files(include_tests: bool) -> list[Path]:
    files = []
    for path in sorted((ROOT / PACKAGE).rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "migrations" in parts:
            continue
        if not include_tests and ("tests" in parts or path.name == "conftest.py"):
            continue
        files.append(path)
    return files


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm; returns the components of more than one node, each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    result: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                result.append(sorted(component))

    nodes = set(graph) | {n for targets in graph.values() for n in targets}
    for node in sorted(nodes):
        if node not in index:
            visit(node)
    return sorted(result)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--local", action="store_true", help="list function-local imports of plantrack modules"
    )
    parser.add_argument("--tests", action="store_true", help="include tests/ folders and conftest.py files")
    args = parser.parse_args(argv)

    top_level: Counter[tuple[str, str]] = Counter()
    local: Counter[tuple[str, str]] = Counter()
    local_sites: list[tuple[str, int, str]] = []
    for path in source_files(args.tests):
        module = module_name(path)
        source_app = app_of(module)
        visitor = ImportVisitor(module, path.name == "__init__.py")
        visitor.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        for line, targets, in_function in visitor.found:
            target_apps = {app_of(t) for t in targets} - {None}
            for target_app in target_apps:
                if target_app == source_app:
                    continue
                (local if in_function else top_level)[(source_app, target_app)] += 1
            if in_function:
                local_sites.extend((str(path.relative_to(ROOT)), line, t) for t in targets)

    edges = sorted(set(top_level) | set(local))
    print(f"App → app imports ({'with' if args.tests else 'without'} tests; module level + function-local)")
    for source, target in edges:
        extra = f" + {local[(source, target)]} local" if local[(source, target)] else ""
        print(f"  {source:<14} → {target:<14} {top_level[(source, target)]}{extra}")
    print(f"  {len(edges)} edges")

    graph: dict[str, set[str]] = {}
    for source, target in edges:
        graph.setdefault(source, set()).add(target)
    cycles = strongly_connected(graph)
    print()
    print("App-level cycles (groups of apps that import each other, directly or through others)")
    for component in cycles:
        pairs = [
            f"{a}↔{b}"
            for i, a in enumerate(component)
            for b in component[i + 1 :]
            if b in graph.get(a, ()) and a in graph.get(b, ())
        ]
        print(f"  {', '.join(component)}" + (f"   (mutual: {', '.join(pairs)})" if pairs else ""))
    if not cycles:
        print("  none")

    print()
    print(f"Function-local imports of plantrack modules: {len(local_sites)}")
    if args.local:
        for file, line, target in sorted(local_sites):
            print(f"  {file}:{line}  {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
