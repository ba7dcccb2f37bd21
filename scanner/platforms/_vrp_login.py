"""How Huawei VRP and H3C Comware keep passwords and accept logins.

Both vendors write a stored password as ``KEYWORD VALUE`` (``simple``, ``cipher``,
``hash``, ``irreversible-cipher``), protect the privileged level with ``super password``,
and configure login lines in ``user-interface`` (VRP, Comware 5) or ``line`` (Comware 7)
blocks: ``set authentication password``, ``user privilege level`` / ``user-role``,
``protocol inbound``. One reader serves both; what differs (defaults, VTY counts) comes
from the platform as a :class:`TelnetModel`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from scanner.configtree import Line
from scanner.facts import LocalAccount, SecretStorage, Service
from scanner.masking import Secret
from scanner.model import Evidence
from scanner.platforms.base import EvidenceMaker, Platform

# Cipher text as VRP and Comware print it: %^%#...%^%#, %$%$...%$%$, %@%@...%@%@, $c$3$..., $h$6$...
CIPHER_TEXT = re.compile(r"^(%\^%#|%\$%\$|%@%@|%#%#|\$[ch]\$\d+\$)")
# Huawei's irreversible cipher text ($1a$ ... $1d$: salted SHA-256/PBKDF2), not MD5-crypt.
_HUAWEI_IRREVERSIBLE = re.compile(r"^\$1[a-z]\$")
PASSWORD_KEYWORDS = ("irreversible-cipher", "cipher", "simple", "hash")
# Levels 3-15 (Huawei, Comware 5) and these roles (Comware 7) manage the device.
ADMIN_LEVEL = 3
ADMIN_ROLES = frozenset({"network-admin", "level-15", "mdc-admin", "context-admin"})


def classify_password(keyword: str | None, value: str) -> tuple[SecretStorage, str, Secret | None]:
    """(storage, scheme, recovered clear text) of a VRP/Comware stored password.

    ``irreversible-cipher`` and ``hash`` (and values that look so) are one-way; ``cipher``
    and cipher-looking values are reversible with the device's key; the rest is clear text.
    """
    secret = Secret(value)
    if keyword == "irreversible-cipher" or _HUAWEI_IRREVERSIBLE.match(value):
        return "hash", "irreversible-cipher", None
    if keyword == "hash" or value.startswith("$h$"):
        return "hash", "hash (sha512)" if value.startswith("$h$6$") else "hash", None
    if keyword == "cipher" or CIPHER_TEXT.match(value):
        return "reversible", "cipher", None
    return "plaintext", "simple", secret


def stored_password(words: list[str]) -> tuple[str | None, str] | None:
    """(keyword, value) of ``... {simple|cipher|hash|irreversible-cipher} VALUE`` in ``words``."""
    for position, word in enumerate(words[:-1]):
        if word in PASSWORD_KEYWORDS:
            return word, words[position + 1]
    return None


def super_password(line: Line, ev: EvidenceMaker) -> LocalAccount | None:
    """``super password [level N | role R] {simple|cipher|hash|irreversible-cipher} VALUE``."""
    words = line.text.split()
    if words[:2] != ["super", "password"]:
        return None
    stored = stored_password(words[2:])
    if stored is None:
        return None
    storage, scheme, recovered = classify_password(*stored)
    level = _after(words, "level")
    role = _after(words, "role")
    name = "super password" + (f" level {level}" if level else "") + (f" role {role}" if role else "")
    low_level = level is not None and level.isdigit() and int(level) < ADMIN_LEVEL
    admin = (role is None or role in ADMIN_ROLES) and not low_level
    return LocalAccount(
        name=name,
        kind="enable",
        admin=admin,
        storage=storage,
        scheme=scheme,
        evidence=Platform.line_evidence(ev, line),
        recovered=recovered,
        context=line.text,
    )


def _after(words: list[str], keyword: str) -> str | None:
    if keyword in words and words.index(keyword) + 1 < len(words):
        return words[words.index(keyword) + 1]
    return None


# ---- login lines ----------------------------------------------------------------------


@dataclass(frozen=True)
class LoginLine:
    """A ``user-interface``/``line`` block: its kind (vty, con, aux...) and the line numbers it covers."""

    block: Line
    kind: str
    first: int | None
    last: int | None
    is_class: bool = False

    @classmethod
    def of(cls, block: Line) -> LoginLine | None:
        words = block.text.split()
        if len(words) < 2:
            return None
        if words[1] == "class":
            return cls(block, words[2].lower(), None, None, True) if len(words) > 2 else None
        if words[1] == "maximum-vty":
            return None
        kind = words[1].lower()
        numbers = [int(w) for w in words[2:4] if w.isdigit()]
        if not numbers and kind.isdigit():
            # Comware 5 absolute numbering: "user-interface 0" (no type).
            return None
        first = numbers[0] if numbers else None
        last = numbers[1] if len(numbers) > 1 else first
        return cls(block, "console" if kind in ("con", "console") else kind, first, last)

    def child(self, pattern: str) -> Line | None:
        return self.block.child(pattern)


def line_password(login: LoginLine, ev: EvidenceMaker) -> LocalAccount | None:
    """``set authentication password {simple|cipher|hash} VALUE`` under a login line.

    The line's users manage the device when it grants level 3 or more (``user privilege
    level``) or an admin role (``user-role``); console and AUX lines without either do by
    default (VRP level 15, Comware 5 level 3, Comware 7 network-admin).
    """
    for child in login.block.children:
        words = child.text.split()
        if words[:3] != ["set", "authentication", "password"]:
            continue
        stored = stored_password(words[3:])
        if stored is None:
            continue
        storage, scheme, recovered = classify_password(*stored)
        return LocalAccount(
            name=login.block.text,
            kind="line",
            admin=_line_admin(login),
            storage=storage,
            scheme=scheme,
            evidence=Platform.line_evidence(ev, child),
            recovered=recovered,
            context=login.block.text,
        )
    return None


def _line_admin(login: LoginLine) -> bool:
    level = login.child(r"^user privilege level \d+")
    if level is not None:
        return int(level.text.split()[3]) >= ADMIN_LEVEL
    roles = [c.text.split()[1] for c in login.block.children if c.text.startswith("user-role ")]
    if roles:
        return any(r in ADMIN_ROLES for r in roles)
    return login.kind in ("console", "aux")


# ---- telnet ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TelnetModel:
    """What a platform's defaults say about telnet when the configuration is silent.

    ``server_default``: the telnet server's state with no ``telnet server enable`` line
    (None: not modelled, only statements count). ``inbound_default``: the protocols a VTY
    line accepts without ``protocol inbound`` (None: not modelled). ``vty_count``: how many
    VTY lines the device has, so lines the configuration does not show are judged by the
    default too. ``source`` names the platform and release in messages ("Comware 7").
    """

    source: str
    server_default: bool | None = None
    inbound_default: frozenset[str] | None = None
    vty_count: int | None = None
    # The evidence a default rests on (the configuration's version line), when there is one.
    anchor: Evidence | None = None
    # "user-interface" (VRP, Comware 5) or "line" (Comware 7): how the platform names VTY blocks.
    line_keyword: str = "user-interface"


@dataclass
class TelnetStatements:
    """The statements telnet depends on, collected while the configuration is read."""

    server: tuple[Line, bool] | None = None
    lines: list[LoginLine] = field(default_factory=list)


_TELNET_WORDS = {"telnet", "all"}


def telnet_services(found: TelnetStatements, model: TelnetModel, ev: EvidenceMaker, default_vty: str) -> list[Service]:
    """Telnet as the device serves it: the server, then every VTY line that accepts it.

    An explicit ``telnet server enable`` is telnet on (whatever the lines say, the server
    listens). Otherwise a VTY line accepts telnet when its ``protocol inbound`` (or its
    ``line class vty``'s, or the platform default) includes telnet or ``all``, and that
    counts as telnet on unless the server is off (by statement or by default).
    """
    vty = [line for line in found.lines if line.kind == "vty" and not line.is_class]
    vty_class = next((line for line in found.lines if line.kind == "vty" and line.is_class), None)
    context = vty[0].block.text if vty else default_vty
    services: list[Service] = []
    if found.server is not None:
        line, enabled = found.server
        services.append(Service("telnet", enabled, Platform.line_evidence(ev, line), line.text, context))
        server_on: bool | None = enabled
        server_default = ""
    else:
        server_on = model.server_default
        state = "enabled" if model.server_default else "disabled"
        server_default = f"{model.source} default: telnet server {state}" if server_on is not None else ""
    class_protocols = _protocols(vty_class) if vty_class is not None else None
    for login in vty:
        protocols = _protocols(login)
        default = ""
        if protocols is None:
            protocols, default = _default_protocols(class_protocols, vty_class, model)
        if protocols is None or not protocols & _TELNET_WORDS:
            continue
        statement = login.child(r"^protocol inbound ")
        evidence = Platform.line_evidence(ev, statement or login.block)
        detail = f"{login.block.text}: {statement.text if statement is not None else 'accepts telnet'}"
        services.append(_vty_service(server_on, server_default, default, detail, evidence, login.block.text))
    unshown = _unshown_vty(vty, model)
    if unshown:
        protocols, default = _default_protocols(class_protocols, vty_class, model)
        if protocols is not None and protocols & _TELNET_WORDS:
            evidence = Platform.line_evidence(ev, vty_class.block) if vty_class is not None else model.anchor
            names = ", ".join(f"{model.line_keyword} vty {first} {last}" for first, last in unshown)
            why = default or (vty_class.block.text if vty_class is not None else "")
            detail = f"{names} (not in the configuration; {why})"
            first, last = unshown[0]
            context = f"{model.line_keyword} vty {first} {last}"
            services.append(_vty_service(server_on, server_default, default, detail, evidence, context))
    if not services and server_default:
        # The default decided, and no line takes telnet: said, so the pass names its ground.
        detail = server_default if not server_on else f"{server_default}, but no VTY line accepts telnet"
        services.append(Service("telnet", False, model.anchor, detail, context, server_default))
    return services


def _vty_service(
    server_on: bool | None, server_default: str, default: str, detail: str, evidence: Evidence | None, context: str
) -> Service:
    if server_on is False:
        detail += " (telnet server disabled" + (f": {server_default}" if server_default else "") + ")"
    notes = "; ".join(n for n in (server_default, default) if n)
    return Service("telnet", server_on is not False, evidence, detail, context, notes)


def _protocols(login: LoginLine) -> frozenset[str] | None:
    statement = login.child(r"^protocol inbound ")
    return frozenset(statement.text.split()[2:]) if statement is not None else None


def _default_protocols(
    class_protocols: frozenset[str] | None, vty_class: LoginLine | None, model: TelnetModel
) -> tuple[frozenset[str] | None, str]:
    if class_protocols is not None and vty_class is not None:
        return class_protocols, ""
    if model.inbound_default is None:
        return None, ""
    accepted = " and ".join(sorted(model.inbound_default))
    return model.inbound_default, f"{model.source} default: VTY lines accept {accepted}"


def _unshown_vty(vty: list[LoginLine], model: TelnetModel) -> list[tuple[int, int]]:
    """Ranges of the VTY lines the configuration does not show (``[(5, 63)]``); [] when it shows them all."""
    if model.vty_count is None or model.inbound_default is None:
        return []
    shown: set[int] = set()
    for login in vty:
        if login.first is not None and login.last is not None:
            shown.update(range(login.first, login.last + 1))
    ranges: list[tuple[int, int]] = []
    for number in range(model.vty_count):
        if number in shown:
            continue
        if ranges and ranges[-1][1] == number - 1:
            ranges[-1] = (ranges[-1][0], number)
        else:
            ranges.append((number, number))
    return ranges
