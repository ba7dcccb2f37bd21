"""Every place a secret stands in the configurations of the supported vendors.

Each entry is one statement (or a block) as the device prints it, with ``{s}`` (and
``{t}`` for a second secret on the same line) where the secret value stands, and ``{c7}``
where a Cisco type-7 encoding of ``{s}`` stands (its clear text ``{s}`` must not leak). The
property test in test_secret_positions.py fills them with random values and builds whole
configurations from them; a new secret-bearing statement a vendor prints belongs here.
"""

from __future__ import annotations

IOS = (
    "enable password {s}\n",
    "enable password 7 {s}\n",
    "enable secret 5 $1${s}\n",
    "username ops privilege 15 password 0 {s}\n",
    "username old privilege 15 password 7 {s}\n",
    "username new privilege 15 secret 9 $9${s}\n",
    "username viewer privilege 1 secret 0 {s}\n",
    "snmp-server community {s} RO 10\n",
    "snmp-server community {s} view ALL RW\n",
    # An IPv6 list beside the IPv4 one: an IPv6 failure quotes this line (masked) as its evidence.
    "snmp-server community {s} RO ipv6 MGMT6 10\n",
    "snmp-server host 10.10.99.20 version 2c {s}\n",
    "snmp-server host 10.10.99.21 informs version 2c {s} udp-port 162\n",
    "snmp-server user nms NMS v3 auth sha {s} priv aes 128 {t}\n",
    "snmp-server user nms2 NMS v3 auth md5 {s} priv des {t} access 10\n",
    "tacacs-server host 10.10.99.30 key 0 {s}\n",
    "tacacs-server key 7 {s}\n",
    "tacacs server TAC1\n address ipv4 10.10.99.31\n key 0 {s}\n",
    "tacacs server TAC2\n address ipv4 10.10.99.32\n key 7 {s}\n",
    "radius-server host 10.10.99.33 auth-port 1812 acct-port 1813 key {s}\n",
    "radius-server key 0 {s}\n",
    "radius server RAD1\n address ipv4 10.10.99.34 auth-port 1812 acct-port 1813\n key 7 {s}\n",
    "crypto isakmp key {s} address 203.0.113.5\n",
    "crypto isakmp key 6 {s} address 203.0.113.6 255.255.255.255\n",
    "crypto isakmp key 0 {s} hostname peer.example.net\n",
    "crypto keyring KR1\n pre-shared-key address 203.0.113.7 key {s}\n",
    "crypto ikev2 keyring KR2\n peer BRANCH\n  address 203.0.113.8\n  pre-shared-key local {s}\n"
    "  pre-shared-key remote {t}\n",
    "crypto ikev2 keyring KR3\n peer HQ\n  address 203.0.113.9\n  pre-shared-key {s}\n",
    "dot11 ssid PLANT-WIFI\n authentication open\n authentication key-management wpa version 2\n wpa-psk ascii 0 {s}\n",
    "dot11 ssid OFFICE\n wpa-psk hex 7 {s}\n",
    "interface Serial0/0/0\n encapsulation ppp\n ppp chap hostname br-rtr1\n ppp chap password 0 {s}\n",
    "interface Serial0/0/1\n encapsulation ppp\n ppp pap sent-username br-rtr1 password 7 {s}\n",
    "interface Dialer1\n ppp chap password 7 {s}\n ppp pap sent-username isp-user password 0 {t}\n",
    "interface GigabitEthernet0/1\n ip ospf authentication-key 7 {s}\n",
    "interface GigabitEthernet0/2\n ip ospf message-digest-key 1 md5 0 {s}\n",
    "interface GigabitEthernet0/3\n ip ospf message-digest-key 2 md5 {s}\n",
    "key chain EIGRP-KEYS\n key 1\n  key-string 0 {s}\n key 2\n  key-string 7 {t}\n",
    "key chain RIP-KEYS\n key 1\n  key-string {s}\n",
    "router bgp 65001\n neighbor 10.0.0.2 remote-as 65002\n neighbor 10.0.0.2 password 0 {s}\n"
    " neighbor 10.0.0.3 password 7 {t}\n",
    "router bgp 65003\n neighbor PEERS peer-group\n neighbor PEERS password {s}\n",
    "router isis CORE\n net 49.0001.0100.1000.1001.00\n area-password {s}\n"
    " domain-password {t} authenticate snp validate\n",
    "interface GigabitEthernet0/4\n isis password {s} level-1\n",
    "interface Vlan10\n standby 1 ip 10.1.10.1\n standby 1 authentication md5 key-string 0 {s}\n",
    "interface Vlan11\n standby 2 authentication md5 key-string 7 {s} timeout 30\n",
    "interface Vlan12\n standby 3 authentication text {s}\n",
    "interface Vlan13\n standby 4 authentication {s}\n",
    "interface Vlan14\n vrrp 1 ip 10.1.14.1\n vrrp 1 authentication text {s}\n",
    "interface Vlan15\n vrrp 2 authentication md5 key-string 7 {s}\n",
    "ntp authentication-key 1 md5 {s} 7\n",
    "ntp authentication-key 2 md5 {s}\n",
    "ip ftp username backup\nip ftp password 7 {s}\n",
    "archive\n path ftp://backup:{s}@10.10.99.40/$h-archive\n",
    "line con 0\n password 7 {s}\n login\n",
    "username legacy privilege 15 password 7 {c7}\n",
    "line aux 0\n password 7 {c7}\n login\n",
    "line vty 0 4\n password 0 {s}\n login\n transport input ssh\n",
)

NXOS = (
    "username ops password 0 {s} role network-operator\n",
    "username old password 5 $1${s} role network-admin\n",
    "snmp-server user nms network-admin auth md5 {s} priv aes-128 {t} localizedkey\n",
    "snmp-server user nms2 network-operator auth sha {s} priv {t}\n",
    "snmp-server community {s} group network-operator\n",
    "snmp-server community {s} use-ipv4acl SNMP\n",
    "snmp-server community {s} use-ipv6acl SNMP6\n",
    "snmp-server host 10.10.99.20 traps version 2c {s}\n",
    'tacacs-server host 10.10.99.30 key 7 "{s}"\n',
    'tacacs-server key 7 "{s}"\n',
    "tacacs-server host 10.10.99.31 key 0 {s}\n",
    'radius-server host 10.10.99.33 key 7 "{s}" authentication accounting\n',
    "radius-server key 0 {s}\n",
    "interface Ethernet1/1\n  ip ospf authentication-key 3 {s}\n",
    "interface Ethernet1/2\n  ip ospf message-digest-key 1 md5 3 {s}\n",
    "router bgp 65001\n  neighbor 10.0.0.2\n    remote-as 65002\n    password 3 {s}\n",
    "router bgp 65004\n  neighbor 10.0.0.6\n    password 0 {s}\n",
    "key chain KC1\n  key 1\n    key-string 7 {s}\n",
    'key chain KC2\n  key 1\n    key-string 7 "{s}"\n',
    "interface Vlan10\n  hsrp 1\n    authentication md5 key-string {s}\n    ip 10.1.10.1\n",
    "interface Vlan11\n  hsrp 2\n    authentication text {s}\n",
    "interface Vlan12\n  vrrp 1\n    authentication text {s}\n",
    "ntp authentication-key 1 md5 {s} 7\n",
)

EOS = (
    "username ops privilege 1 secret 0 {s}\n",
    "username old privilege 15 role network-admin secret 5 $1${s}\n",
    "enable password 0 {s}\n",
    "enable password sha512 $6${s}\n",
    "aaa root secret sha512 $6${s}\n",
    "snmp-server community {s} ro\n",
    "snmp-server community {s} ro ipv6 SNMP6 SNMP\n",
    "snmp-server host 10.10.99.20 version 2c {s}\n",
    "snmp-server user nms NMS v3 auth sha {s} priv aes {t}\n",
    "snmp-server user nms2 NMS v3 localized 800028820300 auth sha256 {s} priv aes256 {t}\n",
    "tacacs-server host 10.10.99.30 key 7 {s}\n",
    "tacacs-server key 7 {s}\n",
    "radius-server host 10.10.99.33 key 7 {s}\n",
    "interface Ethernet1\n   ip ospf authentication-key 7 {s}\n",
    "interface Ethernet2\n   ip ospf message-digest-key 1 md5 7 {s}\n",
    "router bgp 65001\n   neighbor 10.0.0.2 remote-as 65002\n   neighbor 10.0.0.2 password 7 {s}\n",
    "router bgp 65005\n   neighbor SPINES peer group\n   neighbor SPINES password 0 {s}\n",
    "router isis CORE\n   net 49.0001.0100.1000.1001.00\n   authentication mode md5\n   authentication key 0 {s}\n",
    "interface Vlan10\n   vrrp 1 peer authentication text {s}\n",
    "interface Vlan11\n   vrrp 2 authentication text {s}\n",
    "ntp authentication-key 1 md5 7 {s}\n",
)

HUAWEI = (
    "aaa\n local-user ops password simple {s}\n local-user old password cipher %^%#{t}%^%#\n",
    "aaa\n local-user new password irreversible-cipher $1a${s}$\n",
    "aaa\n local-user adm password {s}\n",
    "snmp-agent community read cipher %^%#{s}%^%#\n",
    "snmp-agent community write {s} acl 2000\n",
    "snmp-agent community read simple {s} mib-view iso-view\n",
    "snmp-agent usm-user v3 nms authentication-mode sha {s} privacy-mode aes128 {t}\n",
    "snmp-agent usm-user v3 nms2 authentication-mode sha cipher %^%#{s}%^%#\n",
    "snmp-agent usm-user v3 nms2 privacy-mode aes128 cipher %^%#{s}%^%#\n",
    "snmp-agent target-host trap address udp-domain 10.10.99.20 params securityname {s} v2c\n",
    "snmp-agent target-host trap address udp-domain 10.10.99.21 params securityname cipher %^%#{s}%^%#\n",
    "ospf 1 router-id 10.0.0.1\n area 0.0.0.0\n  authentication-mode md5 1 plain {s}\n",
    "ospf 2\n area 0.0.0.1\n  authentication-mode simple plain {s}\n",
    "ospf 3\n area 0.0.0.2\n  authentication-mode hmac-sha256 1 cipher %^%#{s}%^%#\n",
    "interface Vlanif10\n ospf authentication-mode md5 1 plain {s}\n",
    "interface Vlanif11\n ospf authentication-mode simple {s}\n",
    "bgp 65001\n peer 10.0.0.2 as-number 65002\n peer 10.0.0.2 password cipher %^%#{s}%^%#\n"
    " peer 10.0.0.3 password simple {t}\n",
    "isis 1\n area-authentication-mode md5 plain {s}\n domain-authentication-mode md5 plain {t}\n",
    "interface Vlanif12\n isis authentication-mode md5 plain {s}\n",
    "interface Vlanif13\n vrrp vrid 1 virtual-ip 10.1.13.1\n vrrp vrid 1 authentication-mode md5 {s}\n",
    "interface Vlanif14\n vrrp vrid 2 authentication-mode simple plain {s}\n",
    "hwtacacs-server template TAC\n hwtacacs-server authentication 10.10.99.30\n"
    " hwtacacs-server shared-key cipher %^%#{s}%^%#\n",
    "hwtacacs-server template TAC2\n hwtacacs-server shared-key simple {s}\n",
    "radius-server template RAD\n radius-server shared-key cipher %^%#{s}%^%#\n"
    " radius-server authentication 10.10.99.33 1812 weight 80\n",
    "radius-server template RAD2\n radius-server authentication 10.10.99.34 1812 shared-key simple {s}\n",
    "super password level 15 cipher %^%#{s}%^%#\n",
    "user-interface con 0\n authentication-mode password\n set authentication password cipher %^%#{s}%^%#\n",
    "user-interface vty 0 4\n set authentication password simple {s}\n",
    "interface Serial1/0/0\n link-protocol ppp\n ppp chap user br-ar1\n ppp chap password cipher %^%#{s}%^%#\n",
    "interface Serial1/0/1\n ppp pap local-user br-ar1 password simple {s}\n",
    "ike peer HQ\n pre-shared-key cipher %^%#{s}%^%#\n remote-address 203.0.113.5\n",
    "ike peer BR\n pre-shared-key simple {s}\n",
    "ntp-service authentication-keyid 1 authentication-mode md5 cipher %^%#{s}%^%#\n",
    "ntp-service authentication-keyid 2 authentication-mode hmac-sha256 {s}\n",
    "security-profile name OFFICE\n security wpa2 psk pass-phrase {s} aes\n",
    "set save-configuration backup-to-server server 10.20.99.30 transport-type sftp user cfgbak password "
    "cipher %^%#{s}%^%#\n",
)

COMWARE = (
    "local-user ops class manage\n password simple {s}\n service-type ssh\n",
    "local-user old class manage\n password cipher $c$3${s}\n",
    "local-user new class manage\n password hash $h$6${s}\n",
    "snmp-agent community read simple {s}\n",
    "snmp-agent community write cipher $c$3${s}\n",
    "snmp-agent community read {s} acl 2001\n",
    "snmp-agent usm-user v3 nms nmsgroup simple authentication-mode sha {s} privacy-mode aes128 {t}\n",
    "snmp-agent usm-user v3 nms2 nmsgroup cipher authentication-mode sha $c$3${s} privacy-mode aes128 $c$3${t}\n",
    "snmp-agent usm-user v3 nms3 nmsgroup authentication-mode md5 {s} privacy-mode des56 {t}\n",
    "snmp-agent target-host trap address udp-domain 10.10.99.20 params securityname {s} v2c\n",
    "super password role network-admin simple {s}\n",
    "super password level 3 cipher $c$3${s}\n",
    "line vty 0 63\n authentication-mode password\n set authentication password simple {s}\n",
    "user-interface aux 0\n set authentication password cipher $c$3${s}\n",
    "interface Vlan-interface10\n ospf authentication-mode md5 1 plain {s}\n",
    "interface Vlan-interface11\n ospf authentication-mode hmac-md5 2 cipher $c$3${s}\n",
    "interface Vlan-interface12\n ospf authentication-mode simple plain {s}\n",
    "bgp 65001\n peer 10.0.0.2 as-number 65002\n peer 10.0.0.2 password simple {s}\n"
    " peer 10.0.0.3 password cipher $c$3${t}\n",
    "isis 1\n area-authentication-mode md5 plain {s}\n domain-authentication-mode md5 plain {t}\n",
    "interface Vlan-interface13\n isis authentication-mode md5 plain {s}\n",
    "interface Vlan-interface14\n vrrp vrid 1 virtual-ip 10.1.14.1\n vrrp vrid 1 authentication-mode md5 plain {s}\n",
    "interface Vlan-interface15\n vrrp vrid 2 authentication-mode simple plain {s}\n",
    "hwtacacs scheme TAC\n primary authentication 10.10.99.30\n key authentication simple {s}\n"
    " key authorization cipher $c$3${t}\n key accounting simple {s}\n",
    "radius scheme RAD\n primary authentication 10.10.99.33 key simple {s}\n key accounting cipher $c$3${t}\n",
    "radius scheme RAD2\n key authentication {s}\n",
    "ike keychain KC\n pre-shared-key address 203.0.113.5 255.255.255.255 key simple {s}\n",
    "ike peer HQ\n pre-shared-key simple {s}\n remote-address 203.0.113.6\n",
    "interface Serial2/0\n link-protocol ppp\n ppp chap user br-msr1\n ppp chap password simple {s}\n",
    "interface Serial2/1\n ppp pap local-user br-msr1 password cipher $c$3${s}\n",
    "ntp-service authentication-keyid 1 authentication-mode md5 simple {s}\n",
    "ntp-service authentication-keyid 2 authentication-mode md5 cipher $c$3${s}\n",
)

JUNOS = (
    'set system root-authentication encrypted-password "$6${s}"\n',
    'set system login user ops authentication encrypted-password "$1${s}"\n',
    'set system login user old authentication plain-text-password-value "{s}"\n',
    "set snmp community {s} authorization read-only\n",
    'set snmp community "{s}" clients 10.10.99.0/24\n',
    # An IPv6 client open to every source: the failure quotes this line (masked) in its message.
    'set snmp community "{s}" clients ::/0\n',
    'set snmp v3 usm local-engine user nms authentication-sha authentication-key "$9${s}"\n',
    'set snmp v3 usm local-engine user nms privacy-aes128 privacy-key "$9${s}"\n',
    'set snmp v3 usm local-engine user nms2 authentication-sha256 authentication-password "{s}"\n',
    'set snmp v3 usm local-engine user nms2 privacy-aes128 privacy-password "{s}"\n',
    'set snmp trap-group TRAPS targets 10.10.99.20\nset snmp v3 target-parameters TP parameters security-name "{s}"\n',
    'set system tacplus-server 10.10.99.30 secret "$9${s}"\n',
    'set system radius-server 10.10.99.33 secret "{s}"\n',
    'set system accounting destination radius server 10.10.99.34 secret "$9${s}"\n',
    'set security ike policy IKE-POL pre-shared-key ascii-text "$9${s}"\n',
    'set security ike policy IKE-POL2 pre-shared-key ascii-text "{s}"\n',
    "set security ike policy IKE-POL3 pre-shared-key hexadecimal {s}\n",
    'set protocols ospf area 0.0.0.0 interface ge-0/0/1.0 authentication md5 1 key "$9${s}"\n',
    'set protocols ospf area 0.0.0.0 interface ge-0/0/2.0 authentication simple-password "{s}"\n',
    'set protocols bgp group EBGP authentication-key "$9${s}"\n',
    'set protocols bgp group IBGP neighbor 10.0.0.2 authentication-key "{s}"\n',
    'set protocols isis level 2 authentication-key "$9${s}"\n',
    'set protocols isis interface ge-0/0/3.0 level 2 hello-authentication-key "{s}"\n',
    'set interfaces ge-0/0/4 unit 0 family inet address 10.1.4.1/24 vrrp-group 1 authentication-key "$9${s}"\n',
    'set system ntp authentication-key 1 type md5 value "$9${s}"\n',
    'set security authentication-key-chains key-chain KC key 0 secret "$9${s}"\n',
    'set system archival configuration archive-sites "scp://cfgbak@10.20.99.30/backups" password "$9${s}"\n',
    'set system archival configuration archive-sites "ftp://cfgbak:{s}@10.20.99.31/backups"\n',
    'set interfaces pp0 unit 0 ppp-options chap default-chap-secret "$9${s}"\n',
    'set interfaces pp0 unit 0 ppp-options pap local-password "{s}"\n',
    'set access profile PPP client br-rtr1 chap-secret "$9${s}"\n',
    'set access profile PPP2 client br-rtr2 pap-password "{s}"\n',
    'set protocols rsvp interface ge-0/0/5.0 authentication-key "{s}"\n',
    'set protocols ldp session 10.0.0.9 authentication-key "{s}"\n',
)

POSITIONS = {
    "cisco_ios": IOS,
    "cisco_xe": IOS,
    "cisco_nxos": NXOS,
    "arista_eos": EOS,
    "huawei": HUAWEI,
    "hp_comware": COMWARE,
    "juniper_junos": JUNOS,
}


def whole_config(platform: str, body: list[str]) -> str:
    """A whole configuration of ``platform`` holding the filled ``body`` blocks."""
    from tests.verdicthelpers import COMWARE7, comware, eos, huawei, ios, junos, nxos

    if platform in ("huawei", "hp_comware"):
        text = "".join(block if block.endswith("#\n") else block + "#\n" for block in body)
        return huawei(text) if platform == "huawei" else comware(COMWARE7, text)
    if platform == "juniper_junos":
        return junos("".join(body))
    separator = {"cisco_nxos": "\n"}.get(platform, "!\n")
    text = "".join(block + separator for block in body)
    return {"cisco_ios": ios, "cisco_xe": ios, "cisco_nxos": nxos, "arista_eos": eos}[platform](text)
