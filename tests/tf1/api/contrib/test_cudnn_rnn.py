"""tf.contrib.cudnn_rnn on a CPU (graphrnn.tf1.api.contrib.cudnn_rnn): cuDNN's LSTM and GRU
equations written in NumPy on cuDNN's own canonical tensors (per gate: W on the input, R on
the state, two biases); a checkpoint holding them in TF1's canonical layout (as TF1 saved
a GPU's CudnnLSTM) restores into the CPU layers, which then compute what cuDNN computes."""

import numpy as np
import pytest

from graphrnn.compat import tf, v1
from graphrnn.tf1.api.contrib import cudnn_rnn

RNG = np.random.default_rng(17)
T, B, F, H = 4, 3, 5, 6
X = RNG.normal(size=(T, B, F)).astype(np.float32)


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def cudnn_gates(n_gates, width):
    """cuDNN's canonical tensors of one layer: W [H, width] and R [H, H] per gate, and a
    bias on each."""
    def draw(*shape):
        return RNG.normal(scale=0.4, size=shape).astype(np.float32)
    return ([draw(H, width) for _ in range(n_gates)], [draw(H, H) for _ in range(n_gates)],
            [draw(H) for _ in range(n_gates)], [draw(H) for _ in range(n_gates)])


def cudnn_lstm_numpy(x, layers):
    """cuDNN's LSTM (gates i, f, c, o) over layers of canonical tensors; outputs, h, c."""
    hs, cs = [], []
    for W, R, bW, bR in layers:
        h, c, outputs = np.zeros((B, H)), np.zeros((B, H)), []
        for t in range(len(x)):
            i, f, g, o = (x[t] @ W[k].T + h @ R[k].T + bW[k] + bR[k] for k in range(4))
            c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
            h = sigmoid(o) * np.tanh(c)
            outputs.append(h)
        x = np.stack(outputs)
        hs.append(h)
        cs.append(c)
    return x, np.stack(hs), np.stack(cs)


def cudnn_gru_numpy(x, layers):
    """cuDNN's GRU (gates r, u, h~; the state's product inside the reset)."""
    hs = []
    for W, R, bW, bR in layers:
        h, outputs = np.zeros((B, H)), []
        for t in range(len(x)):
            r = sigmoid(x[t] @ W[0].T + h @ R[0].T + bW[0] + bR[0])
            u = sigmoid(x[t] @ W[1].T + h @ R[1].T + bW[1] + bR[1])
            candidate = np.tanh(x[t] @ W[2].T + bW[2] + r * (h @ R[2].T + bR[2]))
            h = (1 - u) * candidate + u * h
            outputs.append(h)
        x = np.stack(outputs)
        hs.append(h)
    return x, np.stack(hs)


def lstm_canonical(prefix, W, R, bW, bR):
    """TF1's canonical names and values of one cuDNN LSTM layer: gates reordered from
    cuDNN's i, f, c, o to TF's i, c, f, o; [W, R] stacked and transposed; biases summed."""
    order = [0, 2, 1, 3]
    kernel = np.concatenate([np.concatenate([W[k], R[k]], 1) for k in order], 0).T
    bias = np.concatenate([bW[k] + bR[k] for k in order])
    return {f"{prefix}/kernel": kernel, f"{prefix}/bias": bias}


def gru_canonical(prefix, W, R, bW, bR):
    return {f"{prefix}/gates/kernel": np.concatenate(
                [np.concatenate([W[k], R[k]], 1) for k in (0, 1)], 0).T,
            f"{prefix}/gates/bias": np.concatenate([bW[0] + bR[0], bW[1] + bR[1]]),
            f"{prefix}/candidate/input_projection/kernel": W[2].T,
            f"{prefix}/candidate/input_projection/bias": bW[2],
            f"{prefix}/candidate/hidden_projection/kernel": R[2].T,
            f"{prefix}/candidate/hidden_projection/bias": bR[2]}


def restored_run(build, canonical, tmp_path):
    """Save `canonical` as a checkpoint (what TF1 wrote for a GPU's cuDNN layer), build
    the CPU layer in a fresh graph, restore it by name, and run it."""
    with tf.Graph().as_default():
        saved = {name: tf.Variable(value, name=name) for name, value in canonical.items()}
        with v1.Session() as session:
            session.run(v1.global_variables_initializer())
            prefix = v1.train.Saver(saved).save(session, str(tmp_path / "gpu.ckpt"))
    with tf.Graph().as_default():
        fetches = build()
        names = sorted(v.op.name for v in v1.global_variables())
        with v1.Session() as session:
            v1.train.Saver().restore(session, prefix)
            return names, session.run(fetches)


def test_a_two_layer_cudnn_lstm_checkpoint_restores_into_the_cpu_layer(tmp_path):
    layers = [cudnn_gates(4, F), cudnn_gates(4, H)]
    canonical = {}
    for k, layer in enumerate(layers):
        canonical.update(lstm_canonical(
            f"cudnn_lstm/rnn/multi_rnn_cell/cell_{k}/cudnn_compatible_lstm_cell", *layer))

    def build():
        lstm = cudnn_rnn.CudnnLSTM(2, H)
        outputs, (h, c) = lstm(tf.constant(X))
        return outputs, h, c
    names, (outputs, h, c) = restored_run(build, canonical, tmp_path)
    assert names == sorted(canonical)
    want, want_h, want_c = cudnn_lstm_numpy(X, layers)
    np.testing.assert_allclose(outputs, want, atol=1e-5)
    np.testing.assert_allclose(h, want_h, atol=1e-5)  # (layers, B, H), as cuDNN returns
    np.testing.assert_allclose(c, want_c, atol=1e-5)


def test_a_cudnn_gru_checkpoint_restores_into_the_cpu_layer(tmp_path):
    layers = [cudnn_gates(3, F)]
    canonical = gru_canonical(
        "cudnn_gru/rnn/multi_rnn_cell/cell_0/cudnn_compatible_gru_cell", *layers[0])

    def build():
        outputs, (h,) = cudnn_rnn.CudnnGRU(1, H)(tf.constant(X))
        return outputs, h
    names, (outputs, h) = restored_run(build, canonical, tmp_path)
    assert names == sorted(canonical)
    want, want_h = cudnn_gru_numpy(X, layers)
    np.testing.assert_allclose(outputs, want, atol=1e-5)
    np.testing.assert_allclose(h, want_h, atol=1e-5)


def test_bidirectional_layers_take_tf1s_stacked_names_and_states_in_cudnns_order():
    with tf.Graph().as_default():
        lstm = cudnn_rnn.CudnnLSTM(2, H, direction="bidirectional")
        outputs, (h, c) = lstm(tf.constant(X))
        names = sorted(v.op.name for v in v1.global_variables())
        with v1.Session() as session:
            session.run(v1.global_variables_initializer())
            outputs, h = session.run([outputs, h])
    assert names == sorted(
        f"cudnn_lstm/stack_bidirectional_rnn/cell_{k}/bidirectional_rnn/{d}/"
        f"cudnn_compatible_lstm_cell/{w}"
        for k in range(2) for d in ("fw", "bw") for w in ("kernel", "bias"))
    assert outputs.shape == (T, B, 2 * H) and h.shape == (4, B, H)
    np.testing.assert_allclose(h[2], outputs[-1, :, :H], atol=1e-6)  # layer 1 forward
    np.testing.assert_allclose(h[3], outputs[0, :, H:], atol=1e-6)   # layer 1 backward


def test_the_compatible_cells_are_cudnns_equations_on_their_own():
    W, R, bW, bR = cudnn_gates(3, F)
    weights = gru_canonical("rnn/cudnn_compatible_gru_cell", W, R, bW, bR)
    with tf.Graph().as_default():
        cell = cudnn_rnn.CudnnCompatibleGRUCell(H)
        outputs, _ = v1.nn.dynamic_rnn(cell, tf.constant(X), dtype=tf.float32,
                                       time_major=True)
        assigns = [v.assign(weights[v.op.name]) for v in v1.global_variables()]
        with v1.Session() as session:
            session.run(assigns)
            got = session.run(outputs)
    np.testing.assert_allclose(got, cudnn_gru_numpy(X, [(W, R, bW, bR)])[0], atol=1e-5)
    assert cudnn_rnn.CudnnCompatibleLSTMCell(H)._forget_bias == 0.0
    with pytest.raises(ValueError, match="cuDNN's own"):
        cudnn_rnn.CudnnLSTM(1, H, input_mode="skip_input")
