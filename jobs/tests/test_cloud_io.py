"""jobs.cloud_io against a fake identity endpoint and Blob service on 127.0.0.1.

The fake checks what Azure checks (the identity header, the bearer token, x-ms-version, the blob
type on PUT), so a request the real services would refuse fails here too.
"""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import threading
import urllib.parse

import pandas as pd
import pytest

from jobs import cloud_io, features, schema, score, tables

from .conftest import JOBS_DIR, SAMPLE, SAMPLE_MODEL

TOKEN = "fake-storage-token"
IDENTITY_SECRET = "identity-header-secret"
CLIENT_ID = "00000000-0000-0000-0000-00000000c1d0"
ACCOUNT = "mlopsdevx7k2q9"


class FakeAzure(http.server.ThreadingHTTPServer):
    """Token endpoints (Container Apps' and IMDS') and a Blob store keyed by `/<account>/<container>/<key>`."""

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.blobs: dict[str, bytes] = {}
        self.token_requests: list[dict] = []

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(http.server.BaseHTTPRequestHandler):
    server: FakeAzure

    def log_message(self, *args):  # quiet test output
        pass

    def _send(self, status, body=b"", headers=None):
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _token(self, query, header_ok):
        self.server.token_requests.append({"path": self.path.split("?")[0], **query})
        if not header_ok:
            return self._send(400, b'{"error":"missing header"}')
        body = json.dumps({"access_token": TOKEN, "expires_on": "9999999999", "token_type": "Bearer"})
        return self._send(200, body.encode())

    def _authorized(self):
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            self._send(403, headers={"x-ms-error-code": "AuthorizationFailure"})
            return False
        if self.headers.get("x-ms-version") != cloud_io.STORAGE_VERSION:
            self._send(400, headers={"x-ms-error-code": "InvalidHeaderValue"})
            return False
        return True

    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        query = {k: v[0] for k, v in urllib.parse.parse_qs(url.query).items()}
        if url.path == "/msi/token":
            return self._token(query, self.headers.get("X-IDENTITY-HEADER") == IDENTITY_SECRET)
        if url.path == "/metadata/identity/oauth2/token":
            return self._token(query, self.headers.get("Metadata") == "true")
        if not self._authorized():
            return
        blob = self.server.blobs.get(urllib.parse.unquote(url.path))
        if blob is None:
            return self._send(404, headers={"x-ms-error-code": "BlobNotFound"})
        return self._send(200, blob)

    def do_PUT(self):
        if not self._authorized():
            return
        if self.headers.get("x-ms-blob-type") != "BlockBlob":
            return self._send(400, headers={"x-ms-error-code": "MissingRequiredHeader"})
        length = int(self.headers.get("Content-Length", "0"))
        self.server.blobs[urllib.parse.unquote(urllib.parse.urlparse(self.path).path)] = self.rfile.read(length)
        return self._send(201)


@pytest.fixture()
def azure():
    server = FakeAzure()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def container_apps_env(azure: FakeAzure) -> dict:
    return {
        "IDENTITY_ENDPOINT": f"{azure.base}/msi/token",
        "IDENTITY_HEADER": IDENTITY_SECRET,
        "AZURE_CLIENT_ID": CLIENT_ID,
        "MLOPS_BLOB_ENDPOINT": f"{azure.base}/{{account}}",
        "DATA_URI": f"abfss://data@{ACCOUNT}.dfs.core.windows.net/",
        "ARTIFACTS_URI": f"abfss://artifacts@{ACCOUNT}.dfs.core.windows.net/",
    }


def test_container_apps_token_sends_the_identity_header_and_client_id(azure):
    token = cloud_io.access_token(container_apps_env(azure))
    assert token == TOKEN
    assert azure.token_requests == [
        {
            "path": "/msi/token",
            "resource": "https://storage.azure.com/",
            "client_id": CLIENT_ID,
            "api-version": "2019-08-01",
        }
    ]


def test_batch_node_token_comes_from_the_metadata_service(azure):
    env = {"AZURE_CLIENT_ID": CLIENT_ID, "MLOPS_IMDS_TOKEN_URL": f"{azure.base}/metadata/identity/oauth2/token"}
    assert cloud_io.access_token(env) == TOKEN
    assert azure.token_requests[0]["api-version"] == "2018-02-01"
    assert azure.token_requests[0]["client_id"] == CLIENT_ID


def test_a_refused_token_request_raises(azure):
    env = {**container_apps_env(azure), "IDENTITY_HEADER": "wrong"}
    with pytest.raises(cloud_io.CloudIOError, match="HTTP 400"):
        cloud_io.access_token(env)


def test_blob_url_of_an_abfss_store():
    url = cloud_io.blob_url(f"abfss://data@{ACCOUNT}.dfs.core.windows.net/", "samples/data/customers.csv", {})
    assert url == f"https://{ACCOUNT}.blob.core.windows.net/data/samples/data/customers.csv"
    with pytest.raises(ValueError):
        cloud_io.blob_url("s3://bucket/", "key", {})


def test_put_then_get_round_trips_and_a_wrong_token_is_refused(azure, tmp_path):
    env = container_apps_env(azure)
    src = tmp_path / "in.csv"
    src.write_bytes(b"a,b\n1,2\n")
    url = cloud_io.blob_url(env["DATA_URI"], "samples/x/in.csv", env)
    blobs = cloud_io.Blobs(TOKEN)
    assert blobs.put(str(src), url, "text/csv") == 8
    assert azure.blobs[f"/{ACCOUNT}/data/samples/x/in.csv"] == b"a,b\n1,2\n"
    out = tmp_path / "down" / "in.csv"
    assert blobs.get(url, str(out)) == 8
    assert out.read_bytes() == b"a,b\n1,2\n"
    with pytest.raises(cloud_io.CloudIOError, match="403 AuthorizationFailure"):
        cloud_io.Blobs("not-the-token").get(url, str(out))
    with pytest.raises(cloud_io.CloudIOError, match="404 BlobNotFound"):
        blobs.get(cloud_io.blob_url(env["DATA_URI"], "samples/missing.csv", env), str(out))


def seed(azure: FakeAzure, env: dict) -> dict:
    """The uploads the stack makes (sample rows, model, jobs.zip), as the env the job gets."""
    files = {
        "data/samples/data/customers.csv": SAMPLE,
        "artifacts/samples/models/sklearn/model.joblib": os.path.join(SAMPLE_MODEL, schema.MODEL_FILE),
        "artifacts/samples/jobs/jobs.zip": os.path.join(JOBS_DIR, "artifacts", "jobs.zip"),
    }
    for key, path in files.items():
        with open(path, "rb") as f:
            azure.blobs[f"/{ACCOUNT}/{key}"] = f.read()
    url = lambda key: f"{azure.base}/{ACCOUNT}/{key}"  # noqa: E731
    return {
        **env,
        "MLOPS_SAMPLE_DATA": url("data/samples/data/customers.csv"),
        "MLOPS_MODEL": url("artifacts/samples/models/sklearn/model.joblib"),
        "MLOPS_JOBS_PACKAGE": url("artifacts/samples/jobs/jobs.zip"),
    }


def test_inference_run_uploads_the_same_scores_as_batch_scoring(azure, tmp_path):
    env = seed(azure, container_apps_env(azure))
    keys = cloud_io.run("inference", env=env, work=str(tmp_path / "work"))
    assert keys == ["samples/scores/scores.csv"]
    uploaded = tmp_path / "uploaded.csv"
    uploaded.write_bytes(azure.blobs[f"/{ACCOUNT}/data/samples/scores/scores.csv"])
    local = tmp_path / "local"
    features.main(["--input", SAMPLE, "--output", str(local / "features")])
    score.main(["--model", SAMPLE_MODEL, "--input", str(local / "features"), "--output", str(local / "scores")])
    expected = tables.read_table(str(local / "scores"))
    pd.testing.assert_frame_equal(tables.read_table(str(uploaded)), expected, check_exact=True)


def test_data_and_training_runs_write_under_samples_only(azure, tmp_path):
    env = seed(azure, container_apps_env(azure))
    assert cloud_io.run("data", env=env, work=str(tmp_path / "d")) == ["samples/features/features.csv"]
    trained = cloud_io.run("training", env=env, work=str(tmp_path / "t"))
    assert f"{cloud_io.TRAINED_MODEL_PREFIX}/{schema.MODEL_FILE}" in trained
    written = [k for k in azure.blobs if k.startswith(f"/{ACCOUNT}/")]
    assert all(k.split("/", 3)[3].startswith("samples/") for k in written)


def test_the_cli_runs_as_python_c_and_fails_without_its_environment(tmp_path):
    with open(cloud_io.__file__, encoding="utf8") as f:
        source = f.read()
    usage = subprocess.run([sys.executable, "-c", source, "nope"], capture_output=True, text=True)
    assert usage.returncode == 2 and "usage: python -m jobs.cloud_io" in usage.stderr
    env = {k: v for k, v in os.environ.items() if k not in ("DATA_URI", "ARTIFACTS_URI")}
    missing = subprocess.run([sys.executable, "-c", source, "data"], capture_output=True, text=True, env=env)
    assert missing.returncode == 1 and "DATA_URI is not set" in missing.stderr
