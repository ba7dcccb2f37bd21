"""Issue 13, section 2: credentials. Line and super passwords, MD5-crypt, Junos admin classes."""

from __future__ import annotations

import pytest
from netutils.password import encrypt_cisco_type7

from tests.verdicthelpers import (
    COMWARE5,
    COMWARE7,
    comware,
    eos,
    facts,
    findings,
    huawei,
    ios,
    junos,
    line_of,
    lines,
    nxos,
    policy,
    status,
)

MD5 = "$1$mERr$hx5rVt7rPNoS4wqbXKX7m0"
H3C_HASH = "$h$6$Mq1y0Hc7x9V2wB5t$kQ8mZ3rN0pL7sT4uV9wX2yA5bC8dE1fG4hJ7kL0mN3pQ6rS9tU2vW5xY8zA1bC4dE7fG0hJ3kL6mN9p=="
HUAWEI_CIPHER = "%^%#Rk4z1VJ)=B4c8!W`3qPzLz~>D,-[2DuHYW5nr&0U%^%#"


# ---- login-line passwords ---------------------------------------------------------------


def test_ios_line_passwords_are_judged_like_any_stored_credential() -> None:
    config = ios(
        f"line con 0\n password 7 {encrypt_cisco_type7('C0nsoleLine7')}\n login\n"
        "line aux 0\n no exec\nline vty 0 4\n password 0 vtypass\n login\n transport input ssh\n"
        "line vty 5 15\n login local\n transport input ssh\n"
    )
    found = findings("cisco_ios", config)
    auth = found["auth.local_password"]
    assert auth.status.value == "fail"
    assert "line con 0 (stored with a reversible encoding (type7))" in auth.message
    assert "line vty 0 4 (stored in clear text, 7 characters" not in auth.message  # 7 is the user minimum
    assert "line vty 0 4 (stored in clear text, does not mix letters and digits)" in auth.message
    assert lines(found, "auth.local_password") == [line_of(config, " password 7 "), line_of(config, " password 0 ")]
    assert auth.remediation[-3:] == ("line vty 0 4", " no password", " login local")


def test_a_line_at_privilege_15_is_measured_as_an_admin_password() -> None:
    config = ios("line vty 0 4\n privilege level 15\n password 0 Vty2026x\n transport input ssh\n")
    account = next(a for a in facts("cisco_ios", config).accounts if a.kind == "line")
    assert account.admin and account.recovered is not None
    message = findings("cisco_ios", config)["auth.local_password"].message
    assert "8 characters, at least 9 required" in message


def test_huawei_user_interface_passwords_are_judged() -> None:
    config = huawei(
        "user-interface con 0\n authentication-mode password\n"
        f" set authentication password cipher {HUAWEI_CIPHER}\n"
        "user-interface vty 0 4\n authentication-mode password\n user privilege level 3\n"
        " set authentication password simple Vty@2026\n protocol inbound ssh\n"
    )
    auth = findings("huawei", config)["auth.local_password"]
    assert auth.status.value == "fail"
    assert "user-interface con 0 (stored with a reversible encoding (cipher))" in auth.message
    assert "user-interface vty 0 4 (stored in clear text, 8 characters, at least 9 required)" in auth.message
    assert auth.remediation[:3] == (
        "user-interface con 0",
        " authentication-mode aaa",
        " undo set authentication password",
    )


@pytest.mark.parametrize(
    ("release", "block", "expected"),
    [
        (COMWARE7, "line aux 0\n user-role network-admin\n set authentication password simple Aux9Pass\n", "fail"),
        (
            COMWARE7,
            f"line aux 0\n authentication-mode password\n set authentication password hash {H3C_HASH}\n",
            "pass",
        ),
        (
            COMWARE5,
            "user-interface vty 0 15\n set authentication password cipher $c$3$Xb3mFq9LkZ2sP8wE1rT5==\n",
            "fail",
        ),
    ],
)
def test_h3c_line_and_user_interface_passwords_are_judged(release: str, block: str, expected: str) -> None:
    found = findings("hp_comware", comware(release, block + " protocol inbound ssh\n"))
    assert status(found, "auth.local_password") == expected, found["auth.local_password"].message


def test_an_h3c_console_line_is_an_admin_line_by_default() -> None:
    config = comware(COMWARE7, "line aux 0\n set authentication password simple Aux9Pas\n")
    account = next(a for a in facts("hp_comware", config).accounts if a.kind == "line")
    assert account.admin


@pytest.mark.parametrize(
    ("platform", "config", "expected", "reason"),
    [
        ("huawei", huawei(f"super password level 15 cipher {HUAWEI_CIPHER}\n"), "fail", "reversible encoding"),
        ("hp_comware", comware(COMWARE5, "super password level 3 simple h3c\n"), "fail", "clear text"),
        ("hp_comware", comware(COMWARE7, f"super password role network-admin hash {H3C_HASH}\n"), "pass", ""),
    ],
)
def test_super_passwords_are_judged(platform: str, config: str, expected: str, reason: str) -> None:
    auth = findings(platform, config)["auth.local_password"]
    assert auth.status.value == expected, auth.message
    assert reason in auth.message
    if expected == "fail":
        assert auth.message.count("super password level") == 1


# ---- one MD5-crypt rule -------------------------------------------------------------------


MD5_EVERYWHERE = [
    ("cisco_ios", ios(f"username ops privilege 15 secret 5 {MD5}\n")),
    ("cisco_ios", ios(f"username ops privilege 15 secret {MD5}\n")),
    ("cisco_nxos", nxos(f"username ops password 5 {MD5}  role network-operator\n")),
    ("arista_eos", eos(f"username ops privilege 1 secret 5 {MD5}\n")),
    (
        "juniper_junos",
        junos(
            "set system login user ops class operator\n"
            f'set system login user ops authentication encrypted-password "{MD5}"\n'
        ),
    ),
]


@pytest.mark.parametrize(("platform", "config"), MD5_EVERYWHERE)
def test_md5_crypt_is_weak_by_default_on_every_vendor(platform: str, config: str) -> None:
    auth = findings(platform, config)["auth.local_password"]
    assert auth.status.value == "fail"
    assert "ops (weak hash scheme (md5-crypt))" in auth.message


@pytest.mark.parametrize(("platform", "config"), MD5_EVERYWHERE)
def test_md5_crypt_is_accepted_on_every_vendor_when_the_policy_says_so(platform: str, config: str) -> None:
    auth = findings(platform, config, policy("thresholds:\n  accept_md5_crypt: true\n"))["auth.local_password"]
    assert auth.status.value == "pass", auth.message


def test_nxos_type_5_holding_sha256_crypt_is_not_md5() -> None:
    account = facts("cisco_nxos", nxos("")).accounts[0]
    assert account.scheme == "sha256-crypt"


# ---- Junos login classes ------------------------------------------------------------------


@pytest.mark.parametrize(
    "class_lines",
    [
        "set system login class NOC-ADMIN permissions all\n",
        'set system login class "NOC-ADMIN" idle-timeout 10\nset system login class "NOC-ADMIN" permissions all\n',
    ],
)
def test_junos_users_of_a_class_with_all_permissions_are_admins(class_lines: str) -> None:
    config = junos(
        class_lines + "set system login user noc class NOC-ADMIN\n"
        'set system login user noc authentication plain-text-password-value "Noc2026x"\n'
    )
    account = next(a for a in facts("juniper_junos", config).accounts if a.name == "noc")
    assert account.admin
    auth = findings("juniper_junos", config)["auth.local_password"]
    assert "noc (stored in clear text, 8 characters, at least 9 required)" in auth.message


def test_junos_a_class_without_all_permissions_is_no_admin_class() -> None:
    config = junos(
        "set system login class NOC permissions view\nset system login class NOC permissions configure\n"
        "set system login user noc class NOC\n"
        'set system login user noc authentication encrypted-password "$6$abcdefgh$ijklmnopqrstuvwxyz"\n'
    )
    assert not next(a for a in facts("juniper_junos", config).accounts if a.name == "noc").admin


def test_junos_admin_class_defined_in_an_applied_group_counts() -> None:
    config = junos(
        "set groups BASE system login class OPS permissions all\nset apply-groups BASE\n"
        "set system login user ops class OPS\n"
        'set system login user ops authentication encrypted-password "$6$abcdefgh$ijklmnopqrstuvwxyz"\n'
    )
    assert next(a for a in facts("juniper_junos", config).accounts if a.name == "ops").admin
