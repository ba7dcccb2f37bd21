"""``netcomply ipam export``: every address found, as the first draft of an allocation table."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from openpyxl import load_workbook

from scanner.ipam.export import ExportRow, render_csv
from tests.conftest import run_cli


def _csv_rows(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_csv_export_of_the_lab_lists_configured_and_arp_addresses() -> None:
    proc = run_cli("ipam", "export", "--demo")
    assert proc.returncode == 0, proc.stderr
    rows = _csv_rows(proc.stdout)
    assert list(rows[0]) == ["address", "prefix", "device", "interface", "vrf", "zone", "source", "mac", "purpose"]
    by_key = {(r["device"], r["address"]): r for r in rows}
    loopback = by_key[("hq-core1", "10.10.255.1")]
    assert (loopback["prefix"], loopback["interface"], loopback["zone"], loopback["source"]) == (
        "10.10.255.1/32",
        "Loopback0",
        "internal",
        "config",
    )
    management = by_key[("hq-dist1", "10.10.99.10")]
    assert management["vrf"] == "management"
    gateway = by_key[("dc-leaf1", "10.10.110.1")]
    assert gateway["purpose"] == "shared gateway (virtual-router)"
    rogue = by_key[("hq-dist1", "10.10.20.77")]
    assert (rogue["source"], rogue["mac"], rogue["interface"], rogue["prefix"]) == (
        "ARP",
        "f0:de:f1:c9:00:77",
        "Vlan20",
        "10.10.20.0/24",
    )
    # A host seen by several devices is listed once per VRF, where it was first seen (hq-acc1 and
    # mgmt-sw1 see it too; hq-dist1 sees it from its management VRF).
    assert [(r["device"], r["vrf"]) for r in rows if r["address"] == "10.10.99.100"] == [
        ("hq-core1", ""),
        ("hq-dist1", "management"),
    ]
    # Device addresses seen in ARP tables are listed as configured, not again as ARP hosts.
    assert [r["source"] for r in rows if r["address"] == "10.10.0.2"] == ["config"]
    assert "15 host(s)" in proc.stderr


def test_xlsx_export_in_chinese_reads_back_as_the_allocation_table(tmp_path: Path) -> None:
    """The export, taken as it is, is a table `scan --ipam` reads: every address is then recorded."""
    workbook = tmp_path / "IP地址.xlsx"
    proc = run_cli("ipam", "export", "--demo", "--format", "xlsx", "--lang", "zh", "-o", str(workbook))
    assert proc.returncode == 0, proc.stderr
    sheet = load_workbook(workbook).active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    assert header == ["IP地址", "网段", "设备名称", "接口", "VRF", "区域", "来源", "MAC地址", "用途"]
    sources = {row[6] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert sources == {"配置", "ARP表"}
    assert sheet.freeze_panes == "A2"

    out = tmp_path / "scan.json"
    run_cli("scan", "--demo", "--ipam", str(workbook), "-f", "json", "-o", str(out))
    findings = json.loads(out.read_text())["findings"]
    for check in ("ipam.unrecorded_address", "ipam.unrecorded_host", "ipam.stale_record"):
        statuses = {f["status"] for f in findings if f["check"] == check}
        assert statuses == {"pass"}, check


def test_host_filter_and_snapshot_options_are_those_of_scan(tmp_path: Path) -> None:
    proc = run_cli("ipam", "export", "--demo", "--site", "plant")
    assert proc.returncode == 0, proc.stderr
    devices = {r["device"] for r in _csv_rows(proc.stdout)}
    assert devices == {"plant-rtr1", "plant-core1", "plant-dist1", "plant-sw1"}


def test_xlsx_needs_an_output_file() -> None:
    proc = run_cli("ipam", "export", "--demo", "--format", "xlsx")
    assert proc.returncode == 2
    assert "give --output FILE.xlsx" in proc.stderr


def test_device_text_never_becomes_a_formula() -> None:
    row = ExportRow("10.0.0.1", "10.0.0.0/24", "r1", "Gi0/1", "", "", "config", "", '=HYPERLINK("x")')
    assert _csv_rows(render_csv([row]))[0]["purpose"] == '\'=HYPERLINK("x")'
