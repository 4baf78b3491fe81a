"""The min-group guard."""

from __future__ import annotations

import pytest

from teamweave.errors import BelowPrivacyThreshold
from teamweave.privacy.thresholds import TOO_FEW_PEOPLE, effective_k, passes, require_group


def test_k_floor_is_three() -> None:
    assert effective_k(1) == 3
    assert effective_k(5) == 5


@pytest.mark.parametrize(("size", "k", "ok"), [(4, 5, False), (5, 5, True), (2, 1, False), (3, 1, True)])
def test_passes(size: int, k: int, ok: bool) -> None:
    assert passes(size, k) is ok


def test_require_group_raises_with_the_user_facing_words() -> None:
    with pytest.raises(BelowPrivacyThreshold) as info:
        require_group(4, 5, where="team 3")
    assert TOO_FEW_PEOPLE in str(info.value)
    assert info.value.status == 403
