"""Cohesion: how densely a group's members are tied to each other."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from teamweave.analytics.shares import share


def density(internal_ties: npt.ArrayLike, members: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Share of possible pairs of members that have a tie: ``L / (m (m - 1) / 2)``. Unit: share, 0..1.

    Undefined (NaN) for groups of fewer than two members. Works element-wise over columns.

    References
    ----------
    .. [1] Wasserman, S. & Faust, K. (1994). Social Network Analysis: Methods and Applications, section 4.2
       (density). Cambridge University Press. https://doi.org/10.1017/CBO9780511815478

    Examples
    --------
    Five members: a star has 4 of the 10 possible ties, a path 4, a 5-clique 10, no ties 0:

    >>> density([4, 4, 10, 0], [5, 5, 5, 5]).tolist()
    [0.4, 0.4, 1.0, 0.0]
    >>> density(0, 1).tolist()
    nan
    """
    m = np.asarray(members, dtype=np.float64)
    return share(internal_ties, m * (m - 1) / 2)
