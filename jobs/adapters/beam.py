"""Dataflow (Apache Beam) adapter: Pub/Sub events in, Pub/Sub scores out, micro-batched.

Options match the parameters the stack passes to the scoring Flex Template: `--inputSubscription`,
`--outputTopic`, `--modelUri` (a gs:// folder holding model.joblib). Only the functions that build
the pipeline import apache_beam; `score_messages` is the pure step each micro-batch runs.
"""

import argparse
from typing import Any, Iterable, Optional

from jobs.model import LoadedModel, load_model_bytes, model_path
from jobs.streaming import score_micro_batch, to_json

MAX_BATCH = 500


def score_messages(model: LoadedModel, messages: Iterable[bytes]) -> list:
    """Pub/Sub message payloads (JSON events) to Pub/Sub payloads (JSON scores), in order."""
    return [to_json(s).encode("utf-8") for s in score_micro_batch(model, list(messages))]


def make_score_fn(model_uri: str) -> Any:
    import apache_beam as beam
    from apache_beam.io.filesystems import FileSystems

    class ScoreBatch(beam.DoFn):
        def setup(self) -> None:
            with FileSystems.open(model_path(model_uri.rstrip("/"))) as f:
                self.model = load_model_bytes(f.read())

        def process(self, batch: list) -> Iterable[bytes]:
            yield from score_messages(self.model, batch)

    return ScoreBatch()


def run(argv: Optional[list] = None) -> None:
    import apache_beam as beam
    from apache_beam.options.pipeline_options import PipelineOptions, StandardOptions

    parser = argparse.ArgumentParser()
    parser.add_argument("--inputSubscription", required=True)
    parser.add_argument("--outputTopic", required=True)
    parser.add_argument("--modelUri", required=True)
    args, beam_args = parser.parse_known_args(argv)
    options = PipelineOptions(beam_args)
    options.view_as(StandardOptions).streaming = True
    with beam.Pipeline(options=options) as pipeline:
        (
            pipeline
            | "Events" >> beam.io.ReadFromPubSub(subscription=args.inputSubscription)
            | "MicroBatch" >> beam.BatchElements(min_batch_size=1, max_batch_size=MAX_BATCH)
            | "Score" >> beam.ParDo(make_score_fn(args.modelUri))
            | "Scores" >> beam.io.WriteToPubSub(topic=args.outputTopic)
        )


if __name__ == "__main__":
    run()
