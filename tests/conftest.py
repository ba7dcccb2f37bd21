"""Shared test fixtures: the repository's paths, the shared corpus, running the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest_plugins = ["tests.browser", "tests.ci_skips"]

ROOT = Path(__file__).resolve().parents[1]
LAB = ROOT / "scanner" / "lab" / "network"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CORPUS = Path(os.environ.get("NETCOMPLY_CORPUS", ROOT.parent / "shared" / "corpus"))


@pytest.fixture(scope="session", autouse=True)
def _private_data_dir(tmp_path_factory: pytest.TempPathFactory):
    """Scans save runs to the user's data folder by default: point it at a temporary one for the tests."""
    saved = {k: os.environ.get(k) for k in ("XDG_DATA_HOME", "NETCOMPLY_DB")}
    os.environ["XDG_DATA_HOME"] = str(tmp_path_factory.mktemp("xdg-data"))
    os.environ.pop("NETCOMPLY_DB", None)
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture
def corpus(request: pytest.FixtureRequest) -> Path:
    """../shared/corpus (developers' public configs); absent in a user's clone, so tests skip (under CI too)."""
    if not CORPUS.is_dir():
        from tests.ci_skips import allow_skip_in_ci  # the plugin pytest_plugins loads (imported late: rewritten)

        allow_skip_in_ci(request.node, "the shared corpus lives outside the repository")
        pytest.skip(f"the shared corpus is not at {CORPUS} (only developers have it)")
    return CORPUS


@pytest.fixture(scope="session")
def lab() -> Path:
    return LAB


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 120):
    """Run `netcomply ARGS` as a user would, in a subprocess; returns the CompletedProcess."""
    full_env = dict(os.environ, NO_COLOR="1", COLUMNS="200")
    if env:
        full_env.update(env)
    return subprocess.run(
        [sys.executable, "-m", "scanner", *args],
        cwd=cwd or ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
