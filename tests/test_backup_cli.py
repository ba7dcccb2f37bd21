"""`netcomply backup` and `netcomply scan --backup-store` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from tests.backuphelpers import CONFIG, LAB_HOSTS, commits, copy_lab, edit_config, needs_git
from tests.conftest import LAB, ROOT, run_cli

pytestmark = needs_git

SCHEMA = json.loads((ROOT / "reports" / "schema" / "netcomply-1.schema.json").read_text())
OLD_SECRET = "N3tC0mply2026ro"
NEW_SECRET = "Zq8Wx4Rt7Kp2vN"


def _backup_findings(report: Path) -> dict[str, dict]:
    document = json.loads(report.read_text())
    jsonschema.validate(document, SCHEMA, format_checker=jsonschema.FormatChecker())
    return {f["host"]: f for f in document["findings"] if f["check"] == "backup.current"}


def test_backup_then_scan_against_the_store(tmp_path: Path) -> None:
    store = tmp_path / "store"
    first = run_cli("backup", "-i", str(LAB), "--store", str(store), cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    count = len(LAB_HOSTS)
    assert first.stdout.count(" new ") == count
    assert f"{count} host(s): {count} new; commit" in first.stdout

    second = run_cli("backup", "run", "-i", str(LAB), "--store", str(store), cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert f"{count} host(s): {count} unchanged; nothing changed, no commit" in second.stdout
    assert len(commits(store)) == 2

    report = tmp_path / "scan.json"
    scan = run_cli("scan", "--demo", "--store", str(store), "-f", "json", "-o", str(report), cwd=tmp_path)
    assert scan.returncode == 1, scan.stderr  # the lab has failures of other checks
    found = _backup_findings(report)
    assert sorted(found) == LAB_HOSTS and {f["status"] for f in found.values()} == {"pass"}
    notes = json.loads(report.read_text())["summary"]["notes"]
    assert not any(n.startswith("backups were not checked") for n in notes), notes


def test_scan_without_a_store_notes_that_backups_were_not_checked(tmp_path: Path) -> None:
    report = tmp_path / "scan.json"
    proc = run_cli("scan", "--demo", "-f", "json", "-o", str(report), cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert {f["status"] for f in _backup_findings(report).values()} == {"not_applicable"}
    notes = json.loads(report.read_text())["summary"]["notes"]
    assert any(n.startswith("backups were not checked") for n in notes)
    console = run_cli("scan", "--demo", "--hosts", "hq-core1", cwd=tmp_path)
    assert "note: backups were not checked" in console.stdout


def test_refused_output_exits_2_and_keeps_the_last_good_backup(tmp_path: Path) -> None:
    snaps = copy_lab(tmp_path / "snaps")
    store = tmp_path / "store"
    assert run_cli("backup", "-s", str(snaps), "-i", str(LAB), "--store", str(store)).returncode == 0
    good = (store / "configs" / "hq-core1.cfg").read_text()
    config = snaps / "hq-core1" / CONFIG
    config.write_text(config.read_text()[:4000])

    proc = run_cli("backup", "-s", str(snaps), "-i", str(LAB), "--store", str(store))
    assert proc.returncode == 2
    line = next(x for x in proc.stdout.splitlines() if "hq-core1" in x)
    assert "refused" in line and "truncated" in line and "is kept" in line
    assert (store / "configs" / "hq-core1.cfg").read_text() == good

    report = tmp_path / "backup.json"
    as_json = run_cli(
        "backup", "-s", str(snaps), "-i", str(LAB), "--store", str(store), "-f", "json", "-o", str(report)
    )
    assert as_json.returncode == 2
    found = _backup_findings(report)
    assert found["hq-core1"]["status"] == "error" and "truncated" in found["hq-core1"]["message"]
    assert found["hq-core2"]["status"] == "pass"


def test_import_diff_and_log_with_secrets_masked(tmp_path: Path) -> None:
    flat = tmp_path / "oxidized"
    flat.mkdir()
    for host in ("hq-core1", "dc-leaf1"):
        (flat / host).write_text((LAB / "snapshots" / host / CONFIG).read_text())
    store = tmp_path / "store"
    imported = run_cli("backup", "--import", str(flat), "--store", str(store))
    assert imported.returncode == 0, imported.stderr
    assert "2 host(s): 2 new" in imported.stdout
    assert (store / "configs" / "hq-core1.cfg").is_file()

    (flat / "hq-core1").write_text((flat / "hq-core1").read_text().replace(OLD_SECRET, NEW_SECRET))
    again = run_cli("backup", "import", str(flat), "--store", str(store))
    assert again.returncode == 0, again.stderr
    assert "hq-core1  changed    +1 -1 lines" in again.stdout

    diff = run_cli("backup", "diff", "hq-core1", "--store", str(store))
    assert diff.returncode == 0, diff.stderr
    assert "-snmp-server community N3t*** RO ACL-SNMP-RO" in diff.stdout
    assert "+snmp-server community Zq8*** RO ACL-SNMP-RO" in diff.stdout
    for output in (imported, again, diff):
        assert OLD_SECRET not in output.stdout + output.stderr
        assert NEW_SECRET not in output.stdout + output.stderr

    log = run_cli("backup", "log", "hq-core1", "--store", str(store))
    assert log.returncode == 0, log.stderr
    lines = log.stdout.splitlines()
    assert len(lines) == 2 and "netcomply backup: 1 changed" in lines[0] and "[hq-core1]" in lines[0]

    unknown = run_cli("backup", "diff", "ghost", "--store", str(store))
    assert unknown.returncode == 2 and "no backup of ghost" in unknown.stderr

    top = run_cli("diff", "hq-core1", "--backup-store", str(store))
    assert top.returncode == 1, top.stderr  # `netcomply diff` exit status: 1 something changed
    assert top.stdout == diff.stdout
    policy = tmp_path / "policy.yaml"
    policy.write_text(f"backup:\n  store: {store}\n")
    unchanged = run_cli("diff", "dc-leaf1", "--policy", str(policy))
    assert unchanged.returncode == 0, unchanged.stderr
    assert "a single backup so far" in unchanged.stdout


def test_the_store_can_be_named_once_in_the_policy(tmp_path: Path) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text("backup:\n  store: nightly\n  max_age_days: 3\n")
    proc = run_cli("backup", "-i", str(LAB), "--policy", str(policy), "--hosts", "hq-core1,hq-acc1", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "nightly" / "configs" / "hq-acc1.cfg").is_file()
    assert not (tmp_path / "nightly" / "configs" / "hq-edge1.cfg").exists()
    report = tmp_path / "scan.json"
    scan = run_cli("scan", "--demo", "--policy", str(policy), "--hosts", "hq-core1", "-f", "json", "-o", str(report))
    assert scan.returncode in (0, 1), scan.stderr  # the scan completed (other checks may fail)
    assert _backup_findings(report)["hq-core1"]["status"] == "pass"


def test_clear_errors_without_a_store_or_with_a_bad_one(tmp_path: Path) -> None:
    none = run_cli("backup", cwd=tmp_path)
    assert none.returncode == 2 and "no backup store: give --store DIR" in none.stderr
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "file.txt").write_text("x")
    taken = run_cli("backup", "-i", str(LAB), "--store", str(tmp_path / "taken"), cwd=tmp_path)
    assert taken.returncode == 2 and "not a netcomply backup store" in taken.stderr
    both = run_cli("backup", "--import", str(tmp_path), "--inventory", str(LAB), "--store", str(tmp_path / "s"))
    assert both.returncode == 2 and "not both" in both.stderr
    shrink = tmp_path / "p.yaml"
    shrink.write_text("backup:\n  max_shrink_fraction: 1.5\n")
    bad = run_cli("scan", "--policy", str(shrink), cwd=tmp_path)
    assert bad.returncode == 2 and "max_shrink_fraction must be between 0 and 1" in bad.stderr


def test_backup_help_names_its_subcommands(tmp_path: Path) -> None:
    proc = run_cli("backup", "--help", cwd=tmp_path)
    assert proc.returncode == 0
    for word in ("run", "import", "diff", "log", "--import DIR"):
        assert word in proc.stdout
    run_help = run_cli("backup", "run", "--help", cwd=tmp_path)
    assert "--mask-secrets / --keep-secrets" in run_help.stdout and "--accept-shrink" in run_help.stdout


def test_masked_backup_from_the_command_line(tmp_path: Path) -> None:
    snaps = copy_lab(tmp_path / "snaps")
    edit_config(snaps, "hq-core1", OLD_SECRET, NEW_SECRET)
    store = tmp_path / "store"
    proc = run_cli("backup", "-s", str(snaps), "-i", str(LAB), "--store", str(store), "--mask-secrets")
    assert proc.returncode == 0, proc.stderr
    assert NEW_SECRET not in (store / "configs" / "hq-core1.cfg").read_text()
    keep = run_cli("backup", "-s", str(snaps), "-i", str(LAB), "--store", str(store), "--keep-secrets")
    assert keep.returncode == 2 and "keeps secrets masked" in keep.stderr


def test_without_git_the_error_says_so(tmp_path: Path) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    proc = run_cli("backup", "-i", str(LAB), "--store", str(tmp_path / "store"), cwd=tmp_path, env={"PATH": str(empty)})
    assert proc.returncode == 2
    assert "git is not installed" in proc.stderr and "Traceback" not in proc.stderr
    store = tmp_path / "real-store"
    assert run_cli("backup", "-i", str(LAB), "--hosts", "hq-core1", "--store", str(store), cwd=tmp_path).returncode == 0
    report = tmp_path / "scan.json"
    scan = run_cli(
        "scan",
        "--demo",
        "--hosts",
        "hq-core1",
        "--fail-on",
        "critical",
        "--backup-store",
        str(store),
        "-f",
        "json",
        "-o",
        str(report),
        cwd=tmp_path,
        env={"PATH": str(empty)},
    )
    assert scan.returncode == 2, scan.stderr  # an error finding (no failure counts at critical)
    finding = _backup_findings(report)["hq-core1"]
    assert finding["status"] == "error" and "git is not installed" in finding["message"]
