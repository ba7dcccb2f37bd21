#!/usr/bin/env python3
"""Set netcomply up in ./.venv and run it: the two commands of the README.

    python3 dev.py scan [netcomply scan options]   set up, then scan the bundled lab network (--demo)
    python3 dev.py test [pytest options]           set up (tests too), then run the whole test suite
                                                   on every core (``-n 0``: in one process)

Only python3 is needed. The virtual environment is reused while pyproject.toml is
unchanged. For `test`, run as root on Debian/Ubuntu, the system packages the tests
use (tools/system-packages.txt: openssh-server, chromium, ...) are installed with
apt-get when missing, and a failed installation stops with an error; without root those
tests skip and say why (under CI, with CI set as .ci/run does, a skipped test fails).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("NETCOMPLY_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / "python"


def say(message: str) -> None:
    print(f"[dev.py] {message}", file=sys.stderr, flush=True)


def run(*args: str | Path, **kwargs: object) -> None:
    subprocess.run([str(a) for a in args], check=True, **kwargs)  # type: ignore[arg-type]


def ensure_venv(extras: str) -> None:
    if not PYTHON.exists():
        say(f"creating virtual environment in {VENV}")
        run(sys.executable, "-m", "venv", VENV)
    stamp = VENV / f".netcomply-installed-{extras or 'base'}"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    say(f"installing netcomply{f'[{extras}]' if extras else ''} and its dependencies")
    run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    target = f"{ROOT}[{extras}]" if extras else str(ROOT)
    run(PYTHON, "-m", "pip", "install", "--quiet", "-e", target)
    stamp.write_text(digest)


def ensure_system_packages() -> None:
    wanted = [
        line.split("#", 1)[0].strip() for line in (ROOT / "tools" / "system-packages.txt").read_text().splitlines()
    ]
    wanted = [w for w in wanted if w]
    if not wanted or not shutil.which("apt-get") or not shutil.which("dpkg-query"):
        return
    missing = [p for p in wanted if not _installed(p)]
    if not missing:
        return
    if os.geteuid() != 0:
        say(f"not root: not installing {', '.join(missing)}; the tests that need them will skip")
        return
    say(f"installing system packages: {', '.join(missing)}")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    try:
        run("apt-get", "update", "-qq", env=env)
        run("apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing, env=env, stdout=subprocess.DEVNULL)
    except (subprocess.CalledProcessError, OSError) as exc:
        raise SetupError(f"installing {', '.join(missing)} failed ({exc}); the tests need them") from None
    still = [p for p in missing if not _installed(p)]
    if still:
        raise SetupError(f"apt-get ran but {', '.join(still)} is still not installed")


class SetupError(Exception):
    """What dev.py was asked to set up could not be set up: an error, never a run with tests skipped."""


def _installed(package: str) -> bool:
    result = subprocess.run(["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True, check=False)
    return result.returncode == 0 and "install ok installed" in result.stdout


SOURCE_OPTIONS = ("-i", "--inventory", "-s", "--snapshots", "--demo")


def demo_unless_hosts_given(args: list[str]) -> list[str]:
    """`dev.py scan` is the demo: add --demo unless the arguments name the hosts themselves."""
    long_forms = tuple(f"{o}=" for o in SOURCE_OPTIONS if o.startswith("--"))
    short_forms = tuple(o for o in SOURCE_OPTIONS if not o.startswith("--"))
    if any(a in SOURCE_OPTIONS or a.startswith(long_forms + short_forms) for a in args):
        return args
    say(f"scanning the bundled lab network: {BIN / 'netcomply'} scan --demo (see README: running netcomply)")
    return ["--demo", *args]


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("scan", "test"):
        print(__doc__.strip())
        return 2
    action, rest = argv[0], argv[1:]
    os.chdir(ROOT)
    if action == "scan":
        ensure_venv("")
        return subprocess.call([str(BIN / "netcomply"), "scan", *demo_unless_hosts_given(rest)])
    ensure_venv("test")
    try:
        ensure_system_packages()
    except SetupError as exc:
        say(f"error: {exc}")
        return 2
    return subprocess.call([str(PYTHON), "-m", "pytest", *parallel_unless_told(rest)])


def parallel_unless_told(args: list[str]) -> list[str]:
    """The suite on every core (pytest-xdist), a test module's fixtures in one worker, unless the
    arguments choose (``-n 0`` runs in this process, ``-p no:xdist`` without the plugin)."""
    told = any(a in ("-n", "--numprocesses", "no:xdist") or a.startswith(("-n", "--numprocesses=")) for a in args)
    return args if told else ["-n", "auto", "--dist", "loadfile", *args]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
