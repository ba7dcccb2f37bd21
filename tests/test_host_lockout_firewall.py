"""host.account_lockout and host.firewall readers on the syntaxes real hosts print (Linux PAM, nft, iptables,
firewalld; the Windows secedit export), including the configurations a careless admin writes to look compliant."""

from __future__ import annotations

import textwrap

import pytest

from scanner.model import Evidence
from scanner.platforms._linux import firewall as fw
from scanner.platforms._linux import lockout
from scanner.platforms._windows import secpol


def ev(line: int, text: str) -> Evidence:
    return Evidence.of("test", line, text)


def grep(path: str, text: str) -> str:
    return "".join(f"{path}:{line}\n" for line in textwrap.dedent(text).strip().splitlines())


DEBIAN = grep(
    "/etc/pam.d/common-auth",
    """
    auth\trequired\tpam_faillock.so preauth
    auth\t[success=1 default=ignore]\tpam_unix.so nullok
    auth\t[default=die]\tpam_faillock.so authfail
    auth\tsufficient\tpam_faillock.so authsucc
    auth\trequisite\tpam_deny.so
    """,
)


def test_faillock_defaults_are_named_when_nothing_is_set() -> None:
    found = lockout.lockout(DEBIAN, ev)
    assert found is not None
    assert (found.mechanism, found.threshold, found.minutes) == ("pam_faillock", 3, 10.0)
    assert any("default 3" in d for d in found.defaults) and any("600 s" in d for d in found.defaults)
    assert not found.gaps


def test_faillock_line_arguments_win_over_faillock_conf() -> None:
    text = DEBIAN.replace("pam_faillock.so authfail", "pam_faillock.so authfail deny=4 unlock_time=0")
    text += grep("/etc/security/faillock.conf", "deny = 10\nunlock_time = 60")
    found = lockout.lockout(text, ev)
    assert found is not None and found.threshold == 4 and found.until_unlocked and not found.defaults


def test_faillock_without_preauth_is_a_gap() -> None:
    """Without preauth a locked account still logs in with the right password: no lockout in effect."""
    text = DEBIAN.replace("auth\trequired\tpam_faillock.so preauth", "auth\toptional\tpam_env.so")
    found = lockout.lockout(text + grep("/etc/security/faillock.conf", "deny = 5"), ev)
    assert found is not None and found.threshold == 5
    assert found.gaps and "preauth" in found.gaps[0]


def test_red_hat_needs_both_stacks() -> None:
    """ssh logs in through password-auth: faillock in system-auth alone leaves it open."""
    faillock = "auth required pam_faillock.so preauth\nauth required pam_faillock.so authfail"
    system = grep("/etc/pam.d/system-auth", faillock)
    password = grep("/etc/pam.d/password-auth", "auth sufficient pam_unix.so nullok")
    found = lockout.lockout(system + password, ev)
    assert found is not None and found.gaps == (
        "/etc/pam.d/password-auth has no pam_faillock line (logins through it are never locked)",
    )


def test_faillock_conf_alone_locks_nothing() -> None:
    text = grep("/etc/pam.d/common-auth", "auth [success=1 default=ignore] pam_unix.so nullok")
    text += grep("/etc/security/faillock.conf", "deny = 3\nunlock_time = 900")
    found = lockout.lockout(text, ev)
    assert found is not None and found.threshold is None and "no pam_faillock" in found.mechanism


@pytest.mark.parametrize(
    ("args", "threshold", "minutes", "until"),
    [
        ("onerr=fail", None, None, False),
        ("deny=5 onerr=fail", 5, None, True),
        ("deny=5 unlock_time=600", 5, 10.0, False),
    ],
)
def test_pam_tally2(args: str, threshold: int | None, minutes: float | None, until: bool) -> None:
    text = grep("/etc/pam.d/system-auth", f"auth required pam_tally2.so {args}")
    found = lockout.lockout(text, ev)
    assert found is not None and found.mechanism == "pam_tally2"
    assert (found.threshold, found.minutes, found.until_unlocked) == (threshold, minutes, until)


def test_no_auth_stack_is_no_verdict() -> None:
    assert lockout.lockout("", ev) is None


NFT_FIREWALLD = """\
table inet firewalld {
\tchain filter_INPUT {
\t\ttype filter hook input priority filter + 10; policy accept;
\t\tct state { established, related } accept
\t\tjump filter_INPUT_ZONES
\t\treject with icmpx admin-prohibited
\t}
}
"""


def test_nft_chain_ending_in_reject_blocks_both_families() -> None:
    layers = fw.nft_layers(NFT_FIREWALLD, ev)
    assert [(x.families, x.blocks) for x in layers] == [(("IPv4", "IPv6"), True)]
    assert "reject with icmpx admin-prohibited" in layers[0].summary


def test_nft_accept_policy_with_conditional_drops_is_open() -> None:
    text = (
        "table ip filter {\n chain input {\n  type filter hook input priority 0; policy accept;\n"
        "  tcp dport 23 drop\n }\n}\n"
    )
    layers = fw.nft_layers(text, ev)
    assert [(x.families, x.blocks) for x in layers] == [(("IPv4",), False)]
    state = fw.state(layers, ("nftables",))
    assert [(s.name, s.enabled, s.inbound_blocked) for s in state.scopes] == [
        ("IPv4 inbound", True, False),
        ("IPv6 inbound", False, False),  # an ip-family table filters nothing of IPv6
    ]


@pytest.mark.parametrize("accept", ["accept", "counter packets 12 bytes 720 accept", 'accept comment "temp"'])
def test_nft_drop_policy_behind_a_bare_accept_is_open(accept: str) -> None:
    text = (
        "table inet filter {\n chain input {\n  type filter hook input priority 0; policy drop;\n"
        f"  iif lo accept\n  {accept}\n  drop\n }}\n}}\n"
    )
    [layer] = fw.nft_layers(text, ev)
    assert not layer.blocks and "accepts everything" in layer.summary


def test_nft_output_chain_is_not_inbound() -> None:
    text = "table inet filter {\n chain output {\n  type filter hook output priority 0; policy drop;\n }\n}\n"
    assert fw.nft_layers(text, ev) == []


@pytest.mark.parametrize(
    ("rules", "blocks"),
    [
        (":INPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT", True),
        (":INPUT ACCEPT [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -j REJECT --reject-with icmp-host-prohibited", True),
        (":INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 23 -j DROP", False),
        # The first rule without a condition ends the chain: rules after it are never reached.
        (":INPUT ACCEPT [0:0]\n-A INPUT -j DROP\n-A INPUT -p tcp --dport 22 -j ACCEPT", True),
        # A hostile or careless DROP policy behind a bare ACCEPT refuses nothing.
        (":INPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -j ACCEPT", False),
        (':INPUT DROP [0:0]\n-A INPUT -m comment --comment "allow all" -j ACCEPT\n-A INPUT -j DROP', False),
    ],
)
def test_iptables_input_default(rules: str, blocks: bool) -> None:
    text = f"*nat\n:INPUT DROP [0:0]\nCOMMIT\n*filter\n{rules}\nCOMMIT\n"
    layer = fw.iptables_layer(text, ev, "IPv4")
    assert layer is not None and layer.blocks is blocks


def test_firewalld_accept_target_is_open() -> None:
    listing = "trusted (active)\n  target: ACCEPT\n  interfaces: eth0\n"
    layer = fw.firewalld_layer("running\n", listing, ev, ev)
    assert layer is not None and not layer.blocks and "ACCEPT" in layer.summary
    assert fw.firewalld_layer("not running\n", None, ev, ev) is None


def secedit(**values: object) -> dict[str, secpol.Setting]:
    lines = ["[Unicode]", "Unicode=yes", "[System Access]", "MinimumPasswordLength = 8"]
    lines += [f"{k} = {v}" for k, v in values.items()]
    return secpol.sections("\r\n".join(lines))[secpol.SYSTEM_ACCESS]


@pytest.mark.parametrize(
    ("values", "threshold", "minutes", "until"),
    [
        ({"LockoutBadCount": 0}, None, None, False),
        ({"LockoutBadCount": 5, "ResetLockoutCount": 30, "LockoutDuration": 30}, 5, 30.0, False),
        ({"LockoutBadCount": 3, "LockoutDuration": -1}, 3, None, True),
        ({"LockoutBadCount": 3, "LockoutDuration": 0}, 3, None, True),
    ],
)
def test_windows_lockout(values: dict, threshold: int | None, minutes: float | None, until: bool) -> None:
    found = secpol.lockout(secedit(**values), ev)
    assert (found.threshold, found.minutes, found.until_unlocked) == (threshold, minutes, until)


def test_windows_lockout_missing_from_the_export_is_the_windows_default() -> None:
    found = secpol.lockout(secedit(), ev)
    assert found.threshold is None and "default 0" in found.defaults[0]
