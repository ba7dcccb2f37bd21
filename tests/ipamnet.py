"""A small multi-vendor network for the IP address checks: configurations and ARP tables as devices print them.

Plant network, one device per platform::

    r1 (IOS)      Vlan20 10.20.0.2/24 + HSRP 10.20.0.1, Gi0/1 10.0.0.1/30, Vlan30 10.30.0.2/24 (shut down),
                  Gi0/0 vrf OOB 192.0.2.1/30
    r2 (NX-OS)    Vlan20 10.20.0.3/24 + HSRP 10.20.0.1, Eth1/1 10.0.0.5/30, mgmt0 vrf management 192.0.2.1/30
    sw1 (Huawei)  Vlanif30 10.30.0.2/24, Vlanif40 10.40.0.1/24 and VRRP owner of 10.40.0.1
    sw2 (H3C)     Vlan-interface40 10.40.0.2/24 + VRRP 10.40.0.1, GE1/0/48 10.0.0.1/30 (r1's address again)
    fw (Junos)    ge-0/0/1.0 10.50.0.1/24, lo0.0 10.255.0.9/32
    leaf (EOS)    Vlan20 10.20.0.1/24 (the HSRP gateway as its own address), Ethernet49/1 10.0.0.6/30

Deliberate problems: 10.0.0.1 on r1 and sw2; 10.20.0.1 owned by leaf while r1/r2 share it
by HSRP; 10.20.0.50 answering from two MACs (r1 and r2 see different ones). Not problems:
the HSRP and VRRP gateways, r1's shut-down Vlan30 against sw1's Vlanif30, and 192.0.2.1
in two different VRFs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scanner.model import HostInfo
from scanner.snapshot import HostInput, Snapshot

R1_CONFIG = """\
Building configuration...

Current configuration : 1422 bytes
!
version 15.2
hostname r1
!
ip vrf OOB
!
interface GigabitEthernet0/0
 description OOB management
 ip vrf forwarding OOB
 ip address 192.0.2.1 255.255.255.252
!
interface GigabitEthernet0/1
 description to sw2 GE1/0/48
 ip address 10.0.0.1 255.255.255.252
!
interface Vlan20
 description plant office
 ip address 10.20.0.2 255.255.255.0
 standby 20 ip 10.20.0.1
 standby 20 priority 110
 standby 20 preempt
!
interface Vlan30
 description old cameras, retired
 ip address 10.30.0.2 255.255.255.0
 shutdown
!
end
"""

R1_ARP = """\
Protocol  Address          Age (min)  Hardware Addr   Type   Interface
Internet  10.0.0.1                -   7c21.0e4a.0101  ARPA   GigabitEthernet0/1
Internet  10.0.0.2                4   3891.d5e2.0048  ARPA   GigabitEthernet0/1
Internet  10.20.0.1               -   0000.0c07.ac14  ARPA   Vlan20
Internet  10.20.0.2               -   7c21.0e4a.0120  ARPA   Vlan20
Internet  10.20.0.3               2   5c83.8f6d.0020  ARPA   Vlan20
Internet  10.20.0.50              1   3c52.8201.0050  ARPA   Vlan20
Internet  10.20.0.51              7   3c52.8201.0051  ARPA   Vlan20
Internet  10.20.0.52              0   3c52.8201.0052  ARPA   Vlan20
"""

R2_CONFIG = """\
!Command: show running-config
!Running configuration last done at: Mon Nov  2 10:11:12 2026
version 9.3(8) Bios:version 05.45
hostname r2
feature interface-vlan
feature hsrp
vrf context management
interface Vlan20
  no shutdown
  ip address 10.20.0.3/24
  hsrp 20
    preempt
    ip 10.20.0.1
interface Ethernet1/1
  no switchport
  ip address 10.0.0.5/30
  no shutdown
interface mgmt0
  vrf member management
  ip address 192.0.2.1/30
line console
line vty
boot nxos bootflash:/nxos.9.3.8.bin
"""

R2_ARP = """\

Flags: * - Adjacencies learnt on non-active FHRP router
       + - Adjacencies synced via CFSoE
       # - Adjacencies Throttled for Glean
       D - Static Adjacencies attached to down interface

IP ARP Table for all contexts
Total number of entries: 5
Address         Age       MAC Address     Interface
10.0.0.6        00:03:12  444c.a811.0131  Ethernet1/1
10.20.0.2       00:00:41  7c21.0e4a.0120  Vlan20
10.20.0.50      00:00:09  f0de.f1c9.0050  Vlan20
10.20.0.51      00:06:50  3c52.8201.0051  Vlan20
192.0.2.2       00:01:30  0050.56a0.0202  mgmt0
"""

SW1_CONFIG = """\
!Software Version V200R019C10SPC500
#
sysname sw1
#
interface Vlanif30
 description cameras
 ip address 10.30.0.2 255.255.255.0
#
interface Vlanif40
 description SCADA
 ip address 10.40.0.1 255.255.255.0
 vrrp vrid 40 virtual-ip 10.40.0.1
 vrrp vrid 40 priority 120
#
return
"""

SW1_ARP = """\
IP ADDRESS      MAC ADDRESS     EXPIRE(M) TYPE        INTERFACE   VPN-INSTANCE
                                          VLAN/CEVLAN PVC
------------------------------------------------------------------------------
10.30.0.2       00e0-fc6a-3000            I -         Vlanif30
10.30.0.77      001b-1b2a-3077  12        D-0         Vlanif30
                                          30/-
10.40.0.1       0000-5e00-0128            I -         Vlanif40
10.40.0.2       3891-d5e2-0040  18        D-0         Vlanif40
                                          40/-
10.40.0.20      001b-1b2a-4020  9         D-0         Vlanif40
                                          40/-
------------------------------------------------------------------------------
Total:5         Dynamic:3       Static:0     Interface:2
"""

SW2_CONFIG = """\
 version 7.1.070, Release 6608
#
 sysname sw2
#
interface Vlan-interface40
 description SCADA backup gateway
 ip address 10.40.0.2 255.255.255.0
 vrrp vrid 40 virtual-ip 10.40.0.1
#
interface GigabitEthernet1/0/48
 port link-mode route
 description to r1 Gi0/1
 ip address 10.0.0.1 255.255.255.252
#
return
"""

SW2_ARP = """\
  Type: S-Static   D-Dynamic   O-Openflow   R-Rule   M-Multiport  I-Invalid
IP address      MAC address    VLAN     Interface                Aging Type
10.40.0.1       0000-5e00-0128 40       GE1/0/1                  1180  D
10.40.0.20      001b-1b2a-4020 40       GE1/0/3                  1120  D
10.40.0.150     001b-1b2a-4150 40       GE1/0/4                  960   D
"""

FW_CONFIG = """\
set version 20.4R3.8
set system host-name fw
set interfaces ge-0/0/1 unit 0 family inet address 10.50.0.1/24
set interfaces lo0 unit 0 family inet address 10.255.0.9/32
"""

FW_ARP = """\
MAC Address       Address         Interface                Flags
d4:be:d9:a1:50:10 10.50.0.10      ge-0/0/1.0               none
d4:be:d9:a1:50:11 10.50.0.11      ge-0/0/1.0               none
Total entries: 2
"""

LEAF_CONFIG = """\
! Command: show running-config
! device: leaf (DCS-7050SX3-48YC8, EOS-4.28.3M)
hostname leaf
interface Ethernet49/1
   no switchport
   ip address 10.0.0.6/30
interface Vlan20
   ip address 10.20.0.1/24
!
ip routing
!
end
"""

LEAF_ARP = """\
Address         Age (sec)  Hardware Addr   Interface
10.0.0.5          0:00:12  5c83.8f6d.0011  Ethernet49/1
"""

# name -> (platform, config, ARP output, inventory data)
DEVICES: Mapping[str, tuple[str, str, str | None, dict[str, Any]]] = {
    "r1": ("cisco_ios", R1_CONFIG, R1_ARP, {"zone": "production-control", "role": "router"}),
    "r2": ("cisco_nxos", R2_CONFIG, R2_ARP, {"zone": "production-control", "role": "distribution"}),
    "sw1": ("huawei", SW1_CONFIG, SW1_ARP, {"zone": "production-control", "role": "core"}),
    "sw2": ("hp_comware", SW2_CONFIG, SW2_ARP, {"zone": "production-control", "role": "core"}),
    "fw": ("juniper_junos", FW_CONFIG, FW_ARP, {"zone": "production-control", "role": "firewall"}),
    "leaf": ("arista_eos", LEAF_CONFIG, LEAF_ARP, {"zone": "management", "role": "distribution"}),
}


def host_inputs(
    without_arp: frozenset[str] = frozenset(),
    devices: Mapping[str, tuple[str, str, str | None, dict[str, Any]]] = DEVICES,
) -> list[HostInput]:
    from scanner.platforms import get_platform

    items = []
    for name, (platform, config, arp, data) in devices.items():
        commands = get_platform(platform).commands
        outputs = {commands.config: config}
        if arp is not None and name not in without_arp:
            outputs[commands.arp[0]] = arp
        snapshot = Snapshot(host=name, platform=platform, outputs=outputs)
        items.append(HostInput(host=HostInfo(name=name, platform=platform, data=data), snapshot=snapshot))
    return items


# The plant's allocation table, as rows of a CSV with Chinese headers (a title row first).
TABLE_ROWS = [
    ["电厂IP地址分配表", "", "", "", "", ""],
    ["IP地址", "网段", "设备名称/使用人", "接口", "区域", "用途"],
    ["", "10.0.0.0/24", "", "", "生产控制大区", "设备互联"],
    ["", "10.20.0.0/24", "", "", "生产控制大区", "厂区办公"],
    ["", "10.40.0.0/24", "", "", "生产控制大区", "SCADA"],
    ["", "10.50.0.0/24", "", "", "管理信息大区", "防火墙外侧"],
    ["", "10.255.0.0/24", "", "", "", "环回地址"],
    ["", "10.40.0.128/25", "", "", "生产控制大区", "SCADA DHCP地址池"],
    ["10.0.0.1", "", "r1", "GigabitEthernet0/1", "生产控制大区", ""],
    ["10.0.0.5", "", "r2", "Ethernet1/1", "生产控制大区", ""],
    ["10.0.0.6", "", "leaf", "Ethernet49/1", "", ""],
    ["10.20.0.2", "", "r1", "Vlan20", "生产控制大区", ""],
    ["10.20.0.3", "", "r2", "Vlan20", "生产控制大区", ""],
    ["10.20.0.1", "", "r1/r2", "", "生产控制大区", "HSRP网关"],
    ["10.20.0.50", "", "李工", "", "生产控制大区", "工程师站"],
    ["10.20.0.51", "", "陈工", "", "生产控制大区", "工程师站"],
    ["10.40.0.1", "", "sw1", "Vlanif40", "生产控制大区", "VRRP虚拟网关"],
    ["10.40.0.2", "", "sw1", "Vlan-interface40", "生产控制大区", "recorded for the wrong device"],
    ["10.40.0.20", "", "RTU-20", "", "生产控制大区", "远动装置"],
    ["10.40.0.99", "", "RTU-99", "", "生产控制大区", "已拆除未回收"],
    ["10.50.0.1", "", "fw", "ge-0/0/1.0", "管理信息大区", ""],
    ["10.50.0.10", "", "oa-1", "", "管理信息大区", ""],
    ["10.50.0.11", "", "oa-2", "", "管理信息大区", ""],
    ["10.255.0.9", "", "fw", "lo0.0", "", ""],
    ["10.30.0.2", "", "sw1", "Vlanif30", "生产控制大区", ""],
    ["10.99.0.5", "", "old-server", "", "", "far away, in no scanned subnet"],
]
