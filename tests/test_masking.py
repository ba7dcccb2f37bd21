"""No secret leaves the process: not in any report format, not in the logs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reports import formats
from scanner import masking
from scanner.masking import Secret, mask_line, mask_value
from tests.conftest import run_cli
from tests.secretpositions import POSITIONS

TYPE7_PLAIN = "Typ7Plain9Secret"
SECRETS = {
    "community": "Zq8CommunitySecret41",
    "rw_community": "Rw9WriteCommunityQ77",
    "enable": "EnablePlain7Secret",
    "user_clear": "UserClear55Secret",
    "type7": "{type7}",
    "type7_plain": TYPE7_PLAIN,
    "hash": "$9$nhEmQVczB7dqsO$X.HsgL6x1il0RxkOSSvyQYwucySCt7qFm4v7pqCxkKM",
    "tacacs": "TacacsKey88Secret",
    "trap_community": "TrapComm44Secret",
    "nxos_auth": "0xd1e3bf7019f3a9c3ee4dccd381f0e4f3",
    "eos_sha512": "$6$Xs0wF3pC$0gXkW9H1I3nTqZ0k2w2bq9a7nYl5D0r8vQ2lS7c6xU1pG4hJ3",
}

IOS = """\
hostname leaky
enable password {enable}
username ops privilege 15 password 0 {user_clear}
username old privilege 15 password 7 {type7}
username good privilege 15 secret 9 {hash}
ip http server
snmp-server community {community} RO
snmp-server community {rw_community} RW
snmp-server host 10.1.1.1 version 2c {trap_community}
tacacs-server host 10.1.1.2 key 7 {type7}
tacacs server T1
 key 0 {tacacs}
line vty 0 4
 password 7 {type7}
 transport input telnet
end
"""
NXOS = """\
!Command: show running-config
feature telnet
hostname leaky-nx
username admin password 0 {user_clear} role network-admin
snmp-server user admin network-admin auth md5 {nxos_auth} priv {nxos_auth} localizedkey
snmp-server community {community} group network-operator
line console
line vty
boot nxos bootflash:/nxos.9.3.12.bin
"""
EOS = """\
! Command: show running-config
! device: leaky-eos (DCS-7050SX3-48YC8, EOS-4.28.3M)
hostname leaky-eos
username admin privilege 15 role network-admin secret sha512 {eos_sha512}
username ops privilege 1 secret 0 {user_clear}
snmp-server community {rw_community} rw
management api http-commands
   protocol http
   no shutdown
end
"""


@pytest.fixture(scope="module")
def leaky_snapshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from netutils.password import encrypt_cisco_type7

    values = dict(SECRETS, type7=encrypt_cisco_type7(TYPE7_PLAIN))
    SECRETS["type7"] = values["type7"]
    root = tmp_path_factory.mktemp("leaky")
    for name, platform, text in (
        ("leaky", "cisco_ios", IOS),
        ("leaky-nx", "cisco_nxos", NXOS),
        ("leaky-eos", "arista_eos", EOS),
    ):
        host = root / name
        host.mkdir()
        (host / "show_running-config.txt").write_text(text.format(**values))
        (host / "meta.yaml").write_text(f"platform: {platform}\n")
    return root


def _assert_no_secret(text: str, where: str) -> None:
    for name, value in SECRETS.items():
        assert value not in text, f"secret {name} leaked into {where}"


@pytest.mark.parametrize("fmt", sorted(formats()))
def test_no_secret_in_any_report_format(leaky_snapshots: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"report.{fmt}"
    proc = run_cli("scan", "--snapshots", str(leaky_snapshots), "-f", fmt, "-o", str(out), "-vv")
    assert proc.returncode == 1, proc.stderr
    data = out.read_bytes()
    text = data.decode("utf-8", errors="replace")
    _assert_no_secret(text, f"the {fmt} report")
    _assert_no_secret(proc.stdout + proc.stderr, "the console/log output")


def test_no_secret_on_the_console_and_offenders_are_still_named_masked(leaky_snapshots: Path) -> None:
    proc = run_cli("scan", "--snapshots", str(leaky_snapshots), "-vv")
    _assert_no_secret(proc.stdout + proc.stderr, "stdout/stderr")
    assert "Rw9***" in proc.stdout, "a read-write community is named by its masked prefix"


def test_findings_still_say_what_is_wrong(leaky_snapshots: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    run_cli("scan", "--snapshots", str(leaky_snapshots), "-f", "json", "-o", str(out))
    findings = {(f["host"], f["check"]): f for f in json.loads(out.read_text())["findings"]}
    auth = findings[("leaky", "auth.local_password")]
    assert auth["status"] == "fail" and "old (stored with a reversible encoding (type7)" in auth["message"]
    evidence = [e["text"] for e in auth["evidence"]]
    assert "username old privilege 15 password 7 " in evidence[2] and evidence[2].endswith("***")


@pytest.mark.parametrize(
    ("line", "kept", "hidden"),
    [
        ("snmp-server community S3cretComm RO 10", "snmp-server community", "S3cretComm"),
        (
            "username a privilege 15 secret 9 $9$abcdefgh$ijklmnop",
            "username a privilege 15 secret 9",
            "$9$abcdefgh$ijklmnop",
        ),
        (
            " snmp-agent community read cipher %^%#abcdefghijklmn%^%#",
            "snmp-agent community read cipher",
            "%^%#abcdefghijklmn%^%#",
        ),
        (
            " local-user admin password irreversible-cipher $1a$xyzxyzxyz$",
            "local-user admin password irreversible-cipher",
            "$1a$xyzxyzxyz$",
        ),
        (
            'set system login user ops authentication encrypted-password "$6$abc$defghijkl"',
            "encrypted-password",
            "$6$abc$defghijkl",
        ),
        ("set snmp community Junos9Comm authorization read-only", "set snmp community", "Junos9Comm"),
    ],
)
def test_mask_line_masks_the_secret_token_and_keeps_the_syntax(line: str, kept: str, hidden: str) -> None:
    assert hidden in line
    masked = mask_line(line)
    assert kept in masked
    assert hidden not in masked


@pytest.mark.parametrize(
    "line",
    [" password-control length 10", "logging host 10.10.99.20", "set system syslog host 10.10.99.20 any notice"],
)
def test_mask_line_leaves_a_line_without_a_secret_as_it_is(line: str) -> None:
    assert mask_line(line) == line


def test_secret_objects_never_print_their_value() -> None:
    secret = Secret("VeryPrivate123")
    assert "VeryPrivate123" not in f"{secret} {secret!r} {[secret]}"
    assert secret.reveal() == "VeryPrivate123"
    assert mask_value("public") == "pu***"


def _all_pattern_spans(text: str) -> list[tuple[int, int]]:
    return sorted(m.span("s") for p in masking._LINE_PATTERNS for m in p.finditer(text) if m.group("s"))


def _guarded_spans(text: str) -> list[tuple[int, int]]:
    return sorted(m.span("s") for p in masking._patterns_for(text) for m in p.finditer(text) if m.group("s"))


def test_every_line_pattern_has_its_literal_words() -> None:
    """A pattern the word table does not name is tried on every line: correct, but a missed speed-up."""
    assert all(words is not None for _pattern, words in masking._GUARDED)


@pytest.mark.parametrize("variant", ["as written", "upper case", "unicode nearby"])
def test_skipping_patterns_by_their_words_finds_every_secret_of_the_catalogue(variant: str) -> None:
    lines = [
        line
        for statements in POSITIONS.values()
        for statement in statements
        for line in statement.format(s="Zq8" + "x" * 9, t="Tq8" + "y" * 9, c7="045802150C2E").splitlines()
    ]
    if variant == "upper case":
        lines = [line.upper() for line in lines]
    elif variant == "unicode nearby":
        lines = [f"{line} ! \u212a\u017f" for line in lines]  # Kelvin sign and long s: case-insensitive equals of k, s
    assert lines
    for line in lines:
        assert _guarded_spans(line) == _all_pattern_spans(line), line
    assert sum(bool(_all_pattern_spans(line)) for line in lines) > 100


def test_skipping_patterns_by_their_words_finds_every_secret_of_the_corpus(corpus: Path) -> None:
    checked = 0
    for path in sorted(corpus.rglob("*")):
        if not path.is_file() or path.stat().st_size > 2_000_000 or path.suffix in {".py", ".json", ".png", ".gz"}:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        for line in text.splitlines():
            assert _guarded_spans(line) == _all_pattern_spans(line), (path, line[:80])
            checked += 1
    assert checked > 100_000
