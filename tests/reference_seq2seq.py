"""tf.contrib.seq2seq's decoding, attention and beam search as their papers and TF 1.15's
documentation define them, in NumPy (float64), one batch entry or one step at a time:
slow and plain, to check the graphs against.

A decoder step here is `step(x (B, F), state) -> (output (B, H), state)` from
reference_cells, and `dense(w) (h) = h @ kernel (+ bias)`.
"""

import numpy as np


def softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def log_softmax(x):
    shifted = x - x.max(-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(-1, keepdims=True))


def dense(kernel, bias=None):
    return lambda h: h @ kernel + (0.0 if bias is None else bias)


def teacher_forced(step, project, inputs, lengths, state, impute_finished):
    """BasicDecoder + TrainingHelper: step t reads inputs[:, t]; decoding stops when every
    entry has finished (t + 1 >= its length), after max(lengths) steps. Returns outputs
    (B, T, V), argmax ids (B, T), the final state and the lengths. With impute_finished,
    a finished entry emits zeros and keeps its state; without, it runs on regardless."""
    steps = max(lengths)
    outputs, ids = [], []
    for t in range(steps):
        new_output, new_state = step(inputs[:, t], state)
        logits = project(new_output)
        finished = t >= np.asarray(lengths)  # finished before this step
        if impute_finished:
            logits = np.where(finished[:, None], 0.0, logits)
            new_state = _keep_rows(finished, state, new_state)
        outputs.append(logits)
        ids.append(logits.argmax(-1))
        state = new_state
    return np.stack(outputs, 1), np.stack(ids, 1), state, np.asarray(lengths)


def _keep_rows(keep, old, new):
    if isinstance(old, tuple):
        return tuple(_keep_rows(keep, o, n) for o, n in zip(old, new))
    return np.where(keep[:, None], old, new)


def greedy(step, project, embedding, start_tokens, end_token, state, maximum_iterations):
    """BasicDecoder + GreedyEmbeddingHelper: feed back the embedding of the argmax; an
    entry finishes on end_token (its length counts that step); decoding stops when all
    have, or after maximum_iterations. Entries that finished keep running (no imputing)."""
    inputs = embedding[np.asarray(start_tokens)]
    batch = len(start_tokens)
    finished, lengths = np.zeros(batch, bool), np.zeros(batch, int)
    outputs, ids = [], []
    for t in range(maximum_iterations):
        if finished.all():
            break
        output, state = step(inputs, state)
        logits = project(output)
        sample = logits.argmax(-1)
        lengths = np.where(finished, lengths, t + 1)
        finished = finished | (sample == end_token)
        outputs.append(logits)
        ids.append(sample)
        inputs = embedding[sample]
    return np.stack(outputs, 1), np.stack(ids, 1), state, lengths


def replay(step, project, inputs, embedding, sample_ids, state):
    """ScheduledEmbeddingTrainingHelper with the samples it drew: step t + 1 reads the
    embedding of sample_ids[:, t] where that is >= 0, else inputs[:, t + 1]."""
    steps = sample_ids.shape[1]
    outputs, x = [], inputs[:, 0]
    for t in range(steps):
        output, state = step(x, state)
        outputs.append(project(output))
        if t + 1 < inputs.shape[1]:
            sampled = sample_ids[:, t] >= 0
            x = np.where(sampled[:, None], embedding[np.maximum(sample_ids[:, t], 0)],
                         inputs[:, t + 1])
    return np.stack(outputs, 1)


# -- attention ----------------------------------------------------------------------------

def luong_score(query, keys, scale=None):
    """score_j = g * (q . k_j) (Luong et al. 2015, 'general' with the memory layer)."""
    score = np.einsum("bd,btd->bt", query, keys)
    return score if scale is None else scale * score


def bahdanau_score(processed_query, keys, v, g=None, b=None):
    """score_j = v . tanh(k_j + W q) (Bahdanau et al. 2015); normalized form:
    (g v / |v|) . tanh(k_j + W q + b) (Salimans & Kingma's weight normalisation)."""
    if g is not None:
        v = g * v / np.sqrt((v ** 2).sum())
        return (v * np.tanh(keys + processed_query[:, None] + b)).sum(-1)
    return (v * np.tanh(keys + processed_query[:, None])).sum(-1)


def masked(score, lengths, value=-np.inf):
    """Scores past each memory's length replaced by `value`."""
    if lengths is None:
        return score
    positions = np.arange(score.shape[1])[None]
    return np.where(positions < np.asarray(lengths)[:, None], score, value)


def monotonic_attention(p_choose, previous, mode):
    """Raffel et al. 2017, eq. for the expected alignment, computed by its recurrence:
    q_j = (1 - p_{j-1}) q_{j-1} + a_prev_j, a_j = p_j q_j; 'hard' mode picks the first
    j at or after the previous attention with p_j = 1."""
    batch, length = p_choose.shape
    attention = np.zeros_like(p_choose)
    for b in range(batch):
        if mode == "hard":
            allowed = np.cumsum(previous[b]) * p_choose[b]
            first = np.flatnonzero(allowed)
            if len(first):
                attention[b, first[0]] = allowed[first[0]]
            continue
        q = 0.0
        for j in range(length):
            q = (1.0 - (p_choose[b, j - 1] if j else 0.0)) * q + previous[b, j]
            attention[b, j] = p_choose[b, j] * q
    return attention


# -- beam search ---------------------------------------------------------------------------

def length_penalty(length, alpha):
    """Wu et al. 2016: ((5 + |Y|) / 6) ** alpha."""
    return ((5.0 + length) / 6.0) ** alpha


def gather_tree(step_ids, parent_ids, max_lengths, end_token):
    """TF's GatherTree, one (batch, beam) at a time: follow the parents back from step
    max_length - 1; steps past max_length and after the first end_token are end_token.
    step_ids, parent_ids: (T, B, W)."""
    steps, batch, width = step_ids.shape
    beams = np.full_like(step_ids, end_token)
    for b in range(batch):
        length = min(steps, max_lengths[b])
        for w in range(width):
            if length <= 0:
                continue
            parent = w
            for t in range(length - 1, -1, -1):
                beams[t, b, w] = step_ids[t, b, parent]
                parent = parent_ids[t, b, parent]
            ended = False
            for t in range(length):
                if ended:
                    beams[t, b, w] = end_token
                elif beams[t, b, w] == end_token:
                    ended = True
    return beams


def attention_step(cell_step, mechanisms, layer_kernels, output_attention=True):
    """AttentionWrapper's step: x' = [x, previous attention]; (out, cell state) = cell(x');
    per mechanism (alignment_fn(query, previous alignments), values): context =
    alignments @ values, attention = [out, context] @ kernel (or the context); the
    attentions concatenated. State: (cell state, attention, [alignments])."""
    def step(x, state):
        cell_state, attention, previous = state
        output, cell_state = cell_step(np.concatenate([x, attention], -1), cell_state)
        attentions, alignments = [], []
        for (alignment_fn, values), kernel, before in zip(mechanisms, layer_kernels, previous):
            alignment = alignment_fn(output, before)
            context = np.einsum("bt,btd->bd", alignment, values)
            attentions.append(context if kernel is None
                              else np.concatenate([output, context], -1) @ kernel)
            alignments.append(alignment)
        attention = np.concatenate(attentions, -1)
        return (attention if output_attention else output), (cell_state, attention, alignments)
    return step


def legacy_attention_decoder(cell_step, weights, inputs, state, attention_states, heads,
                             initial_state_attention=False):
    """legacy_seq2seq.attention_decoder (Vinyals et al. 2015): per head a, the features
    W_a h_j of the attention states, reads d_a = sum_j softmax_j(v_a . tanh(W_a h_j +
    U_a q + b_a)) h_j queried by the state; x = [input, reads] @ K + b; (out, state) =
    cell(x, state); reads of the new state; output = [out, reads] @ K_o + b_o. `weights`
    holds the decoder's variables by their names under its scope."""
    features = [attention_states @ weights[f"AttnW_{a}"][0, 0] for a in range(heads)]

    def reads(query):
        result = []
        for a in range(heads):
            y = query @ weights[f"Attention_{a}/kernel"] + weights[f"Attention_{a}/bias"]
            score = (weights[f"AttnV_{a}"] * np.tanh(features[a] + y[:, None])).sum(-1)
            result.append(np.einsum("bl,bls->bs", softmax(score), attention_states))
        return result

    batch, size = attention_states.shape[0], attention_states.shape[2]
    attns = reads(state) if initial_state_attention else [np.zeros((batch, size))] * heads
    outputs = []
    for x in inputs:
        x = np.concatenate([x] + attns, -1) @ weights["kernel"] + weights["bias"]
        out, state = cell_step(x, state)
        attns = reads(state)
        outputs.append(np.concatenate([out] + attns, -1) @ weights["AttnOutputProjection/kernel"]
                       + weights["AttnOutputProjection/bias"])
    return outputs, state
