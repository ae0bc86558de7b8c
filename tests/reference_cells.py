"""The TF1 cells' equations in NumPy (float64), in TF1's own weight layout, and the
sparse softmax cross-entropy the seq2seq losses build on.

Each step function maps (x (B, F), state) -> (output (B, H), new state); `run` unrolls
one over (B, T, F) inputs with optional lengths, as dynamic_rnn does: past a record's
length the output is zero and the state stays as it was.
"""

import numpy as np


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def basic_rnn_step(weights, activation=np.tanh):
    """h' = activation([x, h] @ W + b)"""
    def step(x, h):
        h = activation(np.concatenate([x, h], 1) @ weights["kernel"] + weights["bias"])
        return h, h
    return step


def gru_step(weights):
    """r, u = split(sigmoid([x, h] @ W_g + b_g)) (reset first, then update);
    c = tanh([x, r * h] @ W_c + b_c); h' = u * h + (1 - u) * c"""
    def step(x, h):
        units = h.shape[1]
        gates = sigmoid(np.concatenate([x, h], 1) @ weights["gates/kernel"]
                        + weights["gates/bias"])
        reset, update = gates[:, :units], gates[:, units:]
        candidate = np.tanh(np.concatenate([x, reset * h], 1) @ weights["candidate/kernel"]
                            + weights["candidate/bias"])
        h = update * h + (1.0 - update) * candidate
        return h, h
    return step


def lstm_step(weights, forget_bias=1.0, peepholes=None, cell_clip=None):
    """i, j, f, o = split([x, h] @ W + b); c' = sigmoid(f + forget_bias) * c
    + sigmoid(i) * tanh(j); h' = sigmoid(o) * tanh(c'). The state is (c, h). With
    peepholes (w_i, w_f, w_o), TF1's: i and f also see w * c, o sees w_o * c'; cell_clip
    clips c' to [-clip, clip]."""
    w_i, w_f, w_o = peepholes if peepholes is not None else (0, 0, 0)

    def step(x, state):
        c, h = state
        i, j, f, o = np.split(np.concatenate([x, h], 1) @ weights["kernel"] + weights["bias"],
                              4, axis=1)
        c = sigmoid(f + forget_bias + w_f * c) * c + sigmoid(i + w_i * c) * np.tanh(j)
        if cell_clip is not None:
            c = np.clip(c, -cell_clip, cell_clip)
        h = sigmoid(o + w_o * c) * np.tanh(c)
        return h, (c, h)
    return step


def zero_state(kind, batch, units):
    zeros = np.zeros((batch, units))
    return (zeros, zeros) if kind == "lstm" else zeros


def run(step, inputs, state, lengths=None):
    """Unroll `step` over inputs (B, T, ...): outputs (B, T, ...) and the final state."""
    batch, steps = inputs.shape[:2]
    lengths = np.full(batch, steps) if lengths is None else np.asarray(lengths)
    outputs = []
    for t in range(steps):
        output, new_state = step(inputs[:, t], state)
        alive = t < lengths  # (B,): still inside the record

        def keep(new, old):  # the row's new value while alive, its old one after
            return np.where(alive.reshape((-1,) + (1,) * (np.ndim(new) - 1)), new, old)
        if isinstance(state, tuple):
            state = tuple(keep(new, old) for new, old in zip(new_state, state))
        else:
            state = keep(new_state, state)
        outputs.append(keep(output, 0.0))
    return np.stack(outputs, axis=1), state


def crossent(logits, targets):
    """-log softmax(logits)[target] over the last axis: sparse softmax cross-entropy."""
    shifted = logits - logits.max(-1, keepdims=True)
    log_softmax = shifted - np.log(np.exp(shifted).sum(-1, keepdims=True))
    return -np.take_along_axis(log_softmax, targets[..., None], -1)[..., 0]
