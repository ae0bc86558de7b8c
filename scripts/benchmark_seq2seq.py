"""benchmark_seq2seq: training speed of a small attention model, as TF1 code under
graphrnn-tf1 and as Keras 3 with a hand-written decoding loop.

Both train the same model (vocabulary 40, embedding 32, a GRU(64) encoder over 12 steps,
Luong attention over its outputs, a GRU(64) decoder fed [embedding, previous attention],
an attention layer of 64 without bias, a projection to the vocabulary without bias) with
Adam on batches of 64 random sequences to copy backwards:

  graphrnn-tf1   scripts/tf1/attention_training.py, unmodified TF1 code (contrib.seq2seq's
                 AttentionWrapper, TrainingHelper, BasicDecoder, dynamic_decode), run in
                 its own process by the runner, timing each Session.run
  Keras 3        keras.layers.GRUCell and Dense in a tf.function training step whose
                 decoding loop is a Python loop over the 12 steps (unrolled when traced)

The two alternate in rounds so that drift in the machine's speed touches both alike. It
prints the median training-step time, the spread, steps per second and each side's loss
at its first and at the first round's last step (the TF1 side starts afresh each round).
Speed is measured here, never asserted by a test.

    python scripts/benchmark_seq2seq.py [--steps N] [--rounds N] [--json PATH]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout, too

from graphrnn import options  # noqa: E402  (argparse only)

OPTIONS = argparse.ArgumentParser(prog="benchmark_seq2seq.py", description=__doc__,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
OPTIONS.add_argument("--steps", type=int, default=60, help="timed steps per round")
OPTIONS.add_argument("--warmup", type=int, default=10, help="untimed steps first")
OPTIONS.add_argument("--rounds", type=int, default=2, help="rounds of both sides")
OPTIONS.add_argument("--json", metavar="PATH", help="write the table here")
options.answer_early(__name__, OPTIONS)

import numpy as np  # noqa: E402

from graphrnn.compat import tf  # noqa: E402

import keras  # noqa: E402  (Keras 3)

TF1_PROGRAM = Path(__file__).resolve().parent / "tf1" / "attention_training.py"
VOCAB, EMBED, UNITS, BATCH, SOURCE_STEPS, TARGET_STEPS = 40, 32, 64, 64, 12, 12


def run_tf1_side(steps, warmup):
    """Step times and losses of the TF1 program under graphrnn-tf1, in its own process."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "times.json"
        subprocess.run([sys.executable, "-m", "graphrnn.tf1", str(TF1_PROGRAM), str(out),
                        str(steps), str(warmup)], check=True, capture_output=True,
                       env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
        return json.loads(out.read_text())


class Keras3Seq2seq:
    """The same model in Keras 3: layers for the weights, the decoding loop in Python."""

    def __init__(self):
        keras.utils.set_random_seed(0)
        self.embedding = keras.layers.Embedding(VOCAB, EMBED)
        self.encoder = keras.layers.GRU(UNITS, return_sequences=True, return_state=True,
                                        reset_after=False)
        self.cell = keras.layers.GRUCell(UNITS, reset_after=False)
        self.memory_layer = keras.layers.Dense(UNITS, use_bias=False)
        self.attention_layer = keras.layers.Dense(UNITS, use_bias=False)
        self.projection = keras.layers.Dense(VOCAB, use_bias=False)
        self.optimizer = keras.optimizers.Adam(1e-3)
        self.loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        self.step = tf.function(self._step)

    def _logits(self, source, decoder_inputs):
        memory, state = self.encoder(self.embedding(source))  # (B, Ts, U), (B, U)
        keys = self.memory_layer(memory)
        attention = tf.zeros([BATCH, UNITS])
        logits = []
        for t in range(TARGET_STEPS):
            x = tf.concat([self.embedding(decoder_inputs[:, t]), attention], -1)
            output, [state] = self.cell(x, [state])
            alignments = tf.nn.softmax(tf.einsum("bu,btu->bt", output, keys))  # Luong
            context = tf.einsum("bt,btu->bu", alignments, memory)
            attention = self.attention_layer(tf.concat([output, context], -1))
            logits.append(self.projection(attention))
        return tf.stack(logits, 1)  # (B, Tt, V)

    def _step(self, source, decoder_inputs, targets):
        with tf.GradientTape() as tape:
            loss = self.loss(targets, self._logits(source, decoder_inputs))
        weights = [w.value for w in self.trainable_weights]
        gradients = tape.gradient(loss, weights)
        self.optimizer.apply(gradients, self.trainable_weights)
        return loss

    @property
    def trainable_weights(self):
        layers = (self.embedding, self.encoder, self.cell, self.memory_layer,
                  self.attention_layer, self.projection)
        return [w for layer in layers for w in layer.trainable_weights]


def run_keras_side(model, steps, warmup, rng):
    times, losses = [], []
    for step in range(warmup + steps):
        source = rng.integers(3, VOCAB, size=(BATCH, SOURCE_STEPS))
        targets = source[:, ::-1]
        decoder_inputs = np.concatenate([np.ones((BATCH, 1), int), targets[:, :-1]], 1)
        start = time.perf_counter()
        loss = float(model.step(tf.constant(source), tf.constant(decoder_inputs),
                                tf.constant(targets)))
        if step >= warmup:
            times.append(time.perf_counter() - start)
        losses.append(loss)
    return {"step_seconds": times, "losses": losses}


def summary(name, rounds):
    times = [t for r in rounds for t in r["step_seconds"]]
    q1, median, q3 = statistics.quantiles(times, n=4)
    return {"mode": name, "median_ms": 1000 * median, "iqr_ms": 1000 * (q3 - q1),
            "steps_per_s": 1 / median, "first_loss": rounds[0]["losses"][0],
            "last_loss": rounds[0]["losses"][-1]}  # both sides after the first round's steps


def main(argv=None):
    args = OPTIONS.parse_args(argv)
    model, rng = Keras3Seq2seq(), np.random.default_rng(0)
    model.embedding.build((None,))
    tf1_rounds, keras_rounds = [], []
    for _ in range(args.rounds):
        tf1_rounds.append(run_tf1_side(args.steps, args.warmup))
        keras_rounds.append(run_keras_side(model, args.steps, args.warmup, rng))
    rows = [summary("graphrnn-tf1 (TF1 contrib.seq2seq)", tf1_rounds),
            summary("Keras 3 tf.function loop", keras_rounds)]
    print(f"{'mode':38} {'step ms':>8} {'IQR ms':>7} {'steps/s':>8} {'loss first':>10} "
          f"{'loss last':>9}")
    for row in rows:
        print(f"{row['mode']:38} {row['median_ms']:8.2f} {row['iqr_ms']:7.2f} "
              f"{row['steps_per_s']:8.1f} {row['first_loss']:10.3f} {row['last_loss']:9.3f}")
    print(f"graphrnn-tf1 / Keras 3 step time: {rows[0]['median_ms'] / rows[1]['median_ms']:.2f}")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
