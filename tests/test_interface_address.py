"""Interface addresses are read and kept as :mod:`ipaddress` reads them.

The platforms read the common IPv4 spellings themselves (scanner/platforms/_interfaces.py
``_address``) and an IPv4 interface address pickles as integers (scanner/facts.py): both
must give exactly what ``ipaddress.ip_interface`` gives, or nothing where it refuses.
"""

from __future__ import annotations

import ipaddress
import pickle

import pytest

from scanner.facts import InterfaceAddress
from scanner.model import Evidence
from scanner.platforms._interfaces import _address

# (address text, mask or None when the prefix is in the text)
CASES = [
    ("10.1.1.1", "255.255.255.0"),
    ("10.1.1.1", "24"),
    ("10.1.1.1/24", None),
    ("10.1.1.1", None),
    ("0.0.0.0", "0"),
    ("0.0.0.0", "0.0.0.0"),
    ("10.1.1.1", "0"),
    ("10.1.1.1", "32"),
    ("10.1.1.1", "255.255.255.255"),
    ("10.1.1.0", "255.255.255.254"),
    ("255.255.255.255", "32"),
    ("192.168.7.9/0", None),
    ("192.168.7.9/32", None),
    # host bits set, network address, broadcast address
    ("172.16.5.77", "255.255.240.0"),
    ("172.16.0.0", "12"),
    ("172.31.255.255", "12"),
    # what ipaddress reads its own way: hostmasks, leading zeros in the length, bad masks
    ("10.1.1.1", "0.0.0.255"),
    ("10.1.1.1", "024"),
    ("10.1.1.1", "255.0.255.0"),
    ("10.1.1.1", "33"),
    ("10.1.1.1", "-1"),
    ("10.1.1.1", ""),
    ("10.1.1.1", "255.255.255.256"),
    ("10.1.1.1/24/8", None),
    ("10.1.1.1/", None),
    # bad addresses
    ("010.1.1.1", "24"),
    ("10.1.1", "24"),
    ("10.1.1.1.1", "24"),
    ("10.1.1.256", "24"),
    ("10.1.1.1000", "24"),
    ("10.1..1", "24"),
    ("10.1.1.١", "24"),
    ("10.1.1.1\x00", "24"),
    (" 10.1.1.1", "24"),
    ("10.1.1.1 ", "24"),
    ("+10.1.1.1", "24"),
    ("host", "24"),
    ("", None),
    # IPv6 goes to ipaddress whole
    ("2001:db8::1/64", None),
    ("2001:db8::1", "64"),
    ("fe80::1%eth0/64", None),
    ("::/0", None),
    ("::1", "128"),
    ("2001:db8::1", "255.255.255.0"),
]


def _reference(text: str, mask: str | None) -> ipaddress.IPv4Interface | ipaddress.IPv6Interface | None:
    try:
        return ipaddress.ip_interface(text if mask is None else f"{text}/{mask}")
    except ValueError:
        return None


@pytest.mark.parametrize(("text", "mask"), CASES)
def test_interface_addresses_read_as_ipaddress_reads_them(text: str, mask: str | None) -> None:
    expected = _reference(text, mask)
    got = _address(text, mask)
    if expected is None:
        assert got is None
        return
    assert got is not None
    assert type(got) is type(expected)
    assert (str(got), got.network, got.netmask, got.network.prefixlen) == (
        str(expected),
        expected.network,
        expected.netmask,
        expected.network.prefixlen,
    )
    assert got == expected


def test_every_prefix_length_and_netmask_agrees() -> None:
    for length in range(33):
        mask = str(ipaddress.IPv4Network(f"0.0.0.0/{length}").netmask)
        for text in ("10.20.30.40", "0.0.0.0", "255.255.255.255"):
            assert _address(text, mask) == ipaddress.ip_interface(f"{text}/{mask}")
            assert _address(text, str(length)) == ipaddress.ip_interface(f"{text}/{length}")


@pytest.mark.parametrize(
    "value", ["10.1.1.1/24", "10.1.1.0/32", "0.0.0.0/0", "192.0.2.9/31", "2001:db8::1/64", "fe80::1%eth0/64"]
)
def test_interface_address_survives_pickling(value: str) -> None:
    address = InterfaceAddress(
        ipaddress.ip_interface(value),
        Evidence("show running-config", 3, "ip address"),
        secondary=True,
        virtual="vrrp 1",
    )
    copy = pickle.loads(pickle.dumps(address, protocol=pickle.HIGHEST_PROTOCOL))
    assert copy == address
    assert str(copy.address) == value
    assert copy.address.network == address.address.network


def test_an_ipv4_interface_address_is_not_pickled_as_text() -> None:
    address = InterfaceAddress(ipaddress.ip_interface("10.123.45.67/24"), Evidence("show running-config", 3, "x"))
    assert b"10.123.45.67" not in pickle.dumps(address, protocol=pickle.HIGHEST_PROTOCOL)
