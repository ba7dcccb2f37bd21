"""The backup store: a git repository with one file per device, one commit per backup run.

Layout (what a user finds with ``ls`` and ``git log``)::

    STORE/README.md               what this is, and whether secrets are kept or masked
    STORE/netcomply-store.yaml    format version and secrets mode, read by netcomply
    STORE/configs/<host>.cfg      each device's configuration, volatile lines removed

Outside the history, in ``STORE/.git/``: ``netcomply-state.json`` (when each host's
backup was last confirmed: a run that finds a device unchanged makes no commit, so
the commit date alone would make a stable device's backup look old),
``netcomply.lock`` (one backup run at a time) and ``netcomply-run.json`` (the journal
of the run in progress).

Nothing is ever written without a commit: a run starts only on a clean working
tree, and when git cannot commit, the files it wrote are put back as they were. A
run killed outright (SIGKILL, power loss) cannot clean up, so it leaves its journal:
the next run finds it, knows the uncommitted files (and git's ``index.lock``) are its
own leftovers rather than somebody's hand edits, puts the store back to its last
commit and says so. Changes without a journal are a person's, and are never touched.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import subprocess
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml

from scanner.backup.git import BlobReader, Git, GitError, identity_env
from scanner.backupstatus import Revision
from scanner.files import atomic_write
from scanner.names import UnsafeName, require_file_name

STORE_FILE = "netcomply-store.yaml"
README_FILE = "README.md"
CONFIGS = "configs"
SUFFIX = ".cfg"
STATE_FILE = "netcomply-state.json"
LOCK_FILE = "netcomply.lock"
JOURNAL_FILE = "netcomply-run.json"
FORMAT = 1
BRANCH = "main"

SECRETS_AS_SHOWN = "as-shown"
SECRETS_MASKED = "masked"

_HOST_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,200}$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class StoreError(Exception):
    """The store cannot be used (missing, not a netcomply store, in use, dirty...), with what to do."""


@dataclass(frozen=True)
class LogEntry:
    revision: Revision
    subject: str
    hosts: tuple[str, ...]


def check_host_name(host: str) -> None:
    """A host name must be usable as a file name in the store (the shared rule, then git's safe characters)."""
    try:
        require_file_name(host)
    except UnsafeName as exc:
        raise StoreError(str(exc)) from None
    if not _HOST_RE.match(host):
        raise StoreError(
            f"host name {host!r} cannot name a backup file (letters, digits and . _ @ + - only, not starting with one)"
        )


def config_path(host: str) -> str:
    """``configs/<host>.cfg``, the file of ``host`` relative to the store root."""
    check_host_name(host)
    return f"{CONFIGS}/{host}{SUFFIX}"


def git_object_id(data: bytes, length: int = 40) -> str:
    """The id git gives ``data`` as a blob (SHA-1, or SHA-256 in a repository of 64-character ids)."""
    digest = hashlib.sha256() if length == 64 else hashlib.sha1()
    digest.update(b"blob %d\0" % len(data))
    digest.update(data)
    return digest.hexdigest()


def _host_of(path: str) -> str | None:
    if path.startswith(f"{CONFIGS}/") and path.endswith(SUFFIX) and path.count("/") == 1:
        return path[len(CONFIGS) + 1 : -len(SUFFIX)]
    return None


def readme_text(mode: str) -> str:
    if mode == SECRETS_MASKED:
        secrets = (
            "**Secrets are masked.** Passwords, hashes, SNMP communities and keys were replaced by their first\n"
            "characters and `***` before being stored (netcomply `--mask-secrets`, or `backup.mask_secrets: true`\n"
            "in the policy). These files cannot restore a device as they are: put the secrets back by hand.\n"
            "A secret changed to another value with the same first characters is not seen as a change."
        )
    else:
        secrets = (
            "**Secrets are kept as the devices show them.** These files are the restore source, so passwords,\n"
            "hashes, SNMP communities and keys are stored exactly as each device printed them (clear text where\n"
            "the device shows clear text). Protect this repository like the devices themselves, or create a\n"
            "store with `netcomply backup --mask-secrets` to keep them masked."
        )
    return f"""# netcomply configuration backups

This git repository is written by `netcomply backup`. Do not edit it by hand: a run refuses
to start while the working tree has uncommitted changes.

- `configs/<host>.cfg`: the configuration of each device, as collected from it (`show running-config`,
  `display current-configuration`, ...), with the lines that change without a configuration change
  removed (timestamps, byte counts, NTP clock period), so an unchanged device makes no commit.
- One commit per backup run; its message lists the devices that changed. History is kept forever.
  The repository's own git hooks run as usual (a post-commit hook can push to a remote).
- Outputs that are empty, truncated (no final `end`/`return` where the platform has one) or much
  smaller than the last backup are refused: the last good backup stays, and the run reports an error.

{secrets}

Useful commands:

    netcomply backup log [HOST] --store .
    netcomply backup diff HOST [--from REV] [--to REV] --store .
    git log --stat
"""


def _fresh(root: Path) -> bool:
    """An empty folder, or one holding only a repository without commits (``git init``, a remote added,
    or a creation killed before its first commit: then only netcomply's own marker files are there)."""
    entries = {e.name for e in root.iterdir()}
    if not entries:
        return True
    if ".git" not in entries or not entries <= {".git", STORE_FILE, README_FILE, CONFIGS}:
        return False
    if CONFIGS in entries and any((root / CONFIGS).iterdir()):
        return False
    try:
        head = Git(root).run("rev-parse", "--verify", "--quiet", "HEAD", check=False)
    except GitError:
        return False
    return head.returncode != 0


class ConfigStore:
    """One backup store. Open it with :meth:`open` (existing) or :meth:`open_or_create`."""

    def __init__(self, root: Path, git: Git, secrets: str) -> None:
        self.root = root
        self.git = git
        self.secrets = secrets

    @property
    def masked(self) -> bool:
        return self.secrets == SECRETS_MASKED

    # ---- opening ------------------------------------------------------------------------

    @classmethod
    def open(cls, root: Path) -> ConfigStore:
        """An existing store; :class:`StoreError` when ``root`` is not one."""
        root = root.expanduser()
        if not root.is_dir():
            raise StoreError(f"backup store {root} does not exist (run `netcomply backup --store {root}` first)")
        if not (root / ".git").exists():
            raise StoreError(f"{root} is not a netcomply backup store (not a git repository)")
        marker = root / STORE_FILE
        if not marker.is_file():
            raise StoreError(f"{root} is a git repository but not a netcomply backup store (no {STORE_FILE})")
        try:
            data = yaml.safe_load(marker.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise StoreError(f"{marker} cannot be read: {exc}") from None
        if not isinstance(data, Mapping) or data.get("format") != FORMAT:
            raise StoreError(f"{marker}: unknown store format (this netcomply reads format {FORMAT})")
        secrets = data.get("secrets")
        if secrets not in (SECRETS_AS_SHOWN, SECRETS_MASKED):
            raise StoreError(f"{marker}: secrets must be {SECRETS_AS_SHOWN!r} or {SECRETS_MASKED!r}, found {secrets!r}")
        return cls(root, Git(root), secrets)

    @classmethod
    def open_or_create(cls, root: Path, mask_secrets: bool, now: datetime | None = None) -> ConfigStore:
        """The store at ``root``, created (git init, README, first commit) when the folder is absent or empty."""
        root = root.expanduser()
        if root.exists() and not root.is_dir():
            raise StoreError(f"backup store {root} is a file, not a folder")
        if root.is_dir() and not _fresh(root):
            return cls.open(root)
        secrets = SECRETS_MASKED if mask_secrets else SECRETS_AS_SHOWN
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the backup store {root}: {exc.strerror or exc}") from None
        git = Git(root)
        git.run("init", "-q", "-b", BRANCH)
        marker = {"format": FORMAT, "secrets": secrets, "layout": f"{CONFIGS}/<host>{SUFFIX}"}
        atomic_write(root / STORE_FILE, yaml.safe_dump(marker, sort_keys=False).encode("utf-8"))
        atomic_write(root / README_FILE, readme_text(secrets).encode("utf-8"))
        (root / CONFIGS).mkdir(exist_ok=True)
        git.run("add", "--", STORE_FILE, README_FILE)
        mode = "secrets masked" if secrets == SECRETS_MASKED else "secrets kept as shown"
        git.run(
            "commit",
            "-q",
            "-F",
            "-",
            input=f"netcomply: create the backup store ({mode})\n".encode(),
            env=identity_env(now),
        )
        return cls(root, git, secrets)

    # ---- reading --------------------------------------------------------------------------

    def head(self) -> str | None:
        proc = self.git.run("rev-parse", "--verify", "--quiet", "HEAD^{commit}", check=False)
        return proc.stdout.decode().strip() or None

    def read_checked_out(self, host: str) -> str | None:
        """``host``'s file in the working tree: its last backup once :meth:`ensure_clean` has passed."""
        try:
            return (self.root / config_path(host)).read_bytes().decode("utf-8", "replace")
        except FileNotFoundError:
            return None

    def reader(self) -> BlobReader:
        return BlobReader(self.git)

    def hosts(self, rev: str = "HEAD") -> list[str]:
        """Every host with a backup at ``rev``."""
        return sorted(self.blobs(rev))

    def blobs(self, rev: str = "HEAD") -> dict[str, str]:
        """{host: git object id of its file} at ``rev`` (one ``git ls-tree``)."""
        listing = self.git.text("ls-tree", f"{rev}:{CONFIGS}", check=False)
        found: dict[str, str] = {}
        for line in listing.splitlines():
            meta, _, name = line.partition("\t")
            parts = meta.split()
            if len(parts) == 3 and parts[1] == "blob" and name.endswith(SUFFIX):
                found[name[: -len(SUFFIX)]] = parts[2]
        return found

    def read_blob(self, host: str, blob: str, reader: BlobReader) -> str | None:
        """The content of ``host``'s file as object ``blob``: from the working tree when its hash says it is
        that object (no git request), else from git."""
        try:
            data = (self.root / config_path(host)).read_bytes()
        except OSError:
            data = None
        if data is None or git_object_id(data, len(blob)) != blob:
            data = reader.read(blob)
        return data.decode("utf-8", "replace") if data is not None else None

    def last_changes(self, hosts: Iterable[str] | None = None) -> dict[str, Revision]:
        """The last commit that changed each host's file (one ``git log``, stopped once all are found).

        ``hosts`` must be hosts of HEAD (default: all of them), or the walk reads the whole history.
        """
        remaining = set(self.hosts() if hosts is None else hosts)
        found: dict[str, Revision] = {}
        if not remaining:
            return found
        proc = subprocess.Popen(
            self.git.command(["log", "--format=@%H %ct", "--name-only", "--no-renames", "HEAD", "--", f"{CONFIGS}/"]),
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=dict(os.environ, LC_ALL="C"),
        )
        assert proc.stdout is not None
        current: Revision | None = None
        try:
            for raw in proc.stdout:
                line = raw.decode("utf-8", "replace").rstrip("\n")
                if line.startswith("@"):
                    rev, stamp = line[1:].split()
                    current = Revision(rev, datetime.fromtimestamp(int(stamp), UTC))
                elif line and current is not None:
                    host = _host_of(line)
                    if host in remaining:
                        found[host] = current
                        remaining.discard(host)
                        if not remaining:
                            break
        finally:
            proc.kill()
            proc.wait()
            proc.stdout.close()
        return found

    def log(self, host: str | None = None, limit: int = 20) -> list[LogEntry]:
        """The latest commits (of one host's file when given), newest first."""
        args = ["log", f"--max-count={limit}", "--format=@%H %ct %s", "--name-only", "--no-renames", "HEAD"]
        if host is not None:
            args += ["--", config_path(host)]
        entries: list[LogEntry] = []
        current: tuple[Revision, str] | None = None
        files: list[str] = []
        for line in self.git.text(*args).splitlines():
            if line.startswith("@"):
                if current is not None:
                    entries.append(LogEntry(current[0], current[1], tuple(files)))
                rev, stamp, *subject = line[1:].split(" ", 2)
                current = (Revision(rev, datetime.fromtimestamp(int(stamp), UTC)), subject[0] if subject else "")
                files = []
            elif line:
                name = _host_of(line)
                if name is not None:
                    files.append(name)
        if current is not None:
            entries.append(LogEntry(current[0], current[1], tuple(files)))
        return entries

    def resolve(self, rev: str) -> Revision:
        """A commit named by the user: any git revision (HEAD~2, a short id, a tag) or a date YYYY-MM-DD
        (the last commit made on or before that day, UTC)."""
        if not rev or rev.startswith("-") or any(c.isspace() for c in rev):
            raise StoreError(f"not a revision: {rev!r}")
        if _DATE_RE.match(rev):
            try:
                day = datetime.fromisoformat(rev).replace(tzinfo=UTC)
            except ValueError:
                raise StoreError(f"not a date: {rev!r}") from None
            before = (day + timedelta(days=1)).isoformat()
            found = self.git.text("rev-list", "-1", f"--before={before}", "HEAD").strip()
            if not found:
                raise StoreError(f"the store has no commit made on or before {rev}")
            rev = found
        proc = self.git.run("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", check=False)
        full = proc.stdout.decode().strip()
        if proc.returncode != 0 or not full:
            raise StoreError(f"the store has no revision {rev!r} (see `netcomply backup log`)")
        stamp = self.git.text("show", "-s", "--format=%ct", full).strip()
        return Revision(full, datetime.fromtimestamp(int(stamp), UTC))

    # ---- confirmations (outside the history) ---------------------------------------------------

    @property
    def _state_path(self) -> Path:
        return self.root / ".git" / STATE_FILE

    def confirmed(self) -> dict[str, datetime]:
        """When each host's backup was last confirmed (stored, or found unchanged) by a backup run."""
        try:
            data = json.loads(self._state_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        out: dict[str, datetime] = {}
        for host, stamp in (data.get("confirmed") or {}).items():
            try:
                when = datetime.fromisoformat(stamp)
            except (TypeError, ValueError):
                continue
            out[host] = when if when.tzinfo else when.replace(tzinfo=UTC)
        return out

    def confirm(self, hosts: list[str], when: datetime) -> None:
        if not hosts:
            return
        state = {h: w.isoformat() for h, w in self.confirmed().items()}
        for host in hosts:
            state[host] = when.isoformat()
        document = {"confirmed": dict(sorted(state.items()))}
        atomic_write(self._state_path, json.dumps(document, indent=1).encode("utf-8"))

    # ---- writing ----------------------------------------------------------------------------

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the store for one run; a second run at the same time is refused, not queued."""
        path = self.root / ".git" / LOCK_FILE
        with open(path, "a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise StoreError(f"another netcomply backup is using the store {self.root}") from None
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    @property
    def _journal_path(self) -> Path:
        return self.root / ".git" / JOURNAL_FILE

    @contextmanager
    def journal(self, when: datetime) -> Iterator[None]:
        """Mark a run in progress until it has committed or put the tree back (see the module doc)."""
        document = {"pid": os.getpid(), "started": when.isoformat()}
        atomic_write(self._journal_path, json.dumps(document).encode("utf-8"))
        try:
            yield
        finally:  # reached on success and on any exception the run cleaned up after; never on SIGKILL
            self._journal_path.unlink(missing_ok=True)

    def recover_interrupted(self) -> str | None:
        """Repair what a killed run left (its journal says it was one); a warning saying what was done, or None.

        Call it holding :meth:`locked`: no other netcomply run is then alive to own the leftovers.
        """
        try:
            started = json.loads(self._journal_path.read_text(encoding="utf-8")).get("started", "?")
        except FileNotFoundError:
            return None
        except (OSError, ValueError, AttributeError):
            started = "?"
        stale_lock = self.root / ".git" / "index.lock"
        removed_lock = stale_lock.exists()
        stale_lock.unlink(missing_ok=True)
        dirty = self.git.text("status", "--porcelain", "--untracked-files=all").strip()
        if self.head() is not None:
            self.discard()
        self._journal_path.unlink(missing_ok=True)
        done = []
        if dirty:
            done.append(f"discarded its uncommitted files ({', '.join(line[3:] for line in dirty.splitlines()[:5])})")
        if removed_lock:
            done.append("removed git's stale index.lock")
        head = self.head()
        return (
            f"the backup run started at {started} was interrupted before it finished; "
            f"{'; '.join(done) or 'nothing was left to repair'}; the store is at its last commit "
            f"{head[:10] if head else '(none)'}"
        )

    def ensure_clean(self) -> None:
        """Refuse to write over changes nobody committed (hand edits, a crashed run)."""
        status = self.git.text("status", "--porcelain", "--untracked-files=all")
        if status.strip():
            changed = ", ".join(line[3:] for line in status.splitlines()[:5])
            raise StoreError(
                f"the backup store {self.root} has uncommitted changes ({changed}); netcomply never writes over "
                f"them: commit them (git -C {self.root} commit -a) or discard them "
                f"(git -C {self.root} checkout -- . && git -C {self.root} clean -fd)"
            )

    def write(self, host: str, text: str) -> None:
        """Put ``host``'s configuration in the working tree (atomically), for the next :meth:`commit`."""
        atomic_write(self.root / config_path(host), text.encode("utf-8"))

    def commit(self, message: str, when: datetime) -> Revision:
        """One commit of every configuration written; on failure the working tree is put back as it was."""
        try:
            self.git.run("add", "-A", "--", CONFIGS)
            self.git.run("commit", "-q", "-F", "-", input=message.encode("utf-8"), env=identity_env(when))
        except BaseException:
            self.discard()
            raise
        rev = self.git.text("rev-parse", "HEAD").strip()
        return Revision(rev, datetime.fromtimestamp(int(when.timestamp()), UTC))

    def discard(self) -> None:
        """Drop what was written and not committed (the run failed before its commit)."""
        self.git.run("reset", "-q", "--hard", "HEAD", check=False)
        self.git.run("clean", "-q", "-f", "-d", "--", CONFIGS, check=False)
