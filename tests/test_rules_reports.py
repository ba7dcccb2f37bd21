"""A policy rule reaches every report format and the results database like a shipped check."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import jsonschema
import pytest

from reports import RenderOptions, formats, render
from reports._audit import audit_rows
from scanner.model import ScanResult, Status
from scanner.policy import Policy
from scanner.store import Scope, Store
from tests.conftest import LAB, ROOT
from tests.scanhelpers import scan_folder

RULE_ID = "site.no_source_route"
POLICY = f"""\
rules:
  - id: {RULE_ID}
    title: IP source routing disabled
    severity: high
    platforms: [cisco_ios, cisco_xe]
    must_contain: '^no ip source-route$'
    fix: no ip source-route
    clauses: {{form: '5.2.3', mlps: '8.1.4.1 a)'}}
"""


@pytest.fixture(scope="module")
def result() -> ScanResult:
    return scan_folder(LAB / "snapshots", LAB, policy=Policy.from_text(POLICY, "site.yaml"))


def _text(data: str | bytes) -> str:
    if isinstance(data, str):
        return data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "\n".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())


def test_the_rule_judged_the_lab(result: ScanResult) -> None:
    statuses = {f.host: f.status for f in result.findings if f.check == RULE_ID}
    assert statuses["plant-rtr1"] is Status.PASS
    assert statuses["hq-acc1"] is Status.FAIL
    assert statuses["hq-fw1"] is Status.NOT_APPLICABLE
    info = next(c for c in result.checks if c.id == RULE_ID)
    assert info.origin == "rule site.yaml:2"
    assert dict(info.clauses) == {"form": ("5.2.3",), "mlps": ("8.1.4.1 a)",)}


@pytest.mark.parametrize("name", sorted(formats()))
def test_every_format_carries_the_rule(result: ScanResult, name: str) -> None:
    text = _text(render(name, result, RenderOptions()))
    if name.startswith("audit"):
        assert "IP source routing disabled" in text, "the form row names the rule by its title"
    else:
        assert RULE_ID in text


def test_json_with_a_rule_follows_the_schema(result: ScanResult) -> None:
    schema = json.loads((ROOT / "reports" / "schema" / "netcomply-1.schema.json").read_text())
    document = json.loads(_text(render("json", result)))
    jsonschema.validate(document, schema)
    check = next(c for c in document["checks"] if c["id"] == RULE_ID)
    assert check["origin"] == "rule site.yaml:2"


def test_the_audit_form_counts_the_rule_under_the_item_it_names(result: ScanResult) -> None:
    row = next(r for r in audit_rows(result, "en") if r.id == "5.2.3")
    assert RULE_ID in row.checks
    assert any(RULE_ID in line and "failed" in line for line in row.found)
    assert any("IP source routing disabled" in line and "no ip source-route" in line for line in row.todo)


def test_the_store_keeps_the_rule_check_and_its_findings(result: ScanResult, tmp_path: Path) -> None:
    with Store(f"sqlite:///{tmp_path / 'runs.db'}") as store:
        store.save(result, Scope.of(LAB, LAB / "snapshots"))
        loaded = store.load("latest")
    info = next(c for c in loaded.checks if c.id == RULE_ID)
    assert info.origin == "rule site.yaml:2"
    assert {f.host for f in loaded.findings if f.check == RULE_ID} == {
        f.host for f in result.findings if f.check == RULE_ID
    }
    power = next(c for c in loaded.checks if c.id == "power.redundant")
    assert power.remediation.startswith("Install a second power supply"), "general advice survives the store"
