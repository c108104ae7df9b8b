"""Local paths in, local paths out; a gs:// path goes through Vertex AI's /gcs mount when present."""

from __future__ import annotations

import pandas as pd

from jobs import tables


def test_gs_paths_use_the_vertex_mount_only_when_it_exists(tmp_path, monkeypatch):
    monkeypatch.setattr(tables, "VERTEX_GCS_MOUNT", str(tmp_path / "absent"))
    assert tables.local_path("gs://bucket/samples/x.csv") == "gs://bucket/samples/x.csv"
    (tmp_path / "gcs").mkdir()
    monkeypatch.setattr(tables, "VERTEX_GCS_MOUNT", str(tmp_path / "gcs"))
    assert tables.local_path("gs://bucket/samples/x.csv") == str(tmp_path / "gcs" / "bucket/samples/x.csv")
    assert tables.local_path("/opt/ml/processing/input/raw") == "/opt/ml/processing/input/raw"


def test_a_directory_reads_as_its_csv_files_in_name_order(tmp_path):
    tables.write_table(pd.DataFrame({"a": [3]}), str(tmp_path / "part-1.csv"), "x.csv")
    tables.write_table(pd.DataFrame({"a": [1, 2]}), str(tmp_path / "part-0.csv"), "x.csv")
    (tmp_path / "_SUCCESS").write_text("")
    assert tables.read_table(str(tmp_path))["a"].tolist() == [1, 2, 3]


def test_output_goes_to_a_file_or_into_a_directory(tmp_path):
    assert tables.write_table(pd.DataFrame({"a": [1]}), str(tmp_path / "out"), "scores.csv").endswith(
        "out/scores.csv"
    )
    assert tables.output_file("/x/y.csv", "scores.csv") == "/x/y.csv"


def test_floats_read_back_bit_for_bit(tmp_path):
    values = [0.1 + 0.2, 1 / 3, 2.8509718271730655e-05, 123456.78901234567]
    path = tables.write_table(pd.DataFrame({"v": values}), str(tmp_path / "v.csv"), "x.csv")
    assert tables.read_table(path)["v"].tolist() == values
