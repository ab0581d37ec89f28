"""Type stubs of the native module (the public API is the ``neardup`` package)."""

from os import PathLike
from typing import Any

import numpy as np
import numpy.typing as npt

DEFAULT_THRESHOLD: float
DEFAULT_CONTAINMENT: float
DEFAULT_MIN_CONTAINED: int
DEFAULT_BUCKET_CAP: int
DEFAULT_RERANK_NEIGHBOURS: int

class IndexFileError(Exception): ...

def pairs(
    texts: Any,
    ids: list[str] | None,
    threshold: float,
    containment: float | None,
    min_contained: int,
    shingle: str,
    num_perm: int,
    seed: int,
    sketch: str,
    bucket_cap: int | None,
    threads: int | None,
) -> dict[str, npt.NDArray[Any]]: ...
def cluster(
    texts: Any,
    ids: list[str] | None,
    threshold: float,
    containment: float | None,
    min_contained: int,
    shingle: str,
    num_perm: int,
    seed: int,
    sketch: str,
    bucket_cap: int | None,
    threads: int | None,
) -> dict[str, npt.NDArray[Any]]: ...
def rank(
    texts: Any, ids: list[str] | None, top: int, rerank_neighbours: int, threads: int | None
) -> dict[str, npt.NDArray[Any]]: ...
def compare(
    a: str,
    b: str,
    threshold: float,
    containment: float | None,
    min_contained: int,
    shingle: str,
    num_perm: int,
    seed: int,
    sketch: str,
) -> dict[str, Any]: ...
def estimate_jaccard(a: npt.NDArray[np.uint32], b: npt.NDArray[np.uint32]) -> float: ...
def estimate_jaccard_many(
    matrix: npt.NDArray[np.uint32], signature: npt.NDArray[np.uint32]
) -> npt.NDArray[np.float64]: ...

class Sketcher:
    def __init__(self, num_perm: int, seed: int, sketch: str, shingle: str) -> None: ...
    @property
    def num_perm(self) -> int: ...
    @property
    def seed(self) -> int: ...
    @property
    def sketch(self) -> str: ...
    @property
    def shingle(self) -> str: ...
    def sketch_many(self, texts: Any, threads: int | None = None) -> npt.NDArray[np.uint32]: ...
    def sketch_one(self, text: str) -> npt.NDArray[np.uint32]: ...

class BandTable:
    def __init__(
        self, num_perm: int, threshold: float, bands: int | None = None, rows: int | None = None
    ) -> None: ...
    @property
    def bands(self) -> int: ...
    @property
    def rows(self) -> int: ...
    def insert(self, slot: int, signature: npt.NDArray[np.uint32]) -> None: ...
    def remove(self, slot: int) -> bool: ...
    def query(self, signature: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint32]: ...

class IndexHandle:
    @staticmethod
    def build(
        path: str | PathLike[str],
        texts: Any,
        ids: list[str] | None,
        threshold: float,
        containment: float | None,
        min_contained: int,
        shingle: str,
        num_perm: int,
        seed: int,
        sketch: str,
        threads: int | None,
    ) -> IndexHandle: ...
    @staticmethod
    def open(path: str | PathLike[str]) -> IndexHandle: ...
    def add(self, texts: Any, ids: list[str] | None, threads: int | None) -> None: ...
    def __len__(self) -> int: ...
    @property
    def path(self) -> str: ...
    def ids(self) -> list[str]: ...
    def settings(self) -> dict[str, Any]: ...
    def query(self, text: str, top: int, bucket_cap: int | None) -> dict[str, Any]: ...
