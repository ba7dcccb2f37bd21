"""The ACL model: every device's filters, the zones as address space, zone crossings and "can A reach B?"."""

from scanner.network.acl.model import ACL_MODEL, AclModel, build_acl_model

__all__ = ["ACL_MODEL", "AclModel", "build_acl_model"]
