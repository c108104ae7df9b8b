"""Reading and writing the pipeline's CSV tables, on local paths first.

Every job takes local paths: that is what SageMaker gives a container (channels under /opt/ml/...),
what a Cloud Storage FUSE or blobfuse mount looks like, and what tests use. A `gs://` path becomes
its Vertex AI FUSE path (`/gcs/<bucket>/...`) when that mount exists. Any other URI (`s3://`,
`gs://`, `abfs://`) is handed to pandas, which needs fsspec plus s3fs/gcsfs/adlfs in the image.
"""

from __future__ import annotations

import os
from typing import Optional

import pandas as pd

# Where Vertex AI custom training mounts Cloud Storage (Cloud Storage FUSE).
VERTEX_GCS_MOUNT = "/gcs"


def is_uri(path: str) -> bool:
    return "://" in path


def local_path(path: str) -> str:
    """A `gs://bucket/key` path as its Vertex AI FUSE path when mounted; anything else unchanged."""
    if path.startswith("gs://") and os.path.isdir(VERTEX_GCS_MOUNT):
        return os.path.join(VERTEX_GCS_MOUNT, path[len("gs://") :])
    return path


def _csv_files(path: str) -> list[str]:
    if os.path.isdir(path):
        files = sorted(os.path.join(path, f) for f in os.listdir(path) if f.endswith(".csv"))
        if not files:
            raise FileNotFoundError(f"no .csv file in directory {path}")
        return files
    return [path]


def read_table(path: str) -> pd.DataFrame:
    """One CSV file, or every `*.csv` in a directory (in name order), as one frame.

    Floats are parsed with `round_trip` precision so that a value written by `write_table` reads
    back bit for bit: scores computed from a file match scores computed in memory.
    """
    path = local_path(path)
    if is_uri(path):
        return pd.read_csv(path, float_precision="round_trip")
    frames = [pd.read_csv(f, float_precision="round_trip") for f in _csv_files(path)]
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)


def output_file(path: str, default_name: str) -> str:
    """`path` itself when it names a `.csv` file, else `default_name` inside the directory `path`."""
    if path.endswith(".csv"):
        return path
    return path.rstrip("/") + "/" + default_name


def write_table(frame: pd.DataFrame, path: str, default_name: str) -> str:
    """Writes `frame` as CSV to a file, or to `default_name` in a directory; returns where."""
    target = output_file(local_path(path), default_name)
    if not is_uri(target):
        parent = os.path.dirname(target)
        if parent:
            os.makedirs(parent, exist_ok=True)
    frame.to_csv(target, index=False)
    return target


def env_default(*names: str) -> Optional[str]:
    """The first of these environment variables that is set: a container's conventional path."""
    for name in names:
        value = os.environ.get(name)
        if value:
            return value
    return None
