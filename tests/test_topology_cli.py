"""`netcomply topology`: every format, a declared topology compared, bad input, secrets, a real browser."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from testbed.topology_net import Net
from tests.conftest import run_cli
from tests.test_topology_checks import campus

SVG = "{http://www.w3.org/2000/svg}"
COMMUNITY = "Zq7SecretComm42"
PASSWORD = "Pl4inPassw0rdXyz"


def lab(tmp_path: Path) -> tuple[Path, Path]:
    """The campus with a bypass (hq-edge1 Gi0/0/2 <-> hq-acc1 Gi1/0/48) and secrets in every config."""
    net: Net = campus()
    net.link("hq-edge1", "GigabitEthernet0/0/2", "hq-acc1", "GigabitEthernet1/0/48")
    net.add("rogue-ap", in_inventory=False, snapshot=False)
    net.link("hq-acc2", "GigabitEthernet1/0/5", "rogue-ap", "eth0")
    for device in net.devices.values():
        device.config_extra = (
            f"snmp-server community {COMMUNITY} RW\nusername admin privilege 15 password 0 {PASSWORD}\n!\n"
        )
    return net.write(tmp_path)


def topology(tmp_path: Path, *args: str):  # type: ignore[no-untyped-def]
    inventory, snapshots = lab(tmp_path)
    return run_cli("topology", "-i", str(inventory), "-s", str(snapshots), *args)


def test_svg_parses_and_shows_zones_firewall_and_the_offending_link_in_red(tmp_path: Path) -> None:
    out = tmp_path / "topology.svg"
    result = topology(tmp_path, "-f", "svg", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "1 offending link(s)" in result.stderr
    root = ET.fromstring(out.read_bytes())
    assert root.tag == f"{SVG}svg"
    zones = {g.get("data-zone") for g in root.iter(f"{SVG}g") if g.get("data-zone")}
    assert zones == {"external", "internal", "not in the inventory"}
    nodes = {g.get("data-name"): g for g in root.iter(f"{SVG}g") if "node" in (g.get("class") or "").split()}
    assert set(nodes) == {"hq-edge1", "hq-fw1", "hq-core1", "hq-core2", "hq-dist1", "hq-acc1", "hq-acc2", "rogue-ap"}
    assert "barrier" in nodes["hq-fw1"].get("class", "").split()
    assert "unmanaged" in nodes["rogue-ap"].get("class", "").split()
    breaches = [e for e in root.iter() if "breach" in (e.get("class") or "").split() and e.tag != f"{SVG}text"]
    assert len(breaches) == 1
    ids = {g.get("id"): name for name, g in nodes.items()}
    assert {ids[breaches[0].get("data-a")], ids[breaches[0].get("data-b")]} == {"hq-edge1", "hq-acc1"}
    title = breaches[0].find(f"{SVG}title")
    assert title is not None and "topology.firewall_bypass" in (title.text or "")
    assert "GigabitEthernet1/0/48" in (title.text or "")


def test_json_lists_nodes_links_findings_and_serves_as_a_declared_baseline(tmp_path: Path) -> None:
    result = topology(tmp_path, "-f", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["schema"] == "netcomply-topology/1"
    assert data["summary"]["offending_links"] == 1
    flagged = [link for link in data["links"] if link.get("findings")]
    assert [(link["a"], link["b"], link["findings"]) for link in flagged] == [
        ("hq-acc1", "hq-edge1", ["topology.firewall_bypass"])
    ]
    assert {n["name"] for n in data["nodes"] if not n["managed"]} == {"rogue-ap"}
    baseline = tmp_path / "baseline.json"
    baseline.write_text(result.stdout)
    again = run_cli(
        "topology",
        "-i",
        str(tmp_path / "inventory"),
        "-s",
        str(tmp_path / "snapshots"),
        "-f",
        "json",
        "--declared",
        str(baseline),
    )
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["summary"]["differences"] == 0
    assert "0 difference(s)" in again.stderr


def test_declared_topology_differences_are_listed(tmp_path: Path) -> None:
    declared = tmp_path / "declared.yaml"
    declared.write_text(
        "links:\n"
        "  - {a: hq-edge1, a_interface: Gi0/0/1, b: hq-fw1, b_interface: Gi0/0}\n"
        "  - {a: hq-fw1, b: hq-core1}\n"
        "  - {a: hq-fw1, b: hq-core2}\n"
        "  - {a: hq-core1, b: hq-core2}\n"
        "  - {a: hq-core1, b: hq-dist1}\n"
        "  - {a: hq-core2, b: hq-dist1, b_interface: Gi1/0/51}\n"  # discovered on Gi1/0/50
        "  - {a: hq-dist1, b: hq-acc1}\n"
        "  - {a: hq-dist1, b: hq-acc2}\n"
        "  - {a: hq-dist1, b: hq-acc3}\n"  # no such device any more
        "  - {a: hq-core1, b: hq-acc2, a_interface: Gi1/0/9}\n"  # documented, not cabled
    )
    result = topology(tmp_path, "-f", "json", "--declared", str(declared))
    assert result.returncode == 0, result.stderr
    diff = json.loads(result.stdout)["differences"]
    assert [(d["a"], d["b"], d["line"]) for d in diff["missing_links"]] == [
        ("hq-dist1", "hq-acc3", 10),
        ("hq-core1", "hq-acc2", 11),
    ]
    assert sorted((d["a"], d["b"]) for d in diff["undocumented_links"]) == [
        ("hq-acc1", "hq-edge1"),
        ("hq-acc2", "rogue-ap"),
    ]
    assert [(m["declared"]["b_interface"], m["discovered"]["b_interface"]) for m in diff["port_mismatches"]] == [
        ("Gi1/0/51", "GigabitEthernet1/0/50")
    ]
    assert diff["missing_devices"] == ["hq-acc3"]
    assert diff["undocumented_devices"] == ["rogue-ap"]
    assert "7 difference(s)" in result.stderr


def test_dot_marks_firewalls_and_the_offending_link(tmp_path: Path) -> None:
    result = topology(tmp_path, "-f", "dot")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert text.startswith("graph topology {") and text.rstrip().endswith("}")
    assert text.count("{") == text.count("}")
    assert '"hq-fw1" [label="hq-fw1\\nfirewall", shape=octagon' in text
    breach = next(line for line in text.splitlines() if 'color="#d62728"' in line)
    assert breach.strip().startswith(('"hq-acc1" -- "hq-edge1"', '"hq-edge1" -- "hq-acc1"'))
    assert "GigabitEthernet0/0/2" in breach and "GigabitEthernet1/0/48" in breach


@pytest.mark.parametrize("fmt", ["svg", "html", "dot", "json"])
def test_no_secret_reaches_any_format(tmp_path: Path, fmt: str) -> None:
    result = topology(tmp_path, "-f", fmt, "-v")
    assert result.returncode == 0, result.stderr
    for secret in (COMMUNITY, PASSWORD):
        assert secret not in result.stdout
        assert secret not in result.stderr


def test_bad_inputs_exit_2_with_a_clear_message(tmp_path: Path) -> None:
    inventory, snapshots = lab(tmp_path)
    broken = tmp_path / "broken.yaml"
    broken.write_text("links:\n  - {a: hq-fw1}\n")
    result = run_cli("topology", "-i", str(inventory), "-s", str(snapshots), "--declared", str(broken))
    assert result.returncode == 2
    assert "broken.yaml line 2: a link needs both ends" in result.stderr
    policy = tmp_path / "policy.yaml"
    policy.write_text("topology:\n  min_cores_per_site: 0\n")
    result = run_cli("topology", "-i", str(inventory), "-s", str(snapshots), "-p", str(policy))
    assert result.returncode == 2
    assert "min_cores_per_site must be a whole number >= 1" in result.stderr
    result = run_cli("topology", "-i", str(tmp_path / "nowhere"), "-s", str(snapshots))
    assert result.returncode == 2
    assert "does not exist" in result.stderr


def test_a_host_that_cannot_be_parsed_is_drawn_and_named(tmp_path: Path) -> None:
    inventory, snapshots = lab(tmp_path)
    (snapshots / "hq-core2" / "meta.yaml").write_text("platform: [not, valid\n")
    result = run_cli("topology", "-i", str(inventory), "-s", str(snapshots), "-f", "json")
    assert result.returncode == 0, result.stderr
    nodes = {n["name"]: n for n in json.loads(result.stdout)["nodes"]}
    assert nodes["hq-core2"]["scanned"] is False
    assert nodes["hq-core2"]["note"].startswith("not scanned: meta.yaml is not valid YAML")
    assert "1 not scanned" in result.stderr


def test_html_is_self_contained_and_renders_in_chromium_without_errors(browser_page, tmp_path: Path) -> None:
    out = tmp_path / "topology.html"
    result = topology(tmp_path, "-f", "html", "-o", str(out))
    assert result.returncode == 0, result.stderr
    text = out.read_text()
    for external in ("<link ", "src=", "@import", "url("):
        assert external not in text
    requests: list[str] = []
    browser_page.on("request", lambda request: requests.append(request.url))
    browser_page.goto(out.as_uri())
    browser_page.wait_for_selector("body[data-ready='1']")
    assert browser_page.errors == []
    assert all(url.startswith(("file:", "data:")) for url in requests), requests
    assert browser_page.locator("svg#topology g.node").count() == 8
    row = browser_page.locator("tr.finding", has_text="topology.firewall_bypass")
    assert row.count() == 1
    row.click()
    highlighted = browser_page.locator("svg#topology .edge.hl")
    assert highlighted.count() == 1
    assert "breach" in (highlighted.get_attribute("class") or "")
    browser_page.fill("#search", "hq-core")
    assert browser_page.locator("svg#topology g.node.hl").count() == 2
    box = browser_page.locator("#canvas").bounding_box()
    assert box is not None and box["height"] > 200
    assert browser_page.errors == []


def _verdicts(report: Path, check: str) -> list[tuple[str, str]]:
    findings = json.loads(report.read_text())["findings"]
    return sorted((f["host"], f["status"]) for f in findings if f["check"] == check)


def _filtered_scan(net: Net, folder: Path, hosts: str) -> Path:
    inventory, snapshots = net.write(folder)
    report = folder / "report.json"
    run_cli("scan", "--no-store", "-q", "-i", str(inventory), "-s", str(snapshots), "--hosts", hosts,
            "-f", "json", "-o", str(report))  # fmt: skip
    return report


def test_a_filtered_scan_knows_the_hosts_it_leaves_out(tmp_path: Path) -> None:
    """`scan --hosts` judges topology with the whole inventory: the firewall it did not scan is still one."""
    net: Net = campus()
    report = _filtered_scan(net, tmp_path / "campus", "hq-edge1,hq-core1")
    assert _verdicts(report, "topology.firewall_bypass") == [("hq-edge1", "pass")]
    assert _verdicts(report, "topology.core_redundancy") == [("hq-core1", "not_applicable")]
    assert ("hq-core1", "pass") in _verdicts(report, "topology.unmanaged_neighbor")
    assert {f["host"] for f in json.loads(report.read_text())["findings"]} == {"hq-edge1", "hq-core1"}

    net.link("hq-edge1", "GigabitEthernet0/0/2", "hq-acc1", "GigabitEthernet1/0/48")
    report = _filtered_scan(net, tmp_path / "bypass", "hq-edge1")
    assert _verdicts(report, "topology.firewall_bypass") == [("hq-edge1", "fail")]


OVERLAPS_JS = """
() => {
  const boxes = [];
  for (const t of document.querySelectorAll('svg text')) {
    const b = t.getBBox();
    const cls = t.getAttribute('class') || t.parentNode.getAttribute('class') || '';
    if (b.width > 0) boxes.push({text: t.textContent, cls, x: b.x, y: b.y, w: b.width, h: b.height});
  }
  for (const r of document.querySelectorAll('svg g.node > rect')) {
    const b = r.getBBox();
    boxes.push({text: 'device ' + r.parentNode.dataset.name, cls: 'device', x: b.x, y: b.y, w: b.width, h: b.height});
  }
  const hit = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
  const clashes = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], b = boxes[j];
    const port = a.cls.startsWith('port') || b.cls.startsWith('port');
    const device = a.cls === 'device' || b.cls === 'device';
    // Text inside a device box is meant to be there; any other pair must not touch.
    if (device && !port) continue;
    if (hit(a, b)) clashes.push(a.text + ' / ' + b.text);
  }
  return {clashes, ports: boxes.filter(b => b.cls.startsWith('port')).length};
}
"""


def test_the_lab_drawing_has_no_overlapping_labels_and_names_its_network(browser_page, tmp_path: Path) -> None:
    """Measured in a real browser: no label covers another label or a device; the title names the network."""
    out = tmp_path / "lab.svg"
    proc = run_cli("topology", "--demo", "-f", "svg", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    title = ET.fromstring(out.read_bytes()).find(f"{SVG}title")
    assert title is not None and title.text == "netcomply topology: netcomply demo lab (sites hq, plant)"
    browser_page.goto(out.as_uri())
    found = browser_page.evaluate(OVERLAPS_JS)
    assert found["clashes"] == []
    assert found["ports"] >= 20, "most port labels still find a place"
    assert browser_page.errors == []
