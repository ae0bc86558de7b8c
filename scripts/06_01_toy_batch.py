"""06_01_toy_batch: what dynamic_rnn returns, on a batch small enough to read.

From the TF1 time-series tutorial: three sequences of two steps with four features,

  X_batch = [[[0, 1, 2, 5], [9, 8, 7, 4]],   # sequence 0
             [[3, 4, 5, 2], [0, 0, 0, 0]],   # sequence 1 (its second step is padding)
             [[6, 7, 8, 5], [6, 5, 4, 2]]]   # sequence 2

go through one BasicRNNCell(num_units=6) run by dynamic_rnn. `outputs` is (3, 2, 6):
every step's output; `states` is (3, 6): the final state, which for a BasicRNNCell is
the last output of each sequence. Run again with sequence_length=[2, 1, 2], sequence 1
stops after its first step: its second output is zeros and its state is its first output.

The run folder holds the graph for TensorBoard and metrics.json with the weights, the
outputs and the states.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout, too

from graphrnn import options  # noqa: E402  (argparse only)

OPTIONS = options.lesson("06_01_toy_batch", __doc__)
options.answer_early(__name__, OPTIONS)  # --help and option errors: at once, not after TF loads

import numpy as np  # noqa: E402

from graphrnn import board, graph_holder, layers, runs  # noqa: E402  (imports TensorFlow, quietly)
from graphrnn.compat import tf, v1  # noqa: E402

X_BATCH = np.array([[[0, 1, 2, 5], [9, 8, 7, 4]],
                    [[3, 4, 5, 2], [0, 0, 0, 0]],
                    [[6, 7, 8, 5], [6, 5, 4, 2]]], np.float32)  # (3, 2, 4)
NUM_UNITS = 6


def graph():
    """The tutorial's graph (for graph_holder.build_graph, which seeds it)."""
    with v1.variable_scope("inputs"):
        x = v1.placeholder(tf.float32, [None, 2, 4], name="X")  # (B, T, F)
        # the full length of every sequence unless fed
        full = tf.fill(tf.shape(x)[:1], tf.shape(x)[1])
        lengths = v1.placeholder_with_default(full, [None], name="sequence_length")
    outputs, states = layers.basic_rnn_layer(x, NUM_UNITS, sequence_length=lengths)
    return graph_holder.Tensors(predictors=x, prediction=outputs, sequence_length=lengths,
                                fetches={"states": states})


def run(args, run_dir):
    model = graph_holder.build_graph("06_01_toy_batch", graph, args.seed)
    outputs, states = model.prediction, model.fetches["states"]
    kernel, bias = model.graph.get_collection(v1.GraphKeys.TRAINABLE_VARIABLES)
    board.writer(run_dir, graph=model.graph).close()  # tf.summary.FileWriter: the graph
    with model.new_session() as session:
        session.run(model.initializer)
        x, lengths = model.predictors, model.sequence_length
        outputs_val, states_val = session.run([outputs, states], {x: X_BATCH})
        cut_outputs, cut_states = session.run([outputs, states],
                                              {x: X_BATCH, lengths: [2, 1, 2]})
        kernel_val, bias_val = session.run([kernel, bias])

    np.set_printoptions(precision=3, suppress=True)
    print(f"outputs {outputs_val.shape}: every step's output\n{outputs_val}")
    print(f"states {states_val.shape}: the final state\n{states_val}")
    gap = float(np.abs(states_val - outputs_val[:, -1]).max())
    print(f"states == outputs[:, -1] (the last output of each sequence): "
          f"{gap == 0.0} (largest difference {gap})")
    print("with sequence_length=[2, 1, 2]:")
    print(f"  outputs[1, 1] (sequence 1 past its length) = {cut_outputs[1, 1]}")
    print(f"  states[1] == outputs[1, 0]: {np.array_equal(cut_states[1], cut_outputs[1, 0])}")
    return {"kernel": kernel_val.tolist(), "bias": bias_val.tolist(),
            "outputs": outputs_val.tolist(), "states": states_val.tolist(),
            "outputs_with_lengths": cut_outputs.tolist(),
            "states_with_lengths": cut_states.tolist(), "lengths": [2, 1, 2]}


def main(argv=None):
    """Run the lesson with these command-line arguments; return its exit status."""
    return runs.lesson("06_01_toy_batch", OPTIONS, run, argv)


if __name__ == "__main__":
    runs.prepare_process()  # the process is the script's: line-buffered, deterministic ops
    sys.exit(main())
