"""Score a stream: the engine-free scorer, plus a local replay of a JSON-lines file.

An event is one raw customer row as a JSON object (RAW_COLUMNS; `total_charges` may be left out).
A score is a JSON object: customer_id, churn_probability, churn_predicted, model_version. Engines
hand the scorer one event or a micro-batch; thin adapters in `jobs.adapters` wire it into
Managed Service for Apache Flink (PyFlink), Dataflow (Apache Beam) and Spark Structured Streaming.

    python -m jobs.streaming --model DIR --input EVENTS.jsonl --output SCORES.jsonl [--batch-size N]
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Iterable, Iterator, Union

from jobs.model import LoadedModel, load_model, score_records

Event = Union[dict, str, bytes]


def parse_event(event: Event) -> dict:
    """An event as a dict, whether the engine delivers a dict, JSON text or JSON bytes."""
    if isinstance(event, dict):
        return event
    if isinstance(event, bytes):
        event = event.decode("utf-8")
    parsed = json.loads(event)
    if not isinstance(parsed, dict):
        raise ValueError("an event is one JSON object")
    return parsed


def score_event(model: LoadedModel, event: Event) -> dict:
    """One event to one score."""
    return score_records(model, [parse_event(event)])[0]


def score_micro_batch(model: LoadedModel, events: Iterable[Event]) -> list[dict]:
    """A micro-batch of events to their scores, in order; the same values as one by one."""
    return score_records(model, [parse_event(e) for e in events])


def to_json(score: dict) -> str:
    return json.dumps(score, sort_keys=True, separators=(",", ":"))


def _batches(lines: Iterable[str], size: int) -> Iterator[list[str]]:
    batch: list[str] = []
    for line in lines:
        if line.strip():
            batch.append(line)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m jobs.streaming", description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, help="model directory or model.joblib")
    parser.add_argument("--input", default="-", help="JSON-lines events file (default: stdin)")
    parser.add_argument("--output", default="-", help="JSON-lines scores file (default: stdout)")
    parser.add_argument("--batch-size", type=int, default=100, help="events per micro-batch")
    args = parser.parse_args(argv)
    model = load_model(args.model)
    source = sys.stdin if args.input == "-" else open(args.input, encoding="utf-8")
    sink = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8")
    try:
        for batch in _batches(source, max(1, args.batch_size)):
            for score in score_micro_batch(model, batch):
                sink.write(to_json(score) + "\n")
    finally:
        if source is not sys.stdin:
            source.close()
        if sink is not sys.stdout:
            sink.close()


if __name__ == "__main__":
    main()
