"""The services read from their code. The role × action matrix: every public service
function that takes an ``actor``, with the actions it checks through ``require`` or
``if not allowed(...)`` — in its own body, in the module's private helpers it calls, or in
the other service functions it calls. The write paths: which public functions change the
database, and whether an event-log event is recorded on the way."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from qa_app.services.access import ROLES, Action, roles_for
from qa_app.settings import PROJECT_ROOT

SERVICES = PROJECT_ROOT / "qa_app" / "services"
CHECKS = {"require", "allowed", "sees_all"}
# The permission table itself and the log's writer (called by services after their check).
NOT_SERVICES = {"access", "event_log.record"}
# Functions that pass each call on to one of several services, by what is being saved.
DISPATCHERS = {"typed_text.save_typed"}


@dataclass(frozen=True)
class ServiceFunction:
    name: str  # module.function
    actions: frozenset[Action]

    def roles(self) -> frozenset[str]:
        """The roles that pass every check the function makes (any one of them, for a
        function that hands each call to one of several services)."""
        if self.name in DISPATCHERS:
            return frozenset().union(*(roles_for(action) for action in self.actions))
        allowed = frozenset(ROLES)
        for action in self.actions:
            allowed &= roles_for(action)
        return allowed


def _functions(path: Path) -> tuple[dict[str, ast.FunctionDef], dict[str, str]]:
    """The module's top-level functions, and the service functions it imports by name
    (local name → module.function) or as modules (local name → module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    functions = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
    imported = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "qa_app.services":
            for alias in node.names:
                imported[alias.asname or alias.name] = alias.name
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
            "qa_app.services."
        ):
            module = node.module.rsplit(".", 1)[1]
            for alias in node.names:
                imported[alias.asname or alias.name] = f"{module}.{alias.name}"
    return functions, imported


def _gates(node: ast.AST) -> set[int]:
    """The checks that refuse: every ``require``, and ``allowed`` as in ``if not allowed(...)``
    (an ``allowed`` or ``sees_all`` elsewhere only narrows what is shown)."""
    gates = set()
    for inner in ast.walk(node):
        if (
            isinstance(inner, ast.Call)
            and isinstance(inner.func, ast.Name)
            and inner.func.id == "require"
        ):
            gates.add(id(inner))
        if (
            isinstance(inner, ast.If)
            and isinstance(inner.test, ast.UnaryOp)
            and isinstance(inner.test.op, ast.Not)
        ):
            gates.add(id(inner.test.operand))
    return gates


WRITES = {"add", "add_all", "delete", "merge"}
STATEMENTS = {"insert", "update", "delete"}


def writes(node: ast.AST) -> bool:
    """Whether the function's own body changes the database: ``session.add`` and friends,
    an insert, update or delete statement, or a value set on a loaded row."""
    for inner in ast.walk(node):
        if isinstance(inner, ast.Call):
            target = inner.func
            if (
                isinstance(target, ast.Attribute)
                and target.attr in WRITES
                and getattr(target.value, "id", "") == "session"
            ):
                return True
            if isinstance(target, ast.Name) and target.id in STATEMENTS:
                return True
        if isinstance(inner, (ast.Assign, ast.AugAssign)):
            targets = inner.targets if isinstance(inner, ast.Assign) else [inner.target]
            if any(
                isinstance(t, ast.Attribute) and getattr(t.value, "id", "self") != "self"
                for t in targets
            ):
                return True
    return False


def records(node: ast.AST) -> bool:
    return any(
        isinstance(inner, ast.Call)
        and isinstance(inner.func, ast.Attribute)
        and inner.func.attr == "record"
        and getattr(inner.func.value, "id", "") == "event_log"
        for inner in ast.walk(node)
    )


def _calls_and_actions(
    node: ast.AST, module: str, functions, imported
) -> tuple[set[str], set[Action]]:
    calls, actions = set(), set()
    gates = _gates(node)
    for inner in ast.walk(node):
        if isinstance(inner, ast.Call):
            target = inner.func
            if isinstance(target, ast.Name):
                if target.id in CHECKS:
                    if id(inner) in gates:
                        actions |= {
                            Action[arg.attr]
                            for arg in inner.args
                            if isinstance(arg, ast.Attribute)
                            and isinstance(arg.value, ast.Name)
                            and arg.value.id == "Action"
                        }
                elif target.id in functions:
                    calls.add(f"{module}.{target.id}")
                elif "." in imported.get(target.id, ""):
                    calls.add(imported[target.id])
            elif (
                isinstance(target, ast.Attribute)
                and isinstance(target.value, ast.Name)
                and "." not in imported.get(target.value.id, ".")
            ):
                calls.add(f"{imported[target.value.id]}.{target.attr}")
    return calls, actions


def service_functions() -> list[ServiceFunction]:
    graph: dict[str, tuple[set[str], set[Action]]] = {}
    public = []
    for path in sorted(SERVICES.glob("*.py")):
        module = path.stem
        if module in NOT_SERVICES:
            continue
        functions, imported = _functions(path)
        for name, node in functions.items():
            graph[f"{module}.{name}"] = _calls_and_actions(node, module, functions, imported)
            arguments = [
                a.arg for a in node.args.posonlyargs + node.args.args + node.args.kwonlyargs
            ]
            if (
                not name.startswith("_")
                and "actor" in arguments
                and f"{module}.{name}" not in NOT_SERVICES
            ):
                public.append(f"{module}.{name}")

    def reached(name: str) -> set[Action]:
        seen, todo, actions = set(), [name], set()
        while todo:
            current = todo.pop()
            if current in seen or current not in graph:
                continue
            seen.add(current)
            calls, found = graph[current]
            actions |= found
            todo.extend(calls)
        return actions

    return [ServiceFunction(name, frozenset(reached(name))) for name in public]


def matrix() -> dict[str, dict[str, bool]]:
    """function → role → whether the role passes its checks."""
    return {f.name: {role: role in f.roles() for role in ROLES} for f in service_functions()}


def write_paths(not_counted: set[str] = frozenset()) -> dict[str, tuple[bool, bool]]:
    """Every service function → (whether it or what it calls changes the database, not
    counting the writes of the functions in ``not_counted`` (``module.*``: all of the
    module's); whether it or what it calls
    records an event-log event)."""
    graph: dict[str, tuple[set[str], bool, bool]] = {}
    public = []
    for path in sorted(SERVICES.glob("*.py")):
        module = path.stem
        functions, imported = _functions(path)
        for name, node in functions.items():
            calls, _ = _calls_and_actions(node, module, functions, imported)
            graph[f"{module}.{name}"] = (calls, writes(node), records(node))
            public.append(f"{module}.{name}")

    def closure(name: str) -> tuple[bool, bool]:
        seen, todo, wrote, logged = set(), [name], False, False
        while todo:
            current = todo.pop()
            if current in seen or current not in graph:
                continue
            seen.add(current)
            calls, w, r = graph[current]
            counted = current not in not_counted and f"{current.split('.')[0]}.*" not in not_counted
            wrote, logged = wrote or (w and counted), logged or r
            todo.extend(calls)
        return wrote, logged

    return {name: closure(name) for name in public}
