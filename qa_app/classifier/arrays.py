"""A fitted model kept as named numpy arrays in one compressed ``.npz`` file, read back
without pickles: how both shipped classifiers are stored."""

from __future__ import annotations

from pathlib import Path
from typing import Self

import numpy as np


class StoredArrays:
    """``arrays`` are the model's numbers by name; a subclass reads what it needs of them
    in ``__init__``."""

    def __init__(self, arrays: dict[str, np.ndarray]):
        self.arrays = arrays

    def save(self, path: Path) -> None:
        with open(path, "wb") as handle:
            np.savez_compressed(handle, **self.arrays)

    @classmethod
    def load(cls, path: Path) -> Self:
        with np.load(path, allow_pickle=False) as stored:
            return cls({name: stored[name] for name in stored.files})
