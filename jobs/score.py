"""Score in batch: the model and a feature table in, the scores table out.

    python -m jobs.score --model DIR|model.joblib --input FEATURES.csv|DIR --output SCORES.csv|DIR

On SageMaker Processing the model and features arrive as processing inputs under
/opt/ml/processing/input/..., and the scores directory is a processing output.
"""

from __future__ import annotations

import argparse

from jobs import schema, tables
from jobs.model import load_model, score_frame


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m jobs.score", description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, help=f"model directory (holding {schema.MODEL_FILE}) or file")
    parser.add_argument("--input", required=True, help="feature CSV file or directory")
    parser.add_argument("--output", required=True, help=f"CSV file, or directory for {schema.SCORES_FILE}")
    args = parser.parse_args(argv)
    model = load_model(tables.local_path(args.model))
    written = tables.write_table(score_frame(model, tables.read_table(args.input)), args.output, schema.SCORES_FILE)
    print(f"scores: {written} (model {model.version})")


if __name__ == "__main__":
    main()
