"""Array aliases shared by every module.

``int[...]`` in the docs means any integer dtype (the household columns are int8 to int32
to save memory; counts and indices are int64) and ``float[...]`` a float64 array.
"""

from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.integer[Any]]
Int32Array = npt.NDArray[np.int32]
BoolArray = npt.NDArray[np.bool_]
