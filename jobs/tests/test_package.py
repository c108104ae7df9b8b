"""Packaging is deterministic, the committed artifacts are current, and each one works."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import zipfile

from jobs import layout, package, sample, schema, tables
from jobs.tests.conftest import JOBS_DIR, SAMPLE

REPO = os.path.dirname(JOBS_DIR)


def test_two_builds_give_the_same_bytes():
    assert package.build_package_zip() == package.build_package_zip()
    assert package.build_sagemaker_archive() == package.build_sagemaker_archive()


def test_committed_artifacts_and_manifest_are_current():
    assert package.stale() == [], "run: /usr/bin/python3 -m jobs.package"


def test_the_sample_file_is_what_its_generator_writes(tmp_path):
    out = tables.write_table(sample.generate(), str(tmp_path / "customers.csv"), "x.csv")
    with open(out, "rb") as fresh, open(SAMPLE, "rb") as shipped:
        assert fresh.read() == shipped.read()


def test_sagemaker_archive_layout():
    with tarfile.open(fileobj=io.BytesIO(package.build_sagemaker_archive()), mode="r:gz") as archive:
        members = archive.getmembers()
    names = [m.name for m in members]
    assert names[:2] == [schema.MODEL_FILE, "code/inference.py"]
    assert "code/jobs/model.py" in names and "code/jobs/features.py" in names
    assert not [n for n in names if "/tests/" in n or n.endswith(".pyc")]
    assert {(m.mtime, m.uid, m.gid, m.uname, m.mode) for m in members} == {(package.FIXED_EPOCH, 0, 0, "", 0o644)}


def test_sagemaker_archive_serves_on_its_own(tmp_path, expected_first_score):
    """Unpacked as SageMaker unpacks it, code/inference.py scores with only the archive on hand."""
    with tarfile.open(os.path.join(JOBS_DIR, "artifacts", "model.tar.gz"), mode="r:gz") as archive:
        archive.extractall(tmp_path)
    script = (
        "import importlib.util, json, sys\n"
        "spec = importlib.util.spec_from_file_location('inference', sys.argv[1] + '/code/inference.py')\n"
        "m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)\n"
        "model = m.model_fn(sys.argv[1])\n"
        "body, _ = m.output_fn(m.predict_fn(m.input_fn(sys.argv[2], 'application/json'), model), '*/*')\n"
        "print(body)\n"
    )
    event, score = expected_first_score
    # Run from elsewhere with a bare path, so the repo's own `jobs` cannot stand in for the archive's.
    result = subprocess.run(
        [sys.executable, "-I", "-c", script, str(tmp_path), json.dumps({"instances": [event]})],
        cwd=str(tmp_path),
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(result.stdout)["predictions"][0][schema.SCORE_COLUMN] == score


def test_jobs_zip_runs_a_job_from_the_zip_alone(tmp_path):
    """`python -m jobs.features` with nothing but jobs.zip on PYTHONPATH, as the containers run it."""
    with zipfile.ZipFile(os.path.join(JOBS_DIR, "artifacts", "jobs.zip")) as archive:
        names = archive.namelist()
        assert {i.date_time for i in archive.infolist()} == {package.FIXED_TIME}
    assert names == sorted(names) and "jobs/features.py" in names and "jobs/tests/__init__.py" not in names
    env = {"PYTHONPATH": os.path.join(JOBS_DIR, "artifacts", "jobs.zip"), "PATH": os.environ.get("PATH", "")}
    out = tmp_path / "features.csv"
    subprocess.run(
        [sys.executable, "-m", "jobs.features", "--input", SAMPLE, "--output", str(out)],
        cwd=str(tmp_path),
        env=env,
        check=True,
        capture_output=True,
    )
    assert len(tables.read_table(str(out))) == 2000


def test_manifest_lists_each_artifact_under_samples_with_its_hash():
    with open(package.MANIFEST, encoding="utf-8") as f:
        manifest = json.load(f)
    names = [a["name"] for a in manifest["artifacts"]]
    assert names == [
        "sample-data",
        "model",
        "model-settings",
        "sagemaker-model",
        "jobs-package",
        "spark-data",
        "spark-inference",
    ]
    for artifact in manifest["artifacts"]:
        assert artifact["key"].startswith(layout.SAMPLES + "/"), artifact
        assert artifact["bucket"] in ("data", "artifacts")
        with open(os.path.join(REPO, artifact["path"]), "rb") as f:
            data = f.read()
        assert artifact["bytes"] == len(data)
        assert artifact["sha256"] == hashlib.sha256(data).hexdigest()


def test_spark_entry_scripts_fetch_the_package_from_its_manifest_key():
    for script in ("data.py", "inference.py"):
        with open(os.path.join(JOBS_DIR, "spark", script), encoding="utf-8") as f:
            assert f'PACKAGE_KEY = "{layout.PACKAGE_KEY}"' in f.read()
