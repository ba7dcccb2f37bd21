"""Which platform a scanned host is: the inventory's word, meta.yaml's, or detection from the text."""

from __future__ import annotations

from scanner.model import HostInfo
from scanner.platforms import UnknownPlatformError, all_platforms, detect_platform, get_platform, listed_platform
from scanner.platforms._recognise import foreign_document
from scanner.platforms._unsupported import describe_unsupported
from scanner.platforms.base import Platform
from scanner.snapshot import Snapshot


class PlatformError(Exception):
    """The platform of a host cannot be known or is not supported."""


def resolve_platform(host: HostInfo, snapshot: Snapshot) -> Platform:
    """Inventory platform first, then meta.yaml, then a device list's row, then detection from the text."""
    named = host.platform or snapshot.platform
    if named:
        try:
            platform = get_platform(named)
        except UnknownPlatformError as exc:
            raise PlatformError(str(exc)) from None
        snapshot.bind_flat_config(platform.commands.config)
        return platform
    text = snapshot.flat_config
    listed = snapshot.meta.get("listed_as")
    if listed:
        found = listed_platform(listed, text)
        if found is not None:
            platform, source = found
            if platform is None:
                raise PlatformError(f"{source}: a platform netcomply does not audit")
            snapshot.bind_flat_config(platform.commands.config)
            return platform
    if text is None:
        text = _any_config_text(snapshot)
    if text is None:
        unreadable = "; ".join(snapshot.unreadable.values())
        if unreadable:
            raise PlatformError(unreadable)
        raise PlatformError("no platform in the inventory or meta.yaml, and no configuration to detect it from")
    platform = detect_platform(text)
    if platform is None:
        where = f"{snapshot.origin}: " if snapshot.origin else ""
        document = foreign_document(text)
        if document:
            raise PlatformError(f"{where}{document}")
        other = describe_unsupported(text)
        if other:
            raise PlatformError(f"{where}the configuration looks like {other}, which netcomply does not audit")
        raise PlatformError(
            f"{where}cannot tell the platform from the configuration text; set `platform` in the inventory or meta.yaml"
        )
    snapshot.bind_flat_config(platform.commands.config)
    return platform


def kind_of(platform: str | None) -> str | None:
    """The kind of a named platform, None when unknown (then every check reports the host's error)."""
    if not platform:
        return None
    try:
        return get_platform(platform).kind
    except UnknownPlatformError:
        return None


def _any_config_text(snapshot: Snapshot) -> str | None:
    for command in dict.fromkeys(p.commands.config for p in all_platforms()):
        text = snapshot.output(command)
        if text and text.strip():
            return text
    return None
