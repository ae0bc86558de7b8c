"""The cells of tf.contrib.rnn that graphrnn-tf1 rebuilds from their papers, each run by
dynamic_rnn against a NumPy transcription of the paper's equations on the weights read
by their TF 1.15 names."""

import numpy as np
import pytest

from graphrnn.compat import tf, v1
from graphrnn.tf1.api.contrib.rnn import paper_cells
from reference_cells import run as unroll
from reference_cells import sigmoid

RNG = np.random.default_rng(8)
B, T, F, H = 3, 4, 5, 6
INPUTS = RNG.normal(size=(B, T, F)).astype(np.float32)
LENGTHS = np.array([4, 2, 3], np.int32)


def run_cell(cell, inputs=INPUTS, assign=None):
    """outputs, final state and weights by name (below rnn/) of dynamic_rnn(cell)."""
    outputs, state = v1.nn.dynamic_rnn(cell, tf.constant(inputs),
                                       sequence_length=tf.constant(LENGTHS),
                                       dtype=tf.float32)
    variables = {v.op.name[len("rnn/"):]: v for v in v1.global_variables()}
    with v1.Session() as session:
        session.run(v1.global_variables_initializer())
        for name, value in (assign or {}).items():
            variables[name].load(value, session)
        return session.run([outputs, state, variables])


def layer_norm(x, gamma, beta):
    mean, var = x.mean(1, keepdims=True), x.var(1, keepdims=True)
    return (x - mean) / np.sqrt(var + 1e-12) * gamma + beta


def test_layer_norm_basic_lstm_cell():
    gains = {f"layer_norm_basic_lstm_cell/{g}/{p}": RNG.normal(size=H).astype(np.float32)
             for g in ("input", "transform", "forget", "output", "state")
             for p in ("gamma", "beta")}
    with tf.Graph().as_default():
        out, state, w = run_cell(paper_cells.LayerNormBasicLSTMCell(H, forget_bias=0.5),
                                 assign=gains)
    assert sorted(w) == sorted(["layer_norm_basic_lstm_cell/kernel", *gains])
    n = {name.split("/", 1)[1]: value for name, value in w.items()}

    def step(x, state):
        c, h = state
        i, j, f, o = np.split(np.concatenate([x, h], 1) @ n["kernel"], 4, axis=1)
        i, j, f, o = (layer_norm(g, n[f"{k}/gamma"], n[f"{k}/beta"]) for g, k in
                      zip((i, j, f, o), ("input", "transform", "forget", "output")))
        c = c * sigmoid(f + 0.5) + sigmoid(i) * np.tanh(j)
        c = layer_norm(c, n["state/gamma"], n["state/beta"])
        h = np.tanh(c) * sigmoid(o)
        return h, (c, h)

    zeros = np.zeros((B, H))
    want, (c, h) = unroll(step, INPUTS, (zeros, zeros), LENGTHS)
    np.testing.assert_allclose(out, want, atol=2e-5)
    np.testing.assert_allclose(state.c, c, atol=2e-5)
    np.testing.assert_allclose(state.h, h, atol=2e-5)


@pytest.mark.parametrize("num_proj", [None, 4])
def test_nas_cell(num_proj):
    with tf.Graph().as_default():
        out, state, w = run_cell(paper_cells.NASCell(H, num_proj=num_proj, use_bias=True),
                                 assign={"nas_cell/bias": RNG.normal(size=8 * H)})
    names = ["nas_cell/kernel", "nas_cell/recurrent_kernel", "nas_cell/bias"]
    assert sorted(w) == sorted(names + (["nas_cell/projection_weights"] if num_proj else []))

    def step(x, state):
        c, m = state
        xs = np.split(x @ w["nas_cell/kernel"], 8, axis=1)
        ms = np.split(m @ w["nas_cell/recurrent_kernel"] + w["nas_cell/bias"], 8, axis=1)
        relu = lambda v: np.maximum(v, 0)  # noqa: E731
        a = [sigmoid(xs[0] + ms[0]), relu(xs[1] + ms[1]), sigmoid(xs[2] + ms[2]),
             relu(xs[3] * ms[3]), np.tanh(xs[4] + ms[4]), sigmoid(xs[5] + ms[5]),
             np.tanh(xs[6] + ms[6]), sigmoid(xs[7] + ms[7])]
        c = np.tanh(np.tanh(a[0] * a[1]) + c) * np.tanh(a[2] + a[3])
        m = np.tanh(c * np.tanh(np.tanh(a[4] * a[5]) + sigmoid(a[6] + a[7])))
        if num_proj:
            m = m @ w["nas_cell/projection_weights"]
        return m, (c, m)

    width = num_proj or H
    want, (c, m) = unroll(step, INPUTS, (np.zeros((B, H)), np.zeros((B, width))), LENGTHS)
    assert out.shape == (B, T, width)
    np.testing.assert_allclose(out, want, atol=2e-5)
    np.testing.assert_allclose(state.c, c, atol=2e-5)


def test_ugrnn_cell():
    with tf.Graph().as_default():
        out, state, w = run_cell(paper_cells.UGRNNCell(H, forget_bias=0.7))
    assert sorted(w) == ["ugrnn_cell/bias", "ugrnn_cell/kernel"]

    def step(x, h):
        g, c = np.split(np.concatenate([x, h], 1) @ w["ugrnn_cell/kernel"]
                        + w["ugrnn_cell/bias"], 2, axis=1)
        g = sigmoid(g + 0.7)
        h = g * h + (1 - g) * np.tanh(c)
        return h, h

    want, h = unroll(step, INPUTS, np.zeros((B, H)), LENGTHS)
    np.testing.assert_allclose(out, want, atol=2e-5)
    np.testing.assert_allclose(state, h, atol=2e-5)


def test_intersection_rnn_cell_projects_its_input_and_gates_time_and_depth():
    with tf.Graph().as_default():
        out, state, w = run_cell(paper_cells.IntersectionRNNCell(H, num_in_proj=H))
    prefix = "intersection_rnn_cell/"
    assert sorted(w) == [prefix + n for n in ("bias", "in_projection/bias",
                                              "in_projection/kernel", "kernel")]

    def step(x, h):
        x = x @ w[prefix + "in_projection/kernel"] + w[prefix + "in_projection/bias"]
        m = np.concatenate([x, h], 1) @ w[prefix + "kernel"] + w[prefix + "bias"]
        gh, cand, gy, y = np.split(m, 4, axis=1)
        gh, gy = sigmoid(gh + 1.0), sigmoid(gy + 1.0)
        h = gh * h + (1 - gh) * np.tanh(cand)
        return gy * x + (1 - gy) * np.maximum(y, 0), h

    want, h = unroll(step, INPUTS, np.zeros((B, H)), LENGTHS)
    np.testing.assert_allclose(out, want, atol=2e-5)
    np.testing.assert_allclose(state, h, atol=2e-5)
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="num_in_proj should be set to num_units"):
            v1.nn.dynamic_rnn(paper_cells.IntersectionRNNCell(H), tf.constant(INPUTS),
                              dtype=tf.float32)


@pytest.mark.parametrize("options", [{}, {"use_peepholes": True, "num_proj": 4,
                                          "num_unit_shards": 2, "proj_clip": 0.3}])
def test_coupled_input_forget_gate_lstm_cell(options):
    with tf.Graph().as_default():
        out, state, w = run_cell(paper_cells.CoupledInputForgetGateLSTMCell(H, **options))
    prefix = "coupled_input_forget_gate_lstm_cell/"
    n = {name[len(prefix):]: value for name, value in w.items()}
    weights = np.concatenate([n[k] for k in sorted(n) if k.startswith("W_") and
                              k[2:].isdigit()])  # W_0, W_1: row blocks
    assert sorted(n) == (["B", "W_0", "W_1", "W_F_diag", "W_O_diag", "W_P_0"] if options
                         else ["B", "W_0"])
    proj = options.get("num_proj")

    def step(x, state):
        c, m = state
        j, f, o = np.split(np.concatenate([x, m], 1) @ weights + n["B"], 3, axis=1)
        f = sigmoid(f + 1.0 + (n["W_F_diag"] * c if proj else 0))
        c = f * c + (1 - f) * np.tanh(j)
        m = sigmoid(o + (n["W_O_diag"] * c if proj else 0)) * np.tanh(c)
        if proj:
            m = np.clip(m @ n["W_P_0"], -0.3, 0.3)
        return m, (c, m)

    want, (c, m) = unroll(step, INPUTS, (np.zeros((B, H)), np.zeros((B, proj or H))),
                          LENGTHS)
    np.testing.assert_allclose(out, want, atol=2e-5)
    np.testing.assert_allclose(state.c, c, atol=2e-5)


def test_ind_rnn_indy_gru_and_indy_lstm_cells():
    with tf.Graph().as_default():
        ind = run_cell(paper_cells.IndRNNCell(H, activation=tf.nn.relu))
    with tf.Graph().as_default():
        gru = run_cell(paper_cells.IndyGRUCell(H))
    with tf.Graph().as_default():
        lstm = run_cell(paper_cells.IndyLSTMCell(H, forget_bias=0.5))
    out, state, w = ind
    assert sorted(w) == ["ind_rnn_cell/bias", "ind_rnn_cell/kernel_u", "ind_rnn_cell/kernel_w"]
    assert np.abs(w["ind_rnn_cell/kernel_u"]).max() <= 1  # uniform in [-1, 1]

    def ind_step(x, h):
        h = np.maximum(x @ w["ind_rnn_cell/kernel_w"] + h * w["ind_rnn_cell/kernel_u"]
                       + w["ind_rnn_cell/bias"], 0)
        return h, h
    np.testing.assert_allclose(out, unroll(ind_step, INPUTS, np.zeros((B, H)), LENGTHS)[0],
                               atol=2e-5)

    out, state, w = gru
    g = {name.split("/", 1)[1]: value for name, value in w.items()}
    assert sorted(g) == ["candidate/bias", "candidate/kernel", "candidate/kernel_u",
                         "gates/bias", "gates/kernel_u", "gates/kernel_w"]
    np.testing.assert_array_equal(g["gates/bias"], np.ones(2 * H))  # TF1's start

    def gru_step(x, h):
        r, u = np.split(sigmoid(x @ g["gates/kernel_w"] + np.tile(h, 2) * g["gates/kernel_u"]
                                + g["gates/bias"]), 2, axis=1)
        c = np.tanh(x @ g["candidate/kernel"] + r * h * g["candidate/kernel_u"]
                    + g["candidate/bias"])
        h = u * h + (1 - u) * c
        return h, h
    np.testing.assert_allclose(out, unroll(gru_step, INPUTS, np.zeros((B, H)), LENGTHS)[0],
                               atol=2e-5)

    out, state, w = lstm
    n = {name.split("/", 1)[1]: value for name, value in w.items()}
    assert sorted(n) == ["bias", "kernel_u", "kernel_w"]

    def lstm_step(x, state):
        c, h = state
        i, j, f, o = np.split(x @ n["kernel_w"] + np.tile(h, 4) * n["kernel_u"] + n["bias"],
                              4, axis=1)
        c = c * sigmoid(f + 0.5) + sigmoid(i) * np.tanh(j)
        h = np.tanh(c) * sigmoid(o)
        return h, (c, h)
    zeros = np.zeros((B, H))
    want, (c, h) = unroll(lstm_step, INPUTS, (zeros, zeros), LENGTHS)
    np.testing.assert_allclose(out, want, atol=2e-5)
    np.testing.assert_allclose(state.c, c, atol=2e-5)


def test_highway_wrapper_mixes_the_cells_input_and_output():
    x = RNG.normal(size=(B, T, H)).astype(np.float32)  # the cell's output width
    with tf.Graph().as_default():
        out, state, w = run_cell(paper_cells.HighwayWrapper(v1.nn.rnn_cell.GRUCell(H),
                                                            couple_carry_transform_gates=False),
                                 inputs=x)
    assert sorted(w) == sorted(["carry_w", "carry_b", "transform_w", "transform_b",
                                *(f"gru_cell/{n}" for n in ("gates/kernel", "gates/bias",
                                                            "candidate/kernel",
                                                            "candidate/bias"))])
    np.testing.assert_array_equal(w["carry_b"], np.ones(H))
    np.testing.assert_array_equal(w["transform_b"], -np.ones(H))
    from reference_cells import gru_step
    inner = gru_step({n: w[f"gru_cell/{n}"] for n in ("gates/kernel", "gates/bias",
                                                      "candidate/kernel", "candidate/bias")})

    def step(x_t, h):
        output, h = inner(x_t, h)
        carry = sigmoid(x_t @ w["carry_w"] + w["carry_b"])
        transform = sigmoid(x_t @ w["transform_w"] + w["transform_b"])
        return x_t * carry + output * transform, h

    want, h = unroll(step, x, np.zeros((B, H)), LENGTHS)
    np.testing.assert_allclose(out, want, atol=2e-5)
    np.testing.assert_allclose(state, h, atol=2e-5)


def test_attention_cell_wrapper_attends_over_its_last_outputs():
    window = 3
    with tf.Graph().as_default():
        cell = paper_cells.AttentionCellWrapper(v1.nn.rnn_cell.GRUCell(H), window)
        out, state, w = run_cell(cell)
    top = "attention_cell_wrapper/"
    n = {name[len(top):]: value for name, value in w.items()}
    assert sorted(n) == sorted(["kernel", "bias", "attn_output_projection/kernel",
                                "attn_output_projection/bias", "attention/attn_w",
                                "attention/attn_v", "attention/kernel", "attention/bias",
                                *(f"gru_cell/{k}" for k in ("gates/kernel", "gates/bias",
                                                            "candidate/kernel",
                                                            "candidate/bias"))])
    from reference_cells import gru_step
    inner = gru_step({k: n[f"gru_cell/{k}"] for k in ("gates/kernel", "gates/bias",
                                                      "candidate/kernel", "candidate/bias")})

    def step(x, state):
        h, attns, past = state  # past: (B, window, H)
        x = np.concatenate([x, attns], 1) @ n["kernel"] + n["bias"]
        output, h = inner(x, h)
        features = past @ n["attention/attn_w"][0, 0]  # (B, window, H)
        y = h @ n["attention/kernel"] + n["attention/bias"]
        score = (n["attention/attn_v"] * np.tanh(features + y[:, None])).sum(-1)
        weights = np.exp(score - score.max(1, keepdims=True))
        weights /= weights.sum(1, keepdims=True)
        attns = np.einsum("bw,bwh->bh", weights, past)
        output = (np.concatenate([output, attns], 1) @ n["attn_output_projection/kernel"]
                  + n["attn_output_projection/bias"])
        past = np.concatenate([past[:, 1:], output[:, None]], 1)
        return output, (h, attns, past)

    zeros = np.zeros((B, H))
    want, final = unroll(step, INPUTS, (zeros, zeros, np.zeros((B, window, H))), LENGTHS)
    np.testing.assert_allclose(out, want, atol=2e-5)
    np.testing.assert_allclose(state[2], final[2].reshape(B, -1), atol=2e-5)


@pytest.mark.parametrize("use_peepholes", [False, True])
def test_phased_lstm_cell_opens_its_time_gate_on_each_units_phase(use_peepholes):
    times = np.cumsum(RNG.uniform(0.5, 3.0, size=(B, T, 1)), axis=1).astype(np.float32)
    with tf.Graph().as_default():
        cell = paper_cells.PhasedLSTMCell(H, use_peepholes=use_peepholes, ratio_on=0.4,
                                          period_init_min=2.0, period_init_max=8.0)
        outputs, state = v1.nn.dynamic_rnn(cell, (tf.constant(times), tf.constant(INPUTS)),
                                           sequence_length=tf.constant(LENGTHS),
                                           dtype=tf.float32)
        variables = {v.op.name[len("rnn/phased_lstm_cell/"):]: v
                     for v in v1.global_variables()}
        with v1.Session() as session:
            session.run(v1.global_variables_initializer())
            out, state, w = session.run([outputs, state, variables])
    assert sorted(w) == sorted(["period", "phase", "ratio_on"] + [
        f"{scope}/{kind}" for scope in ("mask_gates", "new_input", "output_gate")
        for kind in ("kernel", "bias")])
    assert 2.0 <= w["period"].min() and w["period"].max() <= 8.0
    assert (0 <= w["phase"]).all() and (w["phase"] < w["period"]).all()
    np.testing.assert_allclose(w["ratio_on"], 0.4)
    assert w["mask_gates/kernel"].shape == (F + H + (H if use_peepholes else 0), 2 * H)

    def step(x_and_time, state):
        x, t = x_and_time[:, :F], x_and_time[:, F:]
        c, h = state
        mask = np.concatenate([x, h] + ([c] if use_peepholes else []), 1)
        i, f = np.split(sigmoid(mask @ w["mask_gates/kernel"] + w["mask_gates/bias"]), 2, 1)
        c_new = c * f + i * np.tanh(np.concatenate([x, h], 1) @ w["new_input/kernel"]
                                    + w["new_input/bias"])
        out_in = np.concatenate([x, h] + ([c_new] if use_peepholes else []), 1)
        h_new = np.tanh(c_new) * sigmoid(out_in @ w["output_gate/kernel"]
                                         + w["output_gate/bias"])
        phi = np.mod(t - w["phase"], w["period"]) / w["period"]  # (B, H)
        r_on = w["ratio_on"]
        k = np.where(phi < r_on / 2, 2 * phi / r_on,
                     np.where(phi < r_on, 2 - 2 * phi / r_on, 0.001 * phi))
        return k * h_new + (1 - k) * h, (k * c_new + (1 - k) * c, k * h_new + (1 - k) * h)

    zeros = np.zeros((B, H))
    want, (c, h) = unroll(step, np.concatenate([INPUTS, times], 2), (zeros, zeros), LENGTHS)
    np.testing.assert_allclose(out, want, atol=2e-5)
    np.testing.assert_allclose(state.c, c, atol=2e-5)


@pytest.mark.parametrize("num_proj", [None, 4])
def test_glstm_cell_gives_each_group_its_share_of_input_and_state(num_proj):
    groups, x = 2, RNG.normal(size=(B, T, 4)).astype(np.float32)
    with tf.Graph().as_default():
        out, state, w = run_cell(paper_cells.GLSTMCell(H, num_proj=num_proj,
                                                       number_of_groups=groups,
                                                       forget_bias=0.5), inputs=x,
                                 assign={f"glstm_cell/bias_{g}": RNG.normal(size=H)
                                         for g in "ijfo"})
    n = {name[len("glstm_cell/"):]: value for name, value in w.items()}
    assert sorted(n) == sorted(["group0/kernel", "group1/kernel", "bias_i", "bias_j",
                                "bias_f", "bias_o"]
                               + (["projection/kernel"] if num_proj else []))
    m_width = num_proj or H
    assert n["group1/kernel"].shape == (2 + m_width // groups, 4 * H // groups)

    def step(x_t, state):
        c, m = state
        parts = [np.split(np.concatenate([x_t[:, 2 * g:2 * g + 2],
                                          m[:, g * m_width // groups:(g + 1) * m_width // groups]],
                                         1) @ n[f"group{g}/kernel"], 4, 1)
                 for g in range(groups)]
        i, j, f, o = (np.concatenate([p[k] for p in parts], 1) + n[f"bias_{gate}"]
                      for k, gate in enumerate("ijfo"))
        c = sigmoid(f + 0.5) * c + sigmoid(i) * np.tanh(j)
        m = sigmoid(o) * np.tanh(c)
        if num_proj:
            m = m @ n["projection/kernel"]
        return m, (c, m)

    want, (c, m) = unroll(step, x, (np.zeros((B, H)), np.zeros((B, m_width))), LENGTHS)
    np.testing.assert_allclose(out, want, atol=2e-5)
    np.testing.assert_allclose(state.c, c, atol=2e-5)
    with pytest.raises(ValueError, match="num_units must be divisible by number_of_groups"):
        paper_cells.GLSTMCell(5, number_of_groups=2)


# tf.contrib.rnn's cells of published papers that TF 1.15 had (its rnn_cell.py), as the
# issue lists them
TF115_PAPER_CELLS = [
    "AttentionCellWrapper", "BidirectionalGridLSTMCell", "Conv1DLSTMCell", "Conv2DLSTMCell",
    "Conv3DLSTMCell", "ConvLSTMCell", "CoupledInputForgetGateLSTMCell", "GLSTMCell",
    "GridLSTMCell", "HighwayWrapper", "IndRNNCell", "IndyGRUCell", "IndyLSTMCell",
    "IntersectionRNNCell", "LayerNormBasicLSTMCell", "NASCell", "PhasedLSTMCell",
    "TimeFreqLSTMCell", "UGRNNCell"]


def test_the_cells_are_there_under_tf_contrib_rnn_and_their_module_paths():
    from graphrnn.tf1.runner import view

    assert sorted(paper_cells.PAPER_CELLS) == TF115_PAPER_CELLS
    root = view.tf1_namespace()
    for name in TF115_PAPER_CELLS:
        cell = view.resolve(root, f"tf.contrib.rnn.{name}")
        assert view.resolve(root, f"tf.contrib.rnn.python.ops.rnn_cell.{name}") is cell
    for module, name in [("core_rnn_cell", "EmbeddingWrapper"), ("lstm_ops", "LSTMBlockCell"),
                         ("gru_ops", "GRUBlockCellV2"),
                         ("rnn", "stack_bidirectional_dynamic_rnn")]:
        assert (view.resolve(root, f"tf.contrib.rnn.python.ops.{module}.{name}")
                is view.resolve(root, f"tf.contrib.rnn.{name}"))
    with pytest.raises(view.RemovedSymbol):
        view.resolve(root, "tf.contrib.rnn.python.ops.rnn_cell.SRUCell")
