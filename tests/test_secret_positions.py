"""Random secrets in every secret position of every vendor never leave netcomply.

Configurations of the seven platforms are generated from tests/secretpositions.py with
a fresh random secret in each position. The secrets must appear in no report format,
no console or log line, no row of the results database (a real SQLite file), no run
diff, no file or commit of a masked backup store (real git), and no backup diff.
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import string
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from netutils.password import encrypt_cisco_type7

from reports import formats
from scanner.backup.diff import backup_diff
from scanner.masking import mask_line, mask_text
from scanner.platforms import get_platform
from scanner.snapshot import slugify
from tests.conftest import run_cli
from tests.secretpositions import POSITIONS, whole_config

# Characters a secret can hold in every position (no quote, no space, nothing that ends a
# URL's password or starts a comment); a secret begins with a letter and holds a digit.
_ALPHABET = string.ascii_letters + string.digits + "-_.+=,*&^~%"


def _secret(rng: random.Random) -> str:
    middle = "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(7, 22)))
    return rng.choice(string.ascii_letters) + middle + rng.choice(string.digits)


# A network of seven configurations is a large example by Hypothesis's measure, by design.
_BIG = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]
# Hypothesis examples of the end-to-end test (each runs the CLI nine times); CI may raise it.
E2E_EXAMPLES = int(os.environ.get("NETCOMPLY_SECRET_EXAMPLES", "3"))


class Network:
    """One configuration per platform, and every secret placed in them.

    A plain class with a short repr: Hypothesis prints a failing example, and the seed
    is all it takes to build the network again.
    """

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.configs: dict[str, tuple[str, str]] = {}  # host -> (platform, text)
        self.secrets: set[str] = set()

    def __repr__(self) -> str:
        return f"Network(seed={self.seed})"


@st.composite
def networks(draw: st.DrawFn) -> Network:
    """Hundreds of secrets per network, from one seed Hypothesis draws (fast, and a failure names its seed)."""
    seed = draw(st.integers(min_value=0, max_value=2**64))
    rng = random.Random(seed)
    network = Network(seed)
    for platform, entries in POSITIONS.items():
        body = []
        for entry in entries:
            s, t = _secret(rng), _secret(rng)
            c7 = encrypt_cisco_type7(s, salt=rng.randrange(16)) if "{c7}" in entry else ""
            body.append(entry.format(s=s, t=t, c7=c7))
            # s stands in the entry, or is the clear text of its type-7 value: neither may leak.
            network.secrets.update(v for v in (s, c7, t if "{t}" in entry else "") if v)
        network.configs[f"sec-{platform.replace('_', '-')}"] = (platform, whole_config(platform, body))
    return network


def _leaks(text: str, secrets: set[str]) -> list[str]:
    """Each leaked secret with the line it shows in, so a failure names the position."""
    lines = text.splitlines()
    return sorted(f"{s}: {next(line for line in lines if s in line)[:160]}" for s in secrets if s in text)


# ---- the masking layer itself, on many examples -------------------------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=_BIG)
@given(networks())
def test_masked_configurations_hold_no_secret(network: Network) -> None:
    for host, (_, text) in network.configs.items():
        masked = mask_text(text, scrub=False)
        assert not _leaks(masked, network.secrets), host
        # The whole-text pass finds every line mask_line would change (its triggers miss none).
        assert masked.splitlines() == [mask_line(line, scrub=False) for line in text.splitlines()], host


@pytest.mark.parametrize(
    ("line", "kept", "hidden"),
    [
        # The three misses issue 13 names, and the syntax around each secret is kept.
        (
            "  authentication-mode md5 1 plain Ospf9Area0Key",
            "  authentication-mode md5 1 plain Osp***",
            "Ospf9Area0Key",
        ),
        (
            "snmp-agent usm-user v3 nms authentication-mode sha Auth7Key9x privacy-mode aes128 Priv7Key9x",
            "snmp-agent usm-user v3 nms authentication-mode sha Aut*** privacy-mode aes128 Pri***",
            "Key9x",
        ),
        (" wpa-psk ascii 0 Wifi2026Psk", " wpa-psk ascii 0 Wif***", "Wifi2026Psk"),
        ("ntp authentication-key 1 md5 Ntp7Key99 7", "ntp authentication-key 1 md5 Ntp*** 7", "Ntp7Key99"),
        (" key authentication simple Tac7Key99", " key authentication simple Tac***", "Tac7Key99"),
        ('set system ntp authentication-key 1 type md5 value "Ntp7Key99"', 'type md5 value "Ntp***"', "Key99"),
    ],
)
def test_the_secret_is_masked_and_the_syntax_kept(line: str, kept: str, hidden: str) -> None:
    masked = mask_line(line, scrub=False)
    assert kept in masked and hidden not in masked


def test_every_platform_has_its_secret_positions() -> None:
    assert set(POSITIONS) >= {p for p in ("cisco_ios", "cisco_xe", "cisco_nxos", "arista_eos")}
    assert {"huawei", "hp_comware", "juniper_junos"} <= set(POSITIONS)
    assert all(len(entries) >= 20 for entries in POSITIONS.values())
    assert all("{s}" in entry or "{c7}" in entry for entries in POSITIONS.values() for entry in entries)


# ---- every output of the product, end to end -----------------------------------------------


def _write_snapshots(root: Path, network: Network) -> None:
    for host, (platform, text) in network.configs.items():
        folder = root / host
        folder.mkdir(parents=True)
        (folder / f"{slugify(get_platform(platform).commands.config)}.txt").write_text(text)
        (folder / "meta.yaml").write_text(f"platform: {platform}\ncollected_at: 2026-11-20T02:00:00Z\n")


def _read_all(folder: Path) -> str:
    """Every file under ``folder`` as text; a zip (the Word reports) by its members."""
    texts = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and ".git" not in p.parts):
        data = path.read_bytes()
        if data[:2] == b"PK" and zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                texts.extend(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
        else:
            texts.append(data.decode("utf-8", "replace"))
    return "\n".join(texts)


def _database_rows(path: Path) -> str:
    with sqlite3.connect(path) as connection:
        return "\n".join(connection.iterdump())


def _ok(proc: subprocess.CompletedProcess[str], *allowed: int) -> str:
    assert proc.returncode in allowed, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    return proc.stdout + proc.stderr


@settings(
    max_examples=E2E_EXAMPLES,
    deadline=None,
    suppress_health_check=_BIG,
    # A seed does not shrink into anything more readable; the failure names the leaked line.
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
)
@given(networks(), networks())
def test_no_secret_reaches_any_report_log_database_diff_or_masked_backup(first: Network, second: Network) -> None:
    secrets = first.secrets | second.secrets
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        db, store, log = root / "results.db", root / "store", root / "scan.log"
        outputs = []
        # The same folder twice (one inventory, two runs): the second run's secrets replace the first's.
        snapshots = root / "snapshots"
        for number, network in enumerate((first, second), 1):
            shutil.rmtree(snapshots, ignore_errors=True)
            _write_snapshots(snapshots, network)
            reports = root / f"reports{number}"
            scan = run_cli(
                "scan", "--snapshots", str(snapshots), "--db", str(db), "--format", ",".join(sorted(formats())),
                "--output", str(reports), "-vv", "--log-file", str(log),
            )  # fmt: skip
            outputs += [_ok(scan, 1, 2), _read_all(reports)]
            backup = run_cli("backup", "import", str(snapshots), "--store", str(store), "--mask-secrets", "-v")
            outputs.append(_ok(backup, 0, 2))
        outputs.append(_ok(run_cli("diff", "--db", str(db)), 0, 1))
        outputs.append(_ok(run_cli("diff", "--db", str(db), "--json"), 0, 1))
        host = next(iter(first.configs))
        outputs.append(_ok(run_cli("backup", "diff", host, "--store", str(store)), 0))
        outputs.extend(backup_diff(store, name) for name in first.configs)
        history = subprocess.run(["git", "-C", str(store), "log", "-p", "--all"], capture_output=True, text=True)
        outputs += [history.stdout, _read_all(store), _database_rows(db), log.read_text()]
        text = "\n".join(outputs)
        assert "sec-huawei" in text and "sec-juniper-junos" in text
        assert not _leaks(text, secrets)
