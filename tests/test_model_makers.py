"""Evidence and findings made through their slots (the per-host hot path) are the objects the dataclass makes."""

from __future__ import annotations

import pickle
from datetime import date

import pytest

from scanner.masking import mask_line
from scanner.model import Evidence, Finding, Severity, Status, Waiver, _slot_setters, new_finding


def test_evidence_of_is_the_dataclass_with_the_line_masked() -> None:
    made = Evidence.of("show running-config", 12, " snmp-server community Xy7secretQ RO  \r", "/snap/r1.cfg")
    masked = mask_line(" snmp-server community Xy7secretQ RO")
    assert "Xy7secretQ" not in masked
    assert made == Evidence(source="show running-config", line=12, text=masked, path="/snap/r1.cfg")
    assert "Xy7secretQ" not in repr(made)
    assert made.host is None
    assert pickle.loads(pickle.dumps(made)) == made
    with pytest.raises(AttributeError):
        made.text = "unmasked"  # type: ignore[misc]  # still frozen


def test_new_finding_is_the_dataclass_field_for_field() -> None:
    evidence = (Evidence.of("show running-config", 3, "ip http server"),)
    waiver = Waiver("r1", "services.http", "change 4711", date(2027, 1, 31))
    values = {
        "host": "r1",
        "check": "services.http",
        "status": Status.WAIVED,
        "severity": Severity.HIGH,
        "message": "the HTTP server is on",
        "platform": "cisco_ios",
        "evidence": evidence,
        "remediation": ("no ip http server",),
        "waiver": waiver,
        "key": "on",
        "params": {"count": "1"},
    }
    made = new_finding(**values)
    assert made == Finding(**values)
    assert made.to_dict() == Finding(**values).to_dict()
    assert pickle.loads(pickle.dumps(made)) == made


def test_slot_setters_must_name_every_field_in_order() -> None:
    """A field added to Finding or Evidence without its setter fails at import, not as an unset slot later."""
    with pytest.raises(TypeError, match="fields are"):
        _slot_setters(Evidence, ("source", "line", "text", "path"))
    with pytest.raises(TypeError, match="fields are"):
        _slot_setters(Evidence, ("line", "source", "text", "path", "host"))
