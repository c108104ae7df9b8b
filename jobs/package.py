"""Package the reference pipeline for upload: deterministic archives plus jobs/MANIFEST.json.

    python -m jobs.package            # rebuild jobs/artifacts/* and jobs/MANIFEST.json
    python -m jobs.package --check    # exit 1 when they are not what the sources give

Artifacts (the stack uploads each to the key MANIFEST.json names):
- artifacts/jobs.zip: the `jobs` package, importable from the ZIP (PYTHONPATH, Spark's addPyFile,
  PyFlink's pyFiles);
- artifacts/model.tar.gz: SageMaker's model archive: model.joblib at the root, code/inference.py and
  code/jobs/ beside it (SAGEMAKER_PROGRAM=inference.py, SAGEMAKER_SUBMIT_DIRECTORY=/opt/ml/model/code);
- samples/model/: the model-server folder (model.joblib + model-settings.json) that KServe's and
  MLServer's scikit-learn runtimes serve as it is;
- samples/customers.csv and the Spark entry scripts, uploaded as they are.
Same sources, same bytes: entries are sorted, timestamps fixed, owners and modes normalised.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import os
import sys
import tarfile
import zipfile

from jobs import layout, schema

JOBS_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_DIR = os.path.dirname(JOBS_DIR)
DIST_DIR = os.path.join(JOBS_DIR, "artifacts")
MODEL_DIR = os.path.join(JOBS_DIR, "samples", "model")
MANIFEST = os.path.join(JOBS_DIR, "MANIFEST.json")
# 1980-01-01, the earliest time a ZIP entry can carry; the same moment is used in the tar.
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
FIXED_EPOCH = 315532800
# Not importable code: tests, and the Spark entry scripts (uploaded on their own).
EXCLUDED_DIRS = ("tests", "spark", "artifacts", "samples", "__pycache__")


def package_files() -> list:
    """(path in archive, absolute path) of every module of the `jobs` package, sorted."""
    found = []
    for root, dirs, files in os.walk(JOBS_DIR):
        dirs[:] = sorted(d for d in dirs if d not in EXCLUDED_DIRS)
        for name in files:
            if name.endswith(".py"):
                full = os.path.join(root, name)
                found.append(("jobs/" + os.path.relpath(full, JOBS_DIR).replace(os.sep, "/"), full))
    return sorted(found)


def _read(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def build_package_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, path in package_files():
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, _read(path), compresslevel=9)
    return buffer.getvalue()


def _tar_entry(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = FIXED_EPOCH
    info.mode = 0o644
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    archive.addfile(info, io.BytesIO(data))


def build_sagemaker_archive() -> bytes:
    entries = [(schema.MODEL_FILE, os.path.join(MODEL_DIR, schema.MODEL_FILE))]
    entries.append(("code/inference.py", os.path.join(JOBS_DIR, "serve", "inference.py")))
    entries += [("code/" + name, path) for name, path in package_files()]
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for name, path in entries:
            _tar_entry(archive, name, _read(path))
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, compresslevel=9, mtime=0) as gz:
        gz.write(raw.getvalue())
    return out.getvalue()


def _rel(path: str) -> str:
    return os.path.relpath(path, REPO_DIR).replace(os.sep, "/")


def artifacts() -> list:
    """What the stack uploads: name, repo-relative path, bucket, key, content type, readers."""
    spark = os.path.join(JOBS_DIR, "spark")
    return [
        {
            "name": "sample-data",
            "path": _rel(os.path.join(JOBS_DIR, "samples", "customers.csv")),
            "bucket": "data",
            "key": layout.SAMPLE_DATA_KEY,
            "contentType": "text/csv",
            "readers": ["data level 1 (features job)", "data level 2 (Spark)"],
        },
        {
            "name": "model",
            "path": _rel(os.path.join(MODEL_DIR, schema.MODEL_FILE)),
            "bucket": "artifacts",
            "key": layout.join(layout.MODEL_PREFIX, schema.MODEL_FILE),
            "contentType": "application/octet-stream",
            "readers": [
                "inference level 1 (batch scoring)",
                "inference level 2 (Spark UDF)",
                "inference level 3 (streaming)",
                "inference level 4 on Azure and GCP, level 5 (KServe sklearnserver)",
            ],
        },
        {
            "name": "model-settings",
            "path": _rel(os.path.join(MODEL_DIR, schema.MODEL_SETTINGS_FILE)),
            "bucket": "artifacts",
            "key": layout.join(layout.MODEL_PREFIX, schema.MODEL_SETTINGS_FILE),
            "contentType": "application/json",
            "readers": ["MLServer scikit-learn runtime (alternative model server)"],
        },
        {
            "name": "sagemaker-model",
            "path": _rel(os.path.join(DIST_DIR, "model.tar.gz")),
            "bucket": "artifacts",
            "key": layout.SAGEMAKER_MODEL_KEY,
            "contentType": "application/gzip",
            "readers": ["inference level 4 on AWS (SageMaker scikit-learn endpoint)"],
        },
        {
            "name": "jobs-package",
            "path": _rel(os.path.join(DIST_DIR, "jobs.zip")),
            "bucket": "artifacts",
            "key": layout.PACKAGE_KEY,
            "contentType": "application/zip",
            "readers": ["every job: PYTHONPATH, Spark addPyFile, PyFlink pyFiles"],
        },
        {
            "name": "spark-data",
            "path": _rel(os.path.join(spark, "data.py")),
            "bucket": "artifacts",
            "key": layout.join(layout.SPARK_SCRIPTS_PREFIX, "data.py"),
            "contentType": "text/x-python",
            "readers": ["data level 2 (Spark entry script)"],
        },
        {
            "name": "spark-inference",
            "path": _rel(os.path.join(spark, "inference.py")),
            "bucket": "artifacts",
            "key": layout.join(layout.SPARK_SCRIPTS_PREFIX, "inference.py"),
            "contentType": "text/x-python",
            "readers": ["inference level 2 (Spark entry script)"],
        },
    ]


def manifest_text() -> str:
    entries = []
    for a in artifacts():
        data = _read(os.path.join(REPO_DIR, a["path"]))
        entries.append({**a, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()})
    return json.dumps({"version": 1, "artifacts": entries}, indent=2) + "\n"


def built() -> dict:
    """The archives the sources give, by repo-relative path."""
    return {
        _rel(os.path.join(DIST_DIR, "jobs.zip")): build_package_zip(),
        _rel(os.path.join(DIST_DIR, "model.tar.gz")): build_sagemaker_archive(),
    }


def stale() -> list:
    """Repo-relative paths whose committed bytes differ from a fresh build (manifest included)."""
    out = [p for p, data in built().items() if not _same(os.path.join(REPO_DIR, p), data)]
    if not out and not _same(MANIFEST, manifest_text().encode("utf-8")):
        out.append(_rel(MANIFEST))
    return out


def _same(path: str, data: bytes) -> bool:
    return os.path.isfile(path) and _read(path) == data


def write() -> None:
    os.makedirs(DIST_DIR, exist_ok=True)
    for path, data in built().items():
        with open(os.path.join(REPO_DIR, path), "wb") as f:
            f.write(data)
    with open(MANIFEST, "w", encoding="utf-8") as f:
        f.write(manifest_text())


def main(argv: list | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m jobs.package", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale artifacts")
    args = parser.parse_args(argv)
    if args.check:
        out = stale()
        if out:
            print("stale: " + ", ".join(out) + " (run python -m jobs.package)", file=sys.stderr)
            sys.exit(1)
        print("artifacts are current")
        return
    write()
    print(f"wrote {', '.join(sorted(built()))} and {_rel(MANIFEST)}")


if __name__ == "__main__":
    main()
