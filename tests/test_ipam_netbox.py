"""IP records from NetBox through pynetbox, against NetBox-shaped responses served on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from scanner.ipam.netbox import NetboxSettings, read_netbox
from scanner.network.ipam.records import RecordsError, key_address
from scanner.snapshot import write_snapshot
from tests.conftest import FIXTURES, run_cli
from tests.ipamnet import host_inputs
from tests.netboxserver import serve_netbox

pytest.importorskip("pynetbox", reason="pynetbox is the netbox extra (in the test extra too)")

RESPONSES = FIXTURES / "ipam" / "netbox"
TOKEN = "0123456789abcdef0123456789abcdef01234567"
ENV = "NETCOMPLY_TEST_NETBOX_TOKEN"


def _settings(url: str, env: str = ENV) -> NetboxSettings:
    return NetboxSettings(url=url, token_env=env, timeout=5.0)


def test_prefixes_addresses_and_ranges_are_read_page_by_page(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV, TOKEN)
    with serve_netbox(RESPONSES, TOKEN, page_size=4) as netbox:
        records = read_netbox(_settings(netbox.url))
    assert records.source == f"NetBox {netbox.url}"
    assert {str(p.network): p.zone for p in records.prefixes} == {
        "10.0.0.0/24": "Production Control",
        "10.20.0.0/24": "Production Control",
        "10.40.0.0/24": "Production Control",
        "10.50.0.0/24": "Management Information",
        "10.255.0.0/24": None,
    }
    assert len(records.allocations) == 17
    by_address = {str(a.address): a for a in records.allocations}
    assert (by_address["10.0.0.1"].host, by_address["10.0.0.1"].interface) == ("r1", "GigabitEthernet0/1")
    assert by_address["10.20.0.50"].host == "eng-li.plant.example"
    assert by_address["10.20.0.1"].shared and by_address["10.40.0.1"].shared
    assert not by_address["10.255.0.9"].shared
    origin = by_address["10.0.0.1"].origin
    assert (origin.source, origin.line, origin.describe()) == (
        f"NetBox {netbox.url} ipam/ip-addresses",
        101,
        f"NetBox {netbox.url} ipam/ip-addresses #101",
    )
    assert [(str(key_address(r.first)), str(key_address(r.last))) for r in records.ranges] == [
        ("10.40.0.128", "10.40.0.254")
    ]
    pages = [path for path, _ in netbox.requests if path.startswith("/api/ipam/ip-addresses/")]
    assert len(pages) == 5  # 17 addresses, 4 a page
    assert all(headers["authorization"] == f"Token {TOKEN}" for _, headers in netbox.requests)


def test_a_refused_token_is_a_clear_error_that_never_shows_the_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV, "f" * 40)
    with serve_netbox(RESPONSES, TOKEN) as netbox, pytest.raises(RecordsError) as caught:
        read_netbox(_settings(netbox.url))
    message = str(caught.value)
    assert message.startswith(f"NetBox {netbox.url}: The request failed with code 403 Forbidden")
    assert "f" * 40 not in message


def test_the_token_comes_from_the_environment_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV, raising=False)
    with pytest.raises(RecordsError, match=f"set the NetBox API token in the environment variable {ENV}"):
        read_netbox(_settings("http://127.0.0.1:9"))


def test_an_unreachable_netbox_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV, TOKEN)
    with serve_netbox(RESPONSES, TOKEN) as netbox:
        url = netbox.url
    with pytest.raises(RecordsError, match=r"cannot reach the API \(ConnectionError"):
        read_netbox(_settings(url))


def test_a_scan_reconciles_the_network_with_netbox(tmp_path: Path) -> None:
    inventory = tmp_path / "inventory"
    snapshots = inventory / "snapshots"
    hosts = {}
    for item in host_inputs():
        assert item.snapshot is not None
        write_snapshot(snapshots, item.snapshot)
        hosts[item.host.name] = {"hostname": "192.0.2.10", "platform": item.host.platform, "data": dict(item.host.data)}
    (inventory / "hosts.yaml").write_text(yaml.safe_dump(hosts), encoding="utf-8")
    out = tmp_path / "scan.json"
    policy = tmp_path / "policy.yaml"
    with serve_netbox(RESPONSES, TOKEN) as netbox:
        policy.write_text(
            "ipam:\n"
            f"  netbox: {{url: '{netbox.url}', token_env: {ENV}, timeout: 5}}\n"
            "  zone_aliases: {production control: production-control, management information: management}\n",
            encoding="utf-8",
        )
        proc = run_cli(
            "scan",
            "--inventory",
            str(inventory),
            "-p",
            str(policy),
            "-f",
            "json",
            "-o",
            str(out),
            "-vv",
            env={ENV: TOKEN},
        )
    assert TOKEN not in proc.stdout + proc.stderr + out.read_text()
    document = json.loads(out.read_text())
    verdicts = {(f["check"], f["host"]): f["status"] for f in document["findings"] if f["check"].startswith("ipam.")}
    # The same verdicts as the allocation table of tests/ipamnet.py gives.
    assert verdicts[("ipam.unrecorded_address", "r1")] == "fail"
    assert verdicts[("ipam.unrecorded_address", "fw")] == "pass"
    assert verdicts[("ipam.unrecorded_host", "sw2")] == "pass"  # 10.40.0.150 is in the DHCP range
    assert verdicts[("ipam.unrecorded_host", "sw1")] == "fail"
    assert verdicts[("ipam.outside_plan", "leaf")] == "fail"
    assert verdicts[("ipam.outside_plan", "sw2")] == "pass"
    assert verdicts[("ipam.stale_record", "sw1")] == "fail"
    assert document["run"]["inputs"]["ipam"].startswith(f"NetBox {netbox.url}: 5 planned prefix(es), 17 recorded")
