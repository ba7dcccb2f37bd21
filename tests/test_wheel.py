"""The installed product: a wheel built from the repository, in a fresh virtualenv, in an empty folder.

It must run the demo scan and list its checks from any folder (the lab network is package
data), and carry nothing that only the tests or benchmarks use.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_NOT_SOURCE = (".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", ".ruff_cache", "out")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    # A clean copy of the source: setuptools' build/ folder in a working tree can hold files since deleted.
    source = tmp_path_factory.mktemp("source") / "netcomply"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*_NOT_SOURCE))
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(source)],
        check=True,
        capture_output=True,
        text=True,
    )
    (built,) = out.glob("netcomply-*.whl")
    return built


def test_wheel_holds_the_product_and_the_demo_network_only(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/", 1)[0] for name in names if not name.startswith("netcomply-")}
    assert tops == {"scanner", "checks", "reports"}
    assert "scanner/lab/network/hosts.yaml" in names
    assert any(n.startswith("scanner/lab/network/snapshots/hq-core1/") for n in names)
    assert not [n for n in names if "udptap" in n or "linuxhost" in n or "/tests/" in n]


def test_installed_wheel_runs_the_demo_from_an_empty_folder(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(wheel)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    empty = tmp_path / "empty"
    empty.mkdir()
    netcomply = env_dir / "bin" / "netcomply"
    checks = subprocess.run([str(netcomply), "checks"], cwd=empty, capture_output=True, text=True, check=False)
    assert checks.returncode == 0, checks.stderr
    assert "services.telnet" in checks.stdout and "topology.firewall_bypass" in checks.stdout
    scan = subprocess.run(
        [str(netcomply), "scan", "--demo", "--no-store", "-f", "json", "-q"],
        cwd=empty,
        capture_output=True,
        text=True,
        check=False,
    )
    # The demo network has deliberate violations: exit status 1, every host scanned, none in error.
    assert scan.returncode == 1, scan.stderr[-3000:]
    assert '"hq-core1"' in scan.stdout and '"error": 0' in scan.stdout
    assert str(ROOT) not in scan.stdout, "the demo must come from the installed package, not the source tree"
