"""The run diff handler: `netcomply diff [RUN_A [RUN_B]]` (default: the last two runs of the latest inventory)."""

from __future__ import annotations

import json

import click

from scanner.cli import ScanAbort
from scanner.cli._store import open_store
from scanner.cli.diff_handlers import DiffHandler, DiffRequest, register
from scanner.escaping import for_terminal
from scanner.store import Store, StoreError
from scanner.store.diff import diff_runs

_ALIASES = ("latest", "last", "previous", "prev")


def _claims(request: DiffRequest) -> bool:
    if not request.targets:
        return True
    if len(request.targets) > 2:
        return False
    if all(t in _ALIASES for t in request.targets):
        return True
    with open_store(request.options.get("db"), request.options.get("policy_path")) as store:
        return all(t in _ALIASES or store.has_run(t) for t in request.targets)


def _pick(store: Store, targets: tuple[str, ...]) -> tuple[str, str]:
    if len(targets) == 2:
        return store.resolve(targets[0]), store.resolve(targets[1])
    new = store.resolve(targets[0]) if targets else store.resolve("latest")
    old = store.previous(new)
    if old is None:
        raise StoreError(f"run {new} is the first of its inventory: nothing to compare it with")
    return old, new


def _run(request: DiffRequest) -> int:
    with open_store(request.options.get("db"), request.options.get("policy_path")) as store:
        try:
            old_id, new_id = _pick(store, request.targets)
            diff = diff_runs(store.load(old_id), store.load(new_id))
        except StoreError as exc:
            raise ScanAbort(str(exc)) from None
    if request.options.get("as_json"):
        click.echo(json.dumps(diff.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(for_terminal(diff.summary_text()), nl=False)
    return 1 if diff.changed else 0


register(
    DiffHandler(
        name="runs",
        usage="[RUN_A [RUN_B]]: two stored runs (ids, prefixes, latest, previous); one run: it and the run "
        "before it; none: the last two runs",
        claims=_claims,
        run=_run,
    )
)
