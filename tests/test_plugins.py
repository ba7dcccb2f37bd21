"""Check plugins: a package of checks from elsewhere, really installed, appears like a shipped check.

The package (tests/fixtures/plugin/acme-netcomply-checks, the one CONTRIBUTING.md shows)
is installed with pip into a fresh virtual environment that sees netcomply and its
dependencies (the environment running these tests, through a .pth file); netcomply then
runs there as a user would run it. A broken plugin stops the scan with exit status 2:
its checks silently missing would make devices look compliant.
"""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
from pathlib import Path

import pytest

from checks import load_checks
from tests.conftest import FIXTURES, LAB

PLUGIN = FIXTURES / "plugin" / "acme-netcomply-checks"


def _environment(root: Path) -> Path:
    """A new virtual environment whose Python also reads this one's packages (netcomply among them)."""
    env = root / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True, timeout=120)
    target = Path(
        subprocess.run(
            [str(env / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    # addsitedir (not a bare path) so the editable install's own .pth hook runs too.
    lines = [f"import site; site.addsitedir({path!r})" for path in site.getsitepackages()]
    (target / "netcomply-under-test.pth").write_text("\n".join(lines) + "\n")
    return env


def _pip_install(env: Path, package: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(env / "bin" / "python"),
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            "--no-build-isolation",
            str(package),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=package.parent,
    )
    assert done.returncode == 0, done.stderr


def _netcomply(env: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    full_env = dict(os.environ, NO_COLOR="1", COLUMNS="200")
    return subprocess.run(
        [str(env / "bin" / "python"), "-m", "scanner", *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
        env=full_env,
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("plugin-env")
    env = _environment(root)
    _pip_install(env, PLUGIN)
    return env


def test_the_installed_plugin_is_listed_like_a_shipped_check(installed: Path, tmp_path: Path) -> None:
    done = _netcomply(installed, "checks", "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    rows = {row["id"]: row for row in json.loads(done.stdout)["checks"]}
    assert rows["acme.hostname_set"]["title"] == "The device names itself"
    assert rows["acme.hostname_set"]["origin"] == "plugin acme-netcomply-checks (acme)"
    assert rows["services.http"]["origin"] == "netcomply"
    assert "acme.hostname_set" not in {s.id for s in load_checks()}, "only the environment that installed it has it"


def test_a_scan_runs_the_plugin_check_on_every_device(installed: Path, tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    done = _netcomply(installed, "scan", "-i", str(LAB), "--no-store", "-f", "json", "-o", str(out), "-q", cwd=tmp_path)
    assert done.returncode in (0, 1), done.stderr
    result = json.loads(out.read_text())
    acme = {f["host"]: f for f in result["findings"] if f["check"] == "acme.hostname_set"}
    assert set(acme) == {h["name"] for h in result["hosts"]}
    assert acme["hq-acc1"]["status"] == "pass"
    assert acme["hq-acc1"]["message"].startswith("hostname ")
    assert "acme.hostname_set" in {c["id"] for c in result["checks"]}


BROKEN = {
    "import-error": ("import acme_missing_dependency\n", "ModuleNotFoundError"),
    "taken-id": (
        "from scanner.checkapi import check\n"
        "check(id='services.http', title='x', severity='low', rationale='x', messages={})(lambda f, c: None)\n",
        "check id 'services.http' registered twice",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_plugin_stops_the_scan_with_exit_2(tmp_path: Path, case: str) -> None:
    source, reason = BROKEN[case]
    package = tmp_path / "broken-netcomply-plugin"
    package.mkdir()
    (package / "pyproject.toml").write_text(
        (PLUGIN / "pyproject.toml")
        .read_text()
        .replace("acme-netcomply-checks", "broken-netcomply-plugin")
        .replace("acme_checks", "broken_checks")
        .replace("acme =", "broken =")
    )
    (package / "broken_checks.py").write_text(source)
    env = _environment(tmp_path)
    _pip_install(env, package)
    for args in (("checks",), ("scan", "-i", str(LAB), "--no-store")):
        done = _netcomply(env, *args, cwd=tmp_path)
        assert done.returncode == 2, (args, done.stdout, done.stderr)
        assert "check plugin 'broken' of package broken-netcomply-plugin" in done.stderr
        assert reason in done.stderr
        assert "Traceback" not in done.stderr
