"""Datasets on disk as streams of Samples: snellen's own sample folders and FineSightBench.

`open_dataset(path)` detects the layout from the files (never from the folder name) and returns a
`SampleSource`: `name`, `manifest` (dict), iteration of Samples (PNG bytes, pixels decoded lazily),
`len()` and `get(sample_id)`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol, runtime_checkable

from snellen.schema import Sample


@runtime_checkable
class SampleSource(Protocol):
    name: str
    manifest: dict[str, Any]

    def __iter__(self) -> Iterator[Sample]: ...

    def __len__(self) -> int: ...

    def get(self, sample_id: str) -> Sample: ...


def open_dataset(path, checksums: bool = True) -> SampleSource:
    """Open a snellen sample folder, a samples.jsonl PNG folder, or a FineSightBench dataset; shard
    checksums listed in a snellen manifest are checked at open unless checksums=False."""
    from snellen.data.local import open_dataset as _open

    return _open(path, checksums=checksums)


__all__ = ["SampleSource", "open_dataset"]
