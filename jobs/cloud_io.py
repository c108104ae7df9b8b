"""Run a reference job on Azure: download its inputs from Blob storage, run it, upload its outputs.

    python -m jobs.cloud_io data|training|inference

Container Apps jobs cannot mount Blob storage (only Azure Files), and the prebuilt scikit-learn image
ships no Azure SDK, so a run moves its files itself, over the Blob REST API, as the job's managed
identity: the token comes from the Container Apps identity endpoint (IDENTITY_ENDPOINT and
IDENTITY_HEADER) or, on an Azure Batch node, from the instance metadata service. Standard library
only, so the same file runs before the `jobs` package is on the path (`python -c <this file>`).

Environment (the stack sets it):
- DATA_URI, ARTIFACTS_URI: `abfss://<container>@<account>.dfs.core.windows.net/`;
- AZURE_CLIENT_ID: the user-assigned identity to ask a token for;
- MLOPS_JOBS_PACKAGE: jobs.zip, a blob URL (downloaded) or a local path (Batch resource file);
- MLOPS_SAMPLE_DATA: blob URL of the sample rows; MLOPS_MODEL: blob URL of model.joblib (inference).

Every pipeline starts from the sample rows, so each runs on its own: data writes features under
samples/features/, training writes a model under samples/models/trained/, inference writes scores
under samples/scores/ (the keys of jobs.layout), never over a team's own data.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

# Entra ID resource of Azure Storage, and the Blob REST version sent with every request.
STORAGE_RESOURCE = "https://storage.azure.com/"
STORAGE_VERSION = "2024-11-04"
# Token endpoints: Container Apps' local identity endpoint, and the instance metadata service.
IDENTITY_API_VERSION = "2019-08-01"
IMDS_TOKEN_URL = "http://169.254.169.254/metadata/identity/oauth2/token"
IMDS_API_VERSION = "2018-02-01"
# Transient answers worth another try (throttling, server errors), and how many tries in all.
RETRY_STATUS = (408, 429, 500, 502, 503, 504)
ATTEMPTS = 4
WORK_DIR = "/tmp/mlops"

# Output prefixes, the same as jobs.layout (repeated: this file runs before jobs is importable).
FEATURES_PREFIX = "samples/features"
SCORES_PREFIX = "samples/scores"
TRAINED_MODEL_PREFIX = "samples/models/trained"
PIPELINES = ("data", "training", "inference")


class CloudIOError(RuntimeError):
    """A request the service refused, with its status and the service's error code."""


def _request(method, url, headers, body=None, timeout=60.0):
    """(status, body, headers) of one HTTP request, retried on transient failures."""
    last = None
    for attempt in range(ATTEMPTS):
        req = urllib.request.Request(url, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                return resp.status, resp.read(), dict(resp.headers)
        except urllib.error.HTTPError as e:
            payload = e.read()
            if e.code not in RETRY_STATUS:
                return e.code, payload, dict(e.headers)
            last = CloudIOError(f"{method} {_public(url)}: HTTP {e.code}")
        except (urllib.error.URLError, TimeoutError, ConnectionError) as e:
            last = CloudIOError(f"{method} {_public(url)}: {e}")
        if attempt + 1 < ATTEMPTS:
            time.sleep(min(30.0, 2.0**attempt))
    raise last


def _public(url):
    """The URL without its query: never print a token request's parameters."""
    return url.split("?", 1)[0]


def access_token(env=None, resource=STORAGE_RESOURCE):
    """An Entra ID token for `resource`, as the job's user-assigned identity (AZURE_CLIENT_ID)."""
    env = os.environ if env is None else env
    query = {"resource": resource}
    client_id = env.get("AZURE_CLIENT_ID")
    if client_id:
        query["client_id"] = client_id
    endpoint, secret = env.get("IDENTITY_ENDPOINT"), env.get("IDENTITY_HEADER")
    if endpoint and secret:
        url = f"{endpoint}?{urllib.parse.urlencode({**query, 'api-version': IDENTITY_API_VERSION})}"
        headers = {"X-IDENTITY-HEADER": secret}
    else:
        base = env.get("MLOPS_IMDS_TOKEN_URL", IMDS_TOKEN_URL)
        url = f"{base}?{urllib.parse.urlencode({**query, 'api-version': IMDS_API_VERSION})}"
        headers = {"Metadata": "true"}
    status, body, _ = _request("GET", url, headers)
    if status != 200:
        raise CloudIOError(f"token for {resource}: HTTP {status}: {body[:300]!r}")
    return json.loads(body)["access_token"]


def blob_url(store_uri, key, env=None):
    """The Blob endpoint URL of `key` in a store named `abfss://<container>@<account>.dfs.core.windows.net/`.

    MLOPS_BLOB_ENDPOINT (`http://127.0.0.1:8000/{account}`) replaces the public endpoint in tests.
    """
    env = os.environ if env is None else env
    parsed = urllib.parse.urlparse(store_uri)
    if parsed.scheme not in ("abfss", "abfs") or "@" not in parsed.netloc:
        raise ValueError(f"not an abfss:// store URI: {store_uri}")
    container, host = parsed.netloc.split("@", 1)
    account = host.split(".", 1)[0]
    base = env.get("MLOPS_BLOB_ENDPOINT", "https://{account}.blob.core.windows.net").format(account=account)
    prefix = parsed.path.strip("/")
    path = "/".join(p for p in (container, prefix, key.lstrip("/")) if p)
    return f"{base.rstrip('/')}/{urllib.parse.quote(path)}"


class Blobs:
    """GET and PUT of block blobs with a bearer token (Storage Blob Data Contributor on the account)."""

    def __init__(self, token):
        self._token = token

    def _headers(self, extra=None):
        return {"Authorization": f"Bearer {self._token}", "x-ms-version": STORAGE_VERSION, **(extra or {})}

    def get(self, url, path):
        status, body, headers = _request("GET", url, self._headers(), timeout=600.0)
        if status != 200:
            code = headers.get("x-ms-error-code", "")
            raise CloudIOError(f"GET {_public(url)}: HTTP {status} {code}".rstrip())
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        with open(path, "wb") as f:
            f.write(body)
        return len(body)

    def put(self, path, url, content_type="application/octet-stream"):
        # One Put Blob call: the reference outputs are small (a single call takes up to 5000 MiB).
        with open(path, "rb") as f:
            body = f.read()
        headers = self._headers(
            {"x-ms-blob-type": "BlockBlob", "Content-Type": content_type, "Content-Length": str(len(body))}
        )
        status, _, response = _request("PUT", url, headers, body=body, timeout=600.0)
        if status != 201:
            code = response.get("x-ms-error-code", "")
            raise CloudIOError(f"PUT {_public(url)}: HTTP {status} {code}".rstrip())
        return len(body)


def _content_type(name):
    return {".csv": "text/csv", ".json": "application/json"}.get(os.path.splitext(name)[1], "application/octet-stream")


def upload_dir(blobs, local_dir, store_uri, prefix, env=None):
    """Uploads every file under `local_dir` to `<store>/<prefix>/<relative path>`; returns the keys."""
    keys = []
    for root, dirs, files in os.walk(local_dir):
        dirs.sort()
        for name in sorted(files):
            full = os.path.join(root, name)
            key = f"{prefix}/{os.path.relpath(full, local_dir).replace(os.sep, '/')}"
            blobs.put(full, blob_url(store_uri, key, env), _content_type(name))
            keys.append(key)
    if not keys:
        raise CloudIOError(f"nothing to upload in {local_dir}")
    return keys


def plan(pipeline, work):
    """The job steps of a pipeline (module and arguments) and its upload (local dir, store, prefix)."""
    raw, feats = os.path.join(work, "raw"), os.path.join(work, "features")
    model, scores = os.path.join(work, "model"), os.path.join(work, "scores")
    features = ("jobs.features", ["--input", raw, "--output", feats])
    if pipeline == "data":
        return [features], (feats, "DATA_URI", FEATURES_PREFIX)
    if pipeline == "training":
        return [features, ("jobs.train", ["--input", feats, "--model-dir", model])], (
            model,
            "ARTIFACTS_URI",
            TRAINED_MODEL_PREFIX,
        )
    if pipeline == "inference":
        return [features, ("jobs.score", ["--model", model, "--input", feats, "--output", scores])], (
            scores,
            "DATA_URI",
            SCORES_PREFIX,
        )
    raise ValueError(f"unknown pipeline {pipeline!r}; one of {', '.join(PIPELINES)}")


def _required(env, name):
    value = env.get(name)
    if not value:
        raise CloudIOError(f"{name} is not set")
    return value


def run(pipeline, env=None, work=WORK_DIR):
    """One run of `pipeline`: inputs down, steps, outputs up. Returns the uploaded keys."""
    env = dict(os.environ if env is None else env)
    steps, (out_dir, store_var, prefix) = plan(pipeline, work)
    store = _required(env, store_var)
    blobs = Blobs(access_token(env))
    package = _required(env, "MLOPS_JOBS_PACKAGE")
    if package.startswith(("https://", "http://")):
        local = os.path.join(work, "jobs.zip")
        blobs.get(package, local)
        package = local
    blobs.get(_required(env, "MLOPS_SAMPLE_DATA"), os.path.join(work, "raw", "customers.csv"))
    if pipeline == "inference":
        blobs.get(_required(env, "MLOPS_MODEL"), os.path.join(work, "model", "model.joblib"))
    child = {**env, "PYTHONPATH": os.pathsep.join(p for p in (os.path.abspath(package), env.get("PYTHONPATH")) if p)}
    for module, args in steps:
        print(f"running python -m {module} {' '.join(args)}", flush=True)
        subprocess.run([sys.executable, "-m", module, *args], env=child, check=True)
    keys = upload_dir(blobs, out_dir, store, prefix, env)
    print(f"uploaded {len(keys)} file(s) to {prefix}/", flush=True)
    return keys


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1 or argv[0] not in PIPELINES:
        print(f"usage: python -m jobs.cloud_io {'|'.join(PIPELINES)}", file=sys.stderr)
        return 2
    try:
        run(argv[0])
    except (CloudIOError, subprocess.CalledProcessError) as e:
        print(f"cloud_io: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
