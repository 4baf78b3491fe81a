"""The min-group guard: every aggregate that leaves the process covers at least k people."""

from __future__ import annotations

from teamweave.errors import BelowPrivacyThreshold

ABSOLUTE_MIN_GROUP_SIZE = 3
TOO_FEW_PEOPLE = "too few people to show"


def effective_k(k: int) -> int:
    """k as configured, but never below the absolute floor of 3."""
    return max(k, ABSOLUTE_MIN_GROUP_SIZE)


def passes(size: int, k: int) -> bool:
    """Whether an aggregate over ``size`` people may be shown to someone other than its subject."""
    return size >= effective_k(k)


def require_group(size: int, k: int, *, where: str | None = None) -> None:
    """Raise :class:`BelowPrivacyThreshold` when an aggregate covers fewer than k people."""
    if not passes(size, k):
        raise BelowPrivacyThreshold(size, effective_k(k), where=where)
