"""Interface facts of every platform: own addresses, shared gateways, VRF, state, L2/L3 and filters.

Listed are the interfaces with an address, a shared gateway or a filter; bridging ports with none are not.
"""

from __future__ import annotations

from ipaddress import ip_interface

from scanner.facts import Facts, Interface
from scanner.platforms import get_platform
from tests.scanhelpers import text_snapshot

IOS = """\
Building configuration...
!
version 15.2
hostname core-a
!
ip routing
!
interface Loopback0
 ip address 10.255.0.1 255.255.255.255
!
interface GigabitEthernet0/0
 description uplink to fw
 ip vrf forwarding OOB
 ip address 192.0.2.1 255.255.255.252
!
interface Vlan20
 description office
 ip address 10.20.0.2 255.255.255.0
 ip address 10.21.0.2 255.255.255.0 secondary
 ip access-group OFFICE-IN in
 ip access-group 120 out
 standby 20 ip 10.20.0.1
 standby 20 priority 110
 vrrp 21 ip 10.21.0.1
!
interface Vlan30
 ip address 10.30.0.2 255.255.255.0
 shutdown
!
interface GigabitEthernet1/0/1
 switchport mode access
 switchport access vlan 20
!
interface GigabitEthernet1/0/2
 no switchport
 ip address 10.99.0.1 255.255.255.252
 ipv6 address 2001:DB8:99::1/64
 ipv6 address FE80::1 link-local
 ipv6 traffic-filter V6-IN in
!
end
"""

NXOS = """\
!Command: show running-config
version 9.3(8)
hostname dist-n
feature interface-vlan
feature hsrp
feature vrrp
vrf context PROD
interface Vlan10
  no shutdown
  vrf member PROD
  ip address 10.10.0.2/24
  ip access-group PROD-IN in
  hsrp 10
    ip 10.10.0.1
interface Vlan11
  no shutdown
  ip address 10.11.0.2/24
  vrrp 11
    address 10.11.0.1
    no shutdown
interface Ethernet1/1
  switchport
  switchport mode trunk
interface Ethernet1/2
  no switchport
  ip address 172.16.0.1/31
  ip port access-group PACL in
interface mgmt0
  vrf member management
  ip address 192.168.0.10/24
"""

EOS = """\
! Command: show running-config
! device: leaf1 (DCS-7050SX3-48YC8, EOS-4.28.3M)
hostname leaf1
vrf instance TENANT
interface Ethernet1
   description host port
interface Ethernet49/1
   no switchport
   ip address 10.0.0.1/31
interface Vlan100
   vrf TENANT
   ip address 10.100.0.2/24
   ip virtual-router address 10.100.0.1
   ip access-group TENANT-IN in
interface Vlan200
   ip address virtual 10.200.0.1/24
interface Management1
   ip address 192.168.0.21/24
ip routing
ip routing vrf TENANT
"""

HUAWEI = """\
!Software Version V200R019C10SPC500
#
sysname plant-core
#
ip vpn-instance SCADA
 ipv4-family
#
interface Vlanif10
 description SCADA servers
 ip binding vpn-instance SCADA
 ip address 10.20.10.2 255.255.255.0
 ip address 10.20.11.2 24 sub
 vrrp vrid 10 virtual-ip 10.20.10.1
 traffic-filter inbound acl 3010
#
interface Vlanif20
 ip address 10.20.20.1 255.255.255.0
 traffic-filter outbound acl name HMI-OUT
 shutdown
#
interface GigabitEthernet0/0/1
 port link-type access
 port default vlan 10
#
interface GigabitEthernet0/0/24
 undo portswitch
 ip address 10.20.0.2 255.255.255.252
#
interface GigabitEthernet0/0/2
#
interface NULL0
#
return
"""

H3C = """\
 version 7.1.070, Release 6608
#
 sysname office-core
#
interface Vlan-interface30
 description office
 ip address 10.30.0.2 255.255.255.0
 ip address 10.31.0.2 255.255.255.0 sub
 vrrp vrid 30 virtual-ip 10.30.0.1
 packet-filter 3030 inbound
 packet-filter name GUEST-OUT outbound
#
interface GigabitEthernet1/0/1
 port link-mode bridge
 port access vlan 30
#
interface GigabitEthernet1/0/48
 port link-mode route
 ip address 10.0.0.5 255.255.255.252
#
return
"""

JUNOS = """\
set version 20.4R3.8
set system host-name fw1
set interfaces ge-0/0/0 description "to internet"
set interfaces ge-0/0/0 unit 0 family inet address 198.51.100.2/29
set interfaces ge-0/0/0 unit 0 family inet filter input FROM-INTERNET
set interfaces ge-0/0/1 unit 0 family inet address 10.10.0.2/24 vrrp-group 5 virtual-address 10.10.0.1
set interfaces ge-0/0/1 unit 0 family inet address 10.10.0.2/24 vrrp-group 5 priority 200
set interfaces ge-0/0/2 disable
set interfaces ge-0/0/2 unit 0 family inet address 10.12.0.1/24
set interfaces ge-0/0/3 unit 0 family ethernet-switching vlan members OFFICE
set interfaces irb unit 30 family inet address 10.30.0.1/24
set interfaces irb unit 30 family inet6 address 2001:db8:30::1/64
set interfaces lo0 unit 0 family inet filter input PROTECT-RE
set interfaces lo0 unit 0 family inet address 10.255.0.9/32
set routing-instances PLANT instance-type virtual-router
set routing-instances PLANT interface ge-0/0/2.0
"""


def facts_of(platform: str, text: str) -> Facts:
    chosen = get_platform(platform)
    return chosen.parse(text_snapshot("dev", chosen.commands.config, text, platform))


def by_name(facts: Facts) -> dict[str, Interface]:
    return {i.name: i for i in facts.interfaces}


def addresses(interface: Interface) -> list[tuple[str, bool, str | None]]:
    return [(str(a.address), a.secondary, a.virtual) for a in interface.addresses]


def test_ios_addresses_secondary_hsrp_vrrp_vrf_filters_and_state() -> None:
    found = by_name(facts_of("cisco_ios", IOS))
    vlan20 = found["Vlan20"]
    assert addresses(vlan20) == [
        ("10.20.0.2/24", False, None),
        ("10.21.0.2/24", True, None),
        ("10.20.0.1/24", False, "hsrp 20"),
        ("10.21.0.1/24", False, "vrrp 21"),
    ]
    assert [a.address for a in vlan20.own_addresses] == [ip_interface("10.20.0.2/24"), ip_interface("10.21.0.2/24")]
    assert [(f.name, f.direction) for f in vlan20.filters] == [("OFFICE-IN", "in"), ("120", "out")]
    assert vlan20.evidence.line == IOS.splitlines().index("interface Vlan20") + 1
    assert vlan20.filters[0].evidence.text == " ip access-group OFFICE-IN in"
    assert vlan20.kind == "vlan" and vlan20.routed and vlan20.description == "office"
    assert found["GigabitEthernet0/0"].vrf == "OOB"
    assert found["Vlan30"].shutdown and not found["Vlan30"].routed
    assert "GigabitEthernet1/0/1" not in found, "a bridging port with no address or filter is not listed"
    routed_port = found["GigabitEthernet1/0/2"]
    assert not routed_port.switchport and routed_port.routed
    assert addresses(routed_port) == [("10.99.0.1/30", False, None), ("2001:db8:99::1/64", False, None)]
    assert [(f.name, f.family) for f in routed_port.filters] == [("V6-IN", "ipv6")]
    assert found["Loopback0"].kind == "loopback"


def test_nxos_group_blocks_vrf_member_and_port_acl() -> None:
    found = by_name(facts_of("cisco_nxos", NXOS))
    assert addresses(found["Vlan10"]) == [("10.10.0.2/24", False, None), ("10.10.0.1/24", False, "hsrp 10")]
    assert addresses(found["Vlan11"]) == [("10.11.0.2/24", False, None), ("10.11.0.1/24", False, "vrrp 11")]
    assert found["Vlan10"].vrf == "PROD" and [f.name for f in found["Vlan10"].filters] == ["PROD-IN"]
    assert "Ethernet1/1" not in found
    assert [f.name for f in found["Ethernet1/2"].filters] == ["PACL"] and found["Ethernet1/2"].routed
    assert found["mgmt0"].kind == "management" and found["mgmt0"].vrf == "management"


def test_eos_ports_bridge_by_default_and_virtual_router_addresses_are_shared() -> None:
    found = by_name(facts_of("arista_eos", EOS))
    assert "Ethernet1" not in found
    assert found["Ethernet49/1"].routed
    assert addresses(found["Vlan100"]) == [("10.100.0.2/24", False, None), ("10.100.0.1/24", False, "virtual-router")]
    assert found["Vlan100"].vrf == "TENANT"
    # VARP: the only address is the shared one, so the SVI has no address of its own.
    assert addresses(found["Vlan200"]) == [("10.200.0.1/24", False, "virtual-router")]
    assert not found["Vlan200"].own_addresses


def test_huawei_vlanif_vrrp_sub_binding_and_traffic_filter() -> None:
    found = by_name(facts_of("huawei", HUAWEI))
    vlanif10 = found["Vlanif10"]
    assert addresses(vlanif10) == [
        ("10.20.10.2/24", False, None),
        ("10.20.11.2/24", True, None),
        ("10.20.10.1/24", False, "vrrp 10"),
    ]
    assert vlanif10.vrf == "SCADA" and [(f.name, f.direction) for f in vlanif10.filters] == [("3010", "in")]
    assert [(f.name, f.direction) for f in found["Vlanif20"].filters] == [("HMI-OUT", "out")]
    assert found["Vlanif20"].shutdown
    assert "GigabitEthernet0/0/1" not in found and "GigabitEthernet0/0/2" not in found
    assert found["GigabitEthernet0/0/24"].routed and not found["GigabitEthernet0/0/24"].switchport
    assert "NULL0" not in found


def test_h3c_vlan_interface_packet_filter_and_route_mode() -> None:
    found = by_name(facts_of("hp_comware", H3C))
    vlan30 = found["Vlan-interface30"]
    assert addresses(vlan30) == [
        ("10.30.0.2/24", False, None),
        ("10.31.0.2/24", True, None),
        ("10.30.0.1/24", False, "vrrp 30"),
    ]
    assert [(f.name, f.direction) for f in vlan30.filters] == [("3030", "in"), ("GUEST-OUT", "out")]
    assert "GigabitEthernet1/0/1" not in found
    assert found["GigabitEthernet1/0/48"].routed


def test_junos_units_vrrp_filters_instances_and_switching() -> None:
    found = by_name(facts_of("juniper_junos", JUNOS))
    assert addresses(found["ge-0/0/1.0"]) == [("10.10.0.2/24", False, None), ("10.10.0.1/24", False, "vrrp 5")]
    assert [(f.name, f.direction) for f in found["ge-0/0/0.0"].filters] == [("FROM-INTERNET", "in")]
    assert found["ge-0/0/0.0"].description == "to internet"
    assert found["ge-0/0/2.0"].shutdown and found["ge-0/0/2.0"].vrf == "PLANT"
    assert found["ge-0/0/3.0"].switchport and not found["ge-0/0/3.0"].routed
    assert found["irb.30"].kind == "vlan"
    assert addresses(found["irb.30"]) == [("10.30.0.1/24", False, None), ("2001:db8:30::1/64", False, None)]
    assert found["lo0.0"].kind == "loopback" and [f.name for f in found["lo0.0"].filters] == ["PROTECT-RE"]


def test_junos_brace_form_gives_the_same_interfaces() -> None:
    braces = """\
## Last commit: 2024-01-01 10:00:00 UTC by admin
version 20.4R3.8;
system {
    host-name fw1;
}
interfaces {
    ge-0/0/1 {
        unit 0 {
            family inet {
                filter {
                    input FROM-OFFICE;
                }
                address 10.10.0.2/24 {
                    vrrp-group 5 {
                        virtual-address 10.10.0.1;
                    }
                }
            }
        }
    }
}
"""
    found = by_name(facts_of("juniper_junos", braces))
    assert addresses(found["ge-0/0/1.0"]) == [("10.10.0.2/24", False, None), ("10.10.0.1/24", False, "vrrp 5")]
    assert [f.name for f in found["ge-0/0/1.0"].filters] == ["FROM-OFFICE"]
    # Evidence is the statement in set form, at the line the device printed it.
    assert (
        found["ge-0/0/1.0"].filters[0].evidence.line
        == braces.splitlines().index("                    input FROM-OFFICE;") + 1
    )


def test_a_bridging_port_with_a_port_acl_is_listed_as_bridging() -> None:
    eos = EOS.replace("   description host port\n", "   description host port\n   ip access-group HOSTS in\n")
    port = by_name(facts_of("arista_eos", eos))["Ethernet1"]
    assert port.switchport and not port.routed and [f.name for f in port.filters] == ["HOSTS"]


def test_interface_kinds_from_names() -> None:
    from scanner.platforms._interfaces import interface_kind

    assert interface_kind("NULL0") == "other"
    assert interface_kind("Eth-Trunk1") == "aggregate"
    assert interface_kind("GigabitEthernet0/0.100") == "subinterface"
    assert interface_kind("ge-0/0/0", unit=True) == "physical"
    assert interface_kind("MEth0/0/1") == "management"
