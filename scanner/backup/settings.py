"""The ``backup:`` section of the policy, with the command line's overrides."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from scanner.policy import Policy, PolicyError


@dataclass(frozen=True)
class BackupSettings:
    store: Path | None
    max_age_days: int
    max_shrink_fraction: float
    # True: masked asked for (flag or policy); False: --keep-secrets given; None: not asked
    # (an existing store keeps its own mode, a new one keeps secrets as shown).
    mask_secrets: bool | None

    @classmethod
    def from_policy(cls, policy: Policy, store: Path | None = None, mask_secrets: bool | None = None) -> BackupSettings:
        """``store`` and ``mask_secrets`` given on the command line win over the policy.

        A relative ``backup.store`` in a policy file is relative to that file's folder,
        so a policy works the same from cron and from a shell.
        """
        section = policy.section("backup")
        fraction = float(section["max_shrink_fraction"])
        if not 0.0 <= fraction <= 1.0:
            raise PolicyError(
                f"{policy.source}: backup.max_shrink_fraction must be between 0 and 1 (0.5 refuses an output "
                f"less than half the last backup), found {fraction}"
            )
        if store is None and section.get("store"):
            store = Path(str(section["store"])).expanduser()
            policy_file = Path(policy.source)
            if not store.is_absolute() and policy_file.is_file():
                store = policy_file.resolve().parent / store
        return cls(
            store=store.expanduser() if store is not None else None,
            max_age_days=int(section["max_age_days"]),
            max_shrink_fraction=fraction,
            mask_secrets=mask_secrets if mask_secrets is not None else (True if section["mask_secrets"] else None),
        )
