"""`netcomply scan` as cron runs it: saved runs, --on-change, --log-file, latest + dated reports."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import LAB, run_cli

# A web server switched on (services.http fails), restricted to the management hosts as the
# rest of the device is (so access.management_acl does not fail with it).
HTTP_SERVER_ON = "\nip http server\nip http access-class ipv4 ACL-VTY-MGMT\nend"


@pytest.fixture
def lab_copy(tmp_path: Path) -> Path:
    target = tmp_path / "lab"
    shutil.copytree(LAB, target)
    return target


def _enable_http(lab: Path, host: str = "hq-core1") -> None:
    config = lab / "snapshots" / host / "show_running-config.txt"
    config.write_text(config.read_text().replace("\nend", HTTP_SERVER_ON))


def test_every_scan_is_saved_to_the_default_database_unless_told_not_to(tmp_path: Path) -> None:
    env = {"XDG_DATA_HOME": str(tmp_path / "xdg")}
    default_db = tmp_path / "xdg" / "netcomply" / "netcomply.db"
    proc = run_cli("scan", "-i", str(LAB), "--no-store", "-q", "-f", "json", "-o", str(tmp_path / "a.json"), env=env)
    assert proc.returncode == 1, proc.stderr
    assert not default_db.exists()
    proc = run_cli("scan", "-i", str(LAB), "-q", "-f", "json", "-o", str(tmp_path / "b.json"), env=env)
    assert proc.returncode == 1, proc.stderr
    run_id = json.loads((tmp_path / "b.json").read_text())["run"]["id"]
    assert sqlite3.connect(default_db).execute("SELECT id FROM runs").fetchall() == [(run_id,)]
    listing = run_cli("runs", env=env)
    assert run_id in listing.stdout and "hosts" in listing.stdout


def test_a_stored_run_renders_the_same_json_as_the_scan_wrote(tmp_path: Path) -> None:
    db = tmp_path / "runs.db"
    run_cli("scan", "-i", str(LAB), "--db", str(db), "-q", "-f", "json", "-o", str(tmp_path / "scan.json"))
    proc = run_cli("report", "latest", "--db", str(db), "-f", "json", "-o", str(tmp_path / "report.json"))
    assert proc.returncode == 0, proc.stderr
    assert json.loads((tmp_path / "report.json").read_text()) == json.loads((tmp_path / "scan.json").read_text())


def test_a_database_that_cannot_be_opened_stops_the_scan_with_a_hint(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    proc = run_cli(
        "scan", "-i", str(LAB), "--db", str(blocker / "runs.db"), "-q", "-f", "json", "-o", str(tmp_path / "r.json")
    )
    assert proc.returncode == 2
    assert "--no-store" in proc.stderr and "Traceback" not in proc.stderr


def test_on_change_runs_the_command_only_when_the_result_changed(lab_copy: Path, tmp_path: Path) -> None:
    db = tmp_path / "runs.db"
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    hook = f'cat > "{inbox}/$NETCOMPLY_RUN_ID.txt"'

    def scan() -> None:
        proc = run_cli(
            "scan", "-i", str(lab_copy), "--db", str(db), "--on-change", hook, "-q", "-f", "json", "-o", str(tmp_path)
        )
        assert proc.returncode == 1, proc.stderr

    scan()
    first = list(inbox.iterdir())
    assert len(first) == 1, "the first run has new failures: the hook runs"
    assert "no earlier run of this inventory" in first[0].read_text()
    scan()
    assert len(list(inbox.iterdir())) == 1, "nothing changed: the hook does not run"
    _enable_http(lab_copy)
    scan()
    messages = sorted(inbox.iterdir(), key=lambda p: p.stat().st_mtime)
    assert len(messages) == 2
    text = messages[-1].read_text()
    assert "New failures (1):" in text and "hq-core1 services.http" in text


def test_a_failing_hook_does_not_change_the_exit_status(tmp_path: Path) -> None:
    proc = run_cli(
        "scan",
        "-i",
        str(LAB),
        "--db",
        str(tmp_path / "r.db"),
        "--on-change",
        "exit 7",
        "-f",
        "json",
        "-o",
        str(tmp_path),
    )
    assert proc.returncode == 1
    assert "--on-change command exited with status 7" in proc.stderr


def test_reports_in_a_folder_keep_dated_copies_and_a_stable_latest(lab_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "reports"
    out.mkdir()
    db = tmp_path / "runs.db"
    for _ in range(2):
        proc = run_cli("scan", "-i", str(lab_copy), "--db", str(db), "-q", "-f", "json,html", "-o", str(out))
        assert proc.returncode == 1, proc.stderr
        _enable_http(lab_copy)
    names = sorted(p.name for p in out.iterdir())
    dated_json = [n for n in names if n.startswith("netcomply-json-") and not n.endswith("-latest.json")]
    assert len(dated_json) == 2, names
    assert "netcomply-json-latest.json" in names and "netcomply-html-latest.html" in names
    assert not [n for n in names if n.startswith(".")], "no temporary file is left behind"
    latest = json.loads((out / "netcomply-json-latest.json").read_text())
    newest = sqlite3.connect(db).execute("SELECT id FROM runs ORDER BY started DESC LIMIT 1").fetchone()[0]
    assert latest["run"]["id"] == newest
    html = (out / "netcomply-html-latest.html").read_text()
    assert 'class="new"' in html and "hq-core1" in html, "the second run marks its new failure"
    again = run_cli("report", "latest", "--db", str(db), "-f", "html")
    assert again.returncode == 0 and again.stdout.count('<span class="new"') == html.count('<span class="new"')
    first = run_cli("report", "previous", "--db", str(db), "-f", "html")
    assert '<span class="new"' not in first.stdout, "the first run of an inventory has nothing to compare with"


def test_log_file_records_the_run_and_no_secret(tmp_path: Path) -> None:
    log = tmp_path / "logs" / "netcomply.log"
    snaps = tmp_path / "snaps"
    snaps.mkdir()
    (snaps / "r1.cfg").write_text(
        "version 15.2\nservice timestamps debug datetime msec\nhostname r1\ninterface GigabitEthernet0/1\n"
        " ip address 192.0.2.1 255.255.255.0\nsnmp-server community Xq7LogSecret RW\n"
        "username a privilege 15 password 0 Pw4LogSecret\nend\n"
    )
    proc = run_cli(
        "scan",
        "-s",
        str(snaps),
        "--db",
        str(tmp_path / "r.db"),
        "--log-file",
        str(log),
        "-q",
        "-f",
        "json",
        "-o",
        str(tmp_path / "r.json"),
    )
    assert proc.returncode == 1, proc.stderr
    text = log.read_text()
    assert "saved run" in text and "r1:" in text
    for secret in ("Xq7LogSecret", "Pw4LogSecret"):
        assert secret not in text
        assert secret.encode() not in (tmp_path / "r.db").read_bytes()
