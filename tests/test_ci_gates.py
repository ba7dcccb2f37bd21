"""CI cannot pass with a test that never ran, nor with a system package that failed to install (issue 13, section 6)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

SKIPPING = """
import pytest

from tests.ci_skips import allow_skip_in_ci


def test_needs_the_browser():
    pytest.skip("Chromium is not installed")


@pytest.mark.skipif(True, reason="snmpsim is not installed")
def test_needs_the_snmp_lab():
    pass


def test_needs_the_corpus(request):
    allow_skip_in_ci(request.node, "data outside the repository")
    pytest.skip("the shared corpus is not here")


def test_runs():
    assert True
"""


def _pytest(tmp_path: Path, ci: str | None) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_skipping.py").write_text(SKIPPING)
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    if ci is not None:
        env["CI"] = ci
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "tests.ci_skips", "-q", "-rA", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_skips_are_skips_on_a_developers_machine(tmp_path: Path) -> None:
    proc = _pytest(tmp_path, ci=None)
    assert proc.returncode == 0, proc.stdout
    assert "1 passed, 3 skipped" in proc.stdout


@pytest.mark.parametrize("value", ["1", "true"])
def test_under_ci_a_skipped_live_test_fails_the_run(tmp_path: Path, value: str) -> None:
    proc = _pytest(tmp_path, ci=value)
    assert proc.returncode == 1, proc.stdout
    # A skip in the test body reports as failed, a skipif (decided at setup) as an error: both fail the run.
    assert "1 failed, 1 passed, 1 skipped, 1 error" in proc.stdout
    assert "skipped under CI, where every test must run" in proc.stdout
    assert "Chromium is not installed" in proc.stdout and "snmpsim is not installed" in proc.stdout


def test_the_ci_script_sets_ci() -> None:
    script = (ROOT / ".ci" / "run").read_text()
    assert 'export CI="${CI:-1}"' in script and script.rstrip().endswith("exec python3 dev.py test")


def _fake_tools(folder: Path, apt_status: int) -> None:
    """A Debian where nothing of the list is installed and apt-get fails (a mirror down, no network)."""
    folder.mkdir()
    (folder / "dpkg-query").write_text("#!/bin/sh\necho 'unknown ok not-installed'\nexit 1\n")
    (folder / "apt-get").write_text(f"#!/bin/sh\necho 'E: Unable to fetch some archives' >&2\nexit {apt_status}\n")
    for tool in ("dpkg-query", "apt-get"):
        (folder / tool).chmod(0o755)


def test_a_failed_system_package_install_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sys.path.insert(0, str(ROOT))
    try:
        import dev
    finally:
        sys.path.remove(str(ROOT))
    _fake_tools(tmp_path / "bin", apt_status=100)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(dev.os, "geteuid", lambda: 0)
    with pytest.raises(dev.SetupError, match="failed"):
        dev.ensure_system_packages()
    _fake_tools(tmp_path / "ok", apt_status=0)
    monkeypatch.setenv("PATH", f"{tmp_path / 'ok'}{os.pathsep}{os.environ['PATH']}")
    with pytest.raises(dev.SetupError, match="still not installed"):
        dev.ensure_system_packages()
