"""Every TF1 cell three ways: a Session running dynamic_rnn, the Keras 3 layer with
weights converted by graphrnn.weights.tf1_to_keras (run eagerly), and the equations in
NumPy. Alone and stacked in MultiRNNCell; batch 1, one step, 200 steps, and a ragged
batch (dynamic_rnn's sequence_length against Keras masking)."""

import dataclasses
import re

import keras
import numpy as np
import pytest

import reference_cells as reference
from graphrnn import weights as layout
from graphrnn.compat import tf, v1

N_FEATURES = 3
TOLERANCE = 1e-5


@dataclasses.dataclass(frozen=True)
class Cell:
    name: str
    kind: str  # graphrnn.weights.CELL_KINDS
    tf1: object  # units -> TF1 cell
    keras: object  # units, **kwargs -> Keras 3 layer
    step: object  # weights -> NumPy step function
    forget_bias: float = 1.0


CELLS = [
    Cell("BasicRNNCell_tanh", "basic_rnn", lambda n: v1.nn.rnn_cell.BasicRNNCell(n),
         lambda n, **kw: keras.layers.SimpleRNN(n, **kw), reference.basic_rnn_step),
    Cell("BasicRNNCell_relu", "basic_rnn",
         lambda n: v1.nn.rnn_cell.BasicRNNCell(n, activation=tf.nn.relu),
         lambda n, **kw: keras.layers.SimpleRNN(n, activation="relu", **kw),
         lambda w: reference.basic_rnn_step(w, lambda x: np.maximum(x, 0.0))),
    Cell("GRUCell", "gru", lambda n: v1.nn.rnn_cell.GRUCell(n),
         lambda n, **kw: keras.layers.GRU(n, reset_after=False, **kw), reference.gru_step),
    Cell("LSTMCell", "lstm", lambda n: v1.nn.rnn_cell.LSTMCell(n),  # forget_bias 1.0
         lambda n, **kw: keras.layers.LSTM(n, **kw), reference.lstm_step),
    Cell("BasicLSTMCell_forget_bias_0.5", "lstm",
         lambda n: v1.nn.rnn_cell.BasicLSTMCell(n, forget_bias=0.5),
         lambda n, **kw: keras.layers.LSTM(n, **kw),
         lambda w: reference.lstm_step(w, forget_bias=0.5), forget_bias=0.5),
]

CASES = {  # name: (batch, steps, lengths)
    "batch_1": (1, 5, None),
    "one_step": (3, 1, None),
    "200_steps": (2, 200, None),
    "ragged": (4, 9, [9, 3, 1, 6]),
}

VARIABLE = re.compile(r"(?:cell_(\d+)/)?(?:basic_rnn|gru|lstm|basic_lstm)_cell/(.*):0$")


def tf1_session_run(cell, units, inputs, lengths, rng):
    """dynamic_rnn over TF1 cells with random weights (biases included).

    Returns (outputs (B, T, H_last), final state per layer, weights per layer as
    {name inside the cell: array}); an LSTM layer's state is (c, h).
    """
    graph = tf.Graph()
    with graph.as_default():
        x = v1.placeholder(tf.float32, [None, None, N_FEATURES])
        cells = [cell.tf1(n) for n in units]
        stacked = cells[0] if len(cells) == 1 else v1.nn.rnn_cell.MultiRNNCell(cells)
        length_input = v1.placeholder(tf.int32, [None]) if lengths is not None else None
        outputs, state = v1.nn.dynamic_rnn(stacked, x, sequence_length=length_input,
                                           dtype=tf.float32)
        states = [state] if len(cells) == 1 else list(state)
        variables = v1.trainable_variables()
        with v1.Session(graph=graph) as session:
            # small weights: 200 relu steps stay finite; random biases: a bias bug shows
            for variable in variables:
                variable.load(rng.normal(0.0, 0.4, variable.shape.as_list()), session)
            feed = {x: inputs} if lengths is None else {x: inputs, length_input: lengths}
            got_outputs, got_states, values = session.run([outputs, states, variables], feed)
    weights = [{} for _ in units]
    for variable, value in zip(variables, values):
        layer, name = VARIABLE.search(variable.name).groups()
        weights[int(layer or 0)][name] = value
    states = [tuple(s) if cell.kind == "lstm" else s for s in got_states]  # (c, h)
    return got_outputs, states, weights


def keras_run(cell, units, weights, inputs, lengths):
    """The same stack as Keras 3 layers (converted weights), eagerly, with a mask."""
    x = tf.constant(inputs)
    mask = None if lengths is None else tf.sequence_mask(lengths, inputs.shape[1])
    states, width = [], N_FEATURES
    for n, tf1_weights in zip(units, weights):
        layer = cell.keras(n, return_sequences=True, return_state=True,
                           zero_output_for_mask=True)
        layer.build(x.shape)  # its weights, before they are set (no run through time)
        layer.set_weights(layout.tf1_to_keras(cell.kind, tf1_weights, width, cell.forget_bias))
        x, *state = layer(x, mask=mask)
        states.append((state[1].numpy(), state[0].numpy()) if cell.kind == "lstm"
                      else state[0].numpy())  # Keras returns (h, c); TF1 keeps (c, h)
        width = n
    return x.numpy(), states


def numpy_run(cell, units, weights, inputs, lengths):
    x, states = inputs.astype(np.float64), []
    for n, tf1_weights in zip(units, weights):
        x, state = reference.run(cell.step(tf1_weights), x,
                                 reference.zero_state(cell.kind, len(x), n), lengths)
        states.append(state)
    return x, states


def assert_states_close(got, expected, label):
    for layer, (a, b) in enumerate(zip(got, expected)):
        np.testing.assert_allclose(a, b, atol=TOLERANCE, err_msg=f"{label}, layer {layer}")


# 200 steps through the while loop and Keras take seconds a cell: the full suite's
@pytest.mark.parametrize("case", [pytest.param(case, marks=pytest.mark.slow)
                                  if case == "200_steps" else case for case in CASES])
@pytest.mark.parametrize("units", [[5], [5, 3]], ids=["alone", "stacked"])
@pytest.mark.parametrize("cell", CELLS, ids=lambda c: c.name)
def test_session_keras3_and_numpy_agree(cell, units, case):
    batch, steps, lengths = CASES[case]
    rng = np.random.default_rng(7)
    inputs = rng.normal(size=(batch, steps, N_FEATURES)).astype(np.float32)
    if lengths is not None:
        inputs[np.arange(steps)[None, :] >= np.array(lengths)[:, None]] = 0.0  # padding
    outputs, states, weights = tf1_session_run(cell, units, inputs, lengths, rng)
    keras_outputs, keras_states = keras_run(cell, units, weights, inputs, lengths)
    numpy_outputs, numpy_states = numpy_run(cell, units, weights, inputs, lengths)

    assert outputs.shape == keras_outputs.shape == (batch, steps, units[-1])
    np.testing.assert_allclose(keras_outputs, outputs, atol=TOLERANCE)
    np.testing.assert_allclose(numpy_outputs, outputs, atol=TOLERANCE)
    assert_states_close(keras_states, states, "Keras 3 vs session")
    assert_states_close(numpy_states, states, "NumPy vs session")
    assert np.abs(outputs).max() > 1e-2  # not a trivially zero network
    if lengths is not None:
        for record, length in enumerate(lengths):
            assert np.all(outputs[record, length:] == 0.0)


@pytest.mark.parametrize("cell", CELLS, ids=lambda c: c.name)
def test_conversion_round_trips_both_ways(cell):
    rng = np.random.default_rng(8)
    _, _, (tf1_weights,) = tf1_session_run(cell, [4], np.zeros((1, 2, N_FEATURES), np.float32),
                                           None, rng)
    there = layout.tf1_to_keras(cell.kind, tf1_weights, N_FEATURES, cell.forget_bias)
    back = layout.keras_to_tf1(cell.kind, there, cell.forget_bias)
    assert back.keys() == tf1_weights.keys()
    for name, value in tf1_weights.items():
        np.testing.assert_allclose(back[name], value, atol=1e-7, err_msg=name)

    layer = cell.keras(4)  # Keras' own initial weights -> TF1 -> Keras
    layer(np.zeros((1, 2, N_FEATURES), np.float32))
    original = [w.numpy() for w in layer.weights]
    again = layout.tf1_to_keras(cell.kind,
                                layout.keras_to_tf1(cell.kind, original, cell.forget_bias),
                                N_FEATURES, cell.forget_bias)
    for before, after in zip(original, again):
        np.testing.assert_allclose(after, before, atol=1e-7)


def test_conversion_names_the_weight_of_the_wrong_shape():
    gru = {"gates/kernel": np.zeros((8, 10)), "gates/bias": np.zeros(10),
           "candidate/kernel": np.zeros((8, 5)), "candidate/bias": np.zeros(5)}
    layout.tf1_to_keras("gru", gru, 3)  # F=3, H=5 fits
    with pytest.raises(ValueError,
                       match=r"gates/kernel should have shape \(9, 10\), got \(8, 10\)"):
        layout.tf1_to_keras("gru", gru, 4)
    with pytest.raises(ValueError, match=r"recurrent_kernel should have shape \(4, 16\)"):
        layout.keras_to_tf1("lstm", [np.zeros((3, 16)), np.zeros((5, 16)), np.zeros(16)])
    with pytest.raises(ValueError, match="kind must be one of"):
        layout.tf1_to_keras("lstm_peephole", gru, 3)
