"""Global (cumulative) weights from a value tree of local weights."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]


def global_weights(
    parent: IntArray, local: FloatArray, normalise: BoolArray, total: float
) -> FloatArray:
    """Each node's global weight: its share of its level, times its parent's global weight.

    Args:
        parent: ``(n_nodes,)`` index of each node's parent, ``-1`` at the top level.
            Parents come before their children.
        local: ``(n_nodes,)`` local weights as written.
        normalise: ``(n_nodes + 1,)`` whether the children of each node (index ``i + 1``
            for node ``i``; index ``0`` for the top level) are divided by their sum
            (explicit normalisation) rather than by ``total``.
        total: what each level's weights are meant to sum to (e.g. 100).

    Returns:
        ``(n_nodes,)`` global weights as fractions: the leaves' weights sum to 1 when
        every level sums to ``total`` (MCA manual: cumulative weight is the product of
        the weights down the tree).
    """
    n = local.shape[0]
    sums = np.zeros(n + 1)
    np.add.at(sums, parent + 1, local)
    divisor = np.where(normalise[parent + 1], sums[parent + 1], total)
    share = np.divide(local, divisor, out=np.zeros(n), where=divisor != 0)
    result = share.copy()
    depth = np.zeros(n, dtype=np.intp)
    for i in range(n):
        if parent[i] >= 0:
            depth[i] = depth[parent[i]] + 1
    for level in range(1, int(depth.max(initial=0)) + 1):
        at = depth == level
        result[at] *= result[parent[at]]
    return result
