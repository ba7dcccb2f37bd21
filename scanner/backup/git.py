"""The git command line, as the backup store uses it.

The store talks to the ``git`` program rather than a Python implementation: the
store is a plain repository its users read with ``git log`` and ``git diff``, and the
git program gives us its locking, packing and hooks as they expect them. Every call
here runs a handful of times per backup run (never once per device), except
:class:`BlobReader`, which keeps one ``git cat-file --batch`` process open and asks
it for each device's file in turn.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path

# Per-call settings that make the store behave the same whatever the user's git
# configuration: no signing prompt in cron, paths printed as they are, bytes as stored.
_CONFIG = (
    "-c",
    "commit.gpgsign=false",
    "-c",
    "core.quotepath=off",
    "-c",
    "core.autocrlf=false",
    "-c",
    "core.safecrlf=false",
    "-c",
    "color.ui=false",
)


class GitError(Exception):
    """A git command failed (or git is not installed), with git's own message."""


def git_program() -> str:
    program = shutil.which("git")
    if program is None:
        raise GitError("git is not installed: the backup store is a git repository (install the `git` package)")
    return program


def identity_env(when: datetime | None) -> dict[str, str]:
    """Who commits (``netcomply@<this machine>`` unless GIT_AUTHOR_*/GIT_COMMITTER_* are set) and when."""
    env = {
        "GIT_AUTHOR_NAME": os.environ.get("GIT_AUTHOR_NAME", "netcomply"),
        "GIT_AUTHOR_EMAIL": os.environ.get("GIT_AUTHOR_EMAIL", f"netcomply@{socket.gethostname() or 'localhost'}"),
    }
    env["GIT_COMMITTER_NAME"] = os.environ.get("GIT_COMMITTER_NAME", env["GIT_AUTHOR_NAME"])
    env["GIT_COMMITTER_EMAIL"] = os.environ.get("GIT_COMMITTER_EMAIL", env["GIT_AUTHOR_EMAIL"])
    if when is not None:
        stamp = f"{int(when.timestamp())} +0000"
        env["GIT_AUTHOR_DATE"] = stamp
        env["GIT_COMMITTER_DATE"] = stamp
    return env


class Git:
    """``git -C ROOT ...`` with the store's settings; raises :class:`GitError` with git's message."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.program = git_program()

    def command(self, args: Sequence[str]) -> list[str]:
        return [self.program, "-C", str(self.root), *_CONFIG, *args]

    def run(
        self,
        *args: str,
        input: bytes | None = None,
        env: Mapping[str, str] | None = None,
        check: bool = True,
    ) -> subprocess.CompletedProcess[bytes]:
        full_env = dict(os.environ, LC_ALL="C", GIT_TERMINAL_PROMPT="0")
        if env:
            full_env.update(env)
        proc = subprocess.run(self.command(args), input=input, capture_output=True, env=full_env, check=False)
        if check and proc.returncode != 0:
            message = proc.stderr.decode("utf-8", "replace").strip() or f"exit status {proc.returncode}"
            raise GitError(f"git {args[0]} failed in {self.root}: {message}")
        return proc

    def text(self, *args: str, **kwargs: object) -> str:
        return self.run(*args, **kwargs).stdout.decode("utf-8", "replace")  # type: ignore[arg-type]


class BlobReader:
    """One ``git cat-file --batch`` process answering ``REV:PATH`` requests, one at a time."""

    def __init__(self, git: Git) -> None:
        self._proc = subprocess.Popen(
            git.command(["cat-file", "--batch"]),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=dict(os.environ, LC_ALL="C"),
        )

    def read(self, spec: str) -> bytes | None:
        """The content of ``spec`` (``REV:PATH``), or None when it does not exist."""
        if "\n" in spec:
            raise ValueError("object names cannot contain a newline")
        stdin, stdout = self._proc.stdin, self._proc.stdout
        assert stdin is not None and stdout is not None
        stdin.write(spec.encode("utf-8") + b"\n")
        stdin.flush()
        header = stdout.readline()
        if not header:
            raise GitError("git cat-file stopped answering")
        parts = header.split()
        if len(parts) != 3 or not parts[2].isdigit():
            return None  # "<spec> missing" or "<spec> ambiguous"
        size = int(parts[2])
        data = stdout.read(size)
        stdout.read(1)
        return data

    def close(self) -> None:
        if self._proc.stdin is not None:
            self._proc.stdin.close()
        try:
            self._proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        if self._proc.stdout is not None:
            self._proc.stdout.close()

    def __enter__(self) -> BlobReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
