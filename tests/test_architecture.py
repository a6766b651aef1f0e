"""The structure the README describes, checked: import direction, no import circles, module size.

Only module-level imports count (an import inside a function runs later, e.g. a task loading
its service, and cannot form a circle at start-up); `if TYPE_CHECKING:` blocks are skipped.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("portal", "needs", "offers", "matching")
MAX_LINES = 400


def _modules() -> dict[str, Path]:
    found = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _top_level_imports(module: str, path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    is_package = path.name == "__init__.py"
    targets: set[str] = set()

    def visit(statements):
        for node in statements:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue
            if isinstance(node, ast.If | ast.Try):
                visit(node.body)
                visit(getattr(node, "orelse", []))
                for handler in getattr(node, "handlers", []):
                    visit(handler.body)
            elif isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(module, is_package, node)
                for alias in node.names:  # `from pkg import submodule` needs the submodule
                    name = f"{base}.{alias.name}"
                    targets.add(name if name in MODULES else base)

    visit(tree.body)
    return {t for t in targets if t in MODULES and t != module}


GRAPH = {module: _top_level_imports(module, path) for module, path in MODULES.items()}


def test_needs_and_offers_never_import_matching_or_each_other():
    for module, path in MODULES.items():
        app = module.split(".")[0]
        if app not in ("needs", "offers"):
            continue
        text = path.read_text()
        forbidden = {"matching", "offers" if app == "needs" else "needs"}
        for name in forbidden:
            assert f"from {name}" not in text and f"import {name}" not in text, (module, name)


def test_the_import_graph_has_no_circles():
    state: dict[str, int] = {}
    stack: list[str] = []

    def walk(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for target in sorted(GRAPH[node]):
            if state.get(target) == 1:
                raise AssertionError(" → ".join(stack[stack.index(target):] + [target]))
            if target not in state:
                walk(target)
        stack.pop()
        state[node] = 2

    for module in sorted(GRAPH):
        if module not in state:
            walk(module)


def test_no_app_module_is_over_400_lines():
    long = {m: n for m, p in MODULES.items() if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert long == {}


def test_every_access_helper_is_called_the_same_way():
    """`<entity>_for_<audience>(*, user, pk)`: fetch and check in one keyword-only call."""
    import importlib
    import inspect

    helpers = {}
    for name in ("portal.access", "needs.selectors", "offers.selectors", "matching.selectors",
                 "matching.meetings.selectors"):
        module = importlib.import_module(name)
        for attr, function in vars(module).items():
            if (inspect.isfunction(function) and function.__module__ == name
                    and "_for_" in attr and "pk" in inspect.signature(function).parameters):
                helpers[f"{name}.{attr}"] = inspect.signature(function).parameters
    assert len(helpers) >= 10, sorted(helpers)
    for name, parameters in helpers.items():
        assert list(parameters) == ["user", "pk"], name
        assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters.values()), name


# Where the acting user and the viewer are spelled out: the domain modules, not views (which
# pass `request.user`), management commands or tests.
DOMAIN_MODULE_NAMES = ("services", "selectors", "access", "notices", "jobs", "uploads",
                       "importing", "interest", "learning", "slots", "outcome", "replies",
                       "counts")


def _domain_functions():
    for module, path in MODULES.items():
        parts = module.split(".")
        if "management" in parts or "views" in parts or not (
                set(parts) & set(DOMAIN_MODULE_NAMES)):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                yield module, node


def test_the_acting_user_is_a_keyword_only_typed_by():
    """`by: User` (keyword-only) wherever a service takes who acts; `by: User | None = None`
    only where a system actor is genuine, with the reason on the parameter's line."""
    wrong = []
    for module, node in _domain_functions():
        args = node.args
        positional = [a.arg for a in args.posonlyargs + args.args]
        if "by" in positional:
            wrong.append(f"{module}.{node.name}: `by` is positional")
        for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
            if arg.arg != "by":
                continue
            annotation = ast.unparse(arg.annotation) if arg.annotation else ""
            if annotation not in ("User", "User | None"):
                wrong.append(f"{module}.{node.name}: `by` is typed {annotation or 'nothing'}")
            if default is not None and annotation != "User | None":
                wrong.append(f"{module}.{node.name}: `by` defaults to a value but not None")
    assert wrong == []


def test_a_default_acting_user_says_why():
    """A `by: User | None = None` carries a comment on its line naming the system actor."""
    silent = []
    for module, node in _domain_functions():
        lines = MODULES[module].read_text().splitlines()
        for arg, default in zip(node.args.kwonlyargs, node.args.kw_defaults, strict=True):
            if arg.arg == "by" and default is not None and "#" not in lines[arg.lineno - 1]:
                silent.append(f"{module}.{node.name}")
    assert silent == []


def test_selectors_take_the_viewer_as_a_keyword():
    """A selector's `user` (whose scope narrows what is read) is keyword-only, so leaving it
    out is an error instead of reading everything."""
    wrong = []
    for module, node in _domain_functions():
        if "selectors" not in module.split(".") or node.name.startswith("_"):
            continue
        positional = [a.arg for a in node.args.posonlyargs + node.args.args]
        if "user" in positional:
            wrong.append(f"{module}.{node.name}")
    assert wrong == []


def test_an_acting_user_that_is_taken_is_used():
    """A `by` nobody reads is a lie about what is recorded: record it or drop the parameter."""
    unused = []
    for module, node in _domain_functions():
        names = [a.arg for a in node.args.posonlyargs + node.args.args + node.args.kwonlyargs]
        if "by" in names and not any(isinstance(n, ast.Name) and n.id == "by"
                                     for statement in node.body for n in ast.walk(statement)):
            unused.append(f"{module}.{node.name}")
    assert unused == []


def test_needs_and_offers_do_not_reach_other_apps_through_meta():
    """`_meta.get_field(...).related_model` would hand `needs` a model of another app without
    an import the test above could see."""
    for module, path in MODULES.items():
        if module.split(".")[0] in ("needs", "offers"):
            assert "related_model" not in path.read_text(), module
