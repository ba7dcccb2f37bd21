"""Under CI a skipped test is a failed one: CI installs every tool the tests use and starts every service.

A live test (the lab over SSH, the SNMP agents, PostgreSQL, the browser, the sshd test
hosts) skips on a developer's machine that lacks its tool, saying why; under CI
(environment variable ``CI`` set, as ``.ci/run`` and every CI service do) that skip
would let a run pass with the test never run, so it is turned into a failure with the
same reason. Only a skip declared expected on a clean clone (:func:`allow_skip_in_ci`:
the shared corpus, which lives outside the repository) stays a skip.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

_ALLOWED = "skip_allowed_in_ci"


def allow_skip_in_ci(node: pytest.Item, why: str) -> None:
    """Mark ``node``'s coming skip as expected under CI too (data a clean clone does not have)."""
    node.user_properties.append((_ALLOWED, why))


def under_ci() -> bool:
    return bool(os.environ.get("CI", "").strip())


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if not report.skipped or not under_ci() or hasattr(report, "wasxfail"):
        return
    if any(name == _ALLOWED for name, _ in item.user_properties):
        return
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    report.outcome = "failed"
    report.longrepr = f"skipped under CI, where every test must run (CI installs what it needs): {reason}"
