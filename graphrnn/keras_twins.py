"""Keras 3 twins of graphrnn's graphs: one builder, `keras_twin`, for every model that has
a native Keras 3 counterpart (the --export of 04_01 ... 05_01, the 08 and 09 lessons'
Keras side, the benchmark), any number of layers, with the graph's weights when given.

  TF1 graph                                     Keras 3
  embedding_lookup of word ids (09_02)          Embedding, SpatialDropout1D(rate) for a
    and dropout with noise_shape (B, 1, D)        dropout that drops whole channels
  DropoutWrapper(input_keep_prob=1 - d,         LSTM(dropout=d, recurrent_dropout=r)
    state_keep_prob=1 - r, variational_recurrent)
  GRUCell / LSTMCell / BasicRNNCell (H_i),      GRU(reset_after=False) / LSTM / SimpleRNN,
    in a MultiRNNCell (or alone)                  one layer per cell
  DropoutWrapper(output_keep_prob=p)            Dropout(1 - p) on that layer's outputs
  head "states": concat(final states)           Concatenate() of the layers' final states
  head "last_state": rnn_state[-1]              the last layer's final state
  head "last_output": outputs[:, -1]            the last layer's last output (after dropout)
  head "sequence": every step's output          the whole sequence (Dense acts per step)
  head "max_over_time": reduce_max(outputs, 1)  GlobalMaxPooling1D() of the last layer's
                                                  outputs (09_02)
  Frobenius_regularization: dense tanh,         Dense(tanh, kernel_regularizer=L2(scale / 2))
    scale * tf.nn.l2_loss(kernel)
  predictions: dropout -> dense `prediction`    Dropout(rate) -> Dense
    (or output_projection, the reshape trick)

Usage::

    stack = Stack("gru", config.RNN_LAYERS, window=24, n_features=28, n_targets=1,
                  head="states", dropout_rate=0.1)
    model = keras_twin(stack, eager.session_weights(session))  # or no weights: fresh ones
"""

import dataclasses

from graphrnn import weights as layout
from graphrnn.compat import tf  # noqa: F401  (sets up TensorFlow before Keras 3 loads)

import keras  # noqa: E402  (Keras 3)

HEADS = ("states", "last_state", "last_output", "sequence", "max_over_time")
RECURRENT_LAYERS = {"basic_rnn": keras.layers.SimpleRNN, "gru": keras.layers.GRU,
                    "lstm": keras.layers.LSTM}


@dataclasses.dataclass(frozen=True)
class Stack:
    """What a graph holds between its inputs and its output, as its Keras twin mirrors it."""

    cell: str  # "basic_rnn", "gru" or "lstm"
    layers: tuple  # RNN_LAYERS: ({"units": H_i, "keep_prob": p_i}, ...)
    window: int  # T, steps per input window
    n_features: int  # F
    n_targets: int  # G
    head: str = "states"  # one of HEADS: what the recurrent stack hands to the dense layers
    cell_dropout: bool = False  # the cells sit in DropoutWrappers (output_keep_prob)
    frobenius: tuple = None  # (units, scale) of 04_03's regularised dense tanh layer
    dropout_rate: float = 0.0  # tf.layers.dropout before the output layer
    activation: str = "tanh"  # the cells' activation
    output_activation: str = None  # the output layer's ("softmax" for 09_01's classes)
    multi_rnn_cell: bool = True  # False: one cell alone, as 08_01's basic_rnn_layer
    unroll: bool = False  # Keras unroll=True: one copy of the cell per step
    embedding: tuple = None  # (vocabulary size, width): the inputs are (B, T) word ids
    spatial_dropout: float = 0.0  # after the embedding, whole channels at once
    rnn_dropout: tuple = (0.0, 0.0)  # the cells' Keras (dropout, recurrent_dropout)
    bidirectional: bool = False  # each layer in Bidirectional (08_02 --bidirectional)

    def __post_init__(self):
        if self.cell not in RECURRENT_LAYERS:
            raise ValueError(f"cell must be one of {tuple(RECURRENT_LAYERS)}, got {self.cell!r}")
        if self.head not in HEADS:
            raise ValueError(f"head must be one of {HEADS}, got {self.head!r}")
        if self.cell == "lstm" and self.head == "states":
            raise ValueError("an LSTM's final state is (c, h); use head 'last_output'")
        if not self.multi_rnn_cell and len(self.layers) != 1:
            raise ValueError(f"a lone cell is one layer, got {len(self.layers)}")
        if self.bidirectional and self.head != "last_output":
            raise ValueError("a bidirectional stack hands on its last output (head "
                             f"'last_output'), got {self.head!r}")


def keras_twin(stack, weights=None, name="keras_twin"):
    """A Keras 3 model: (B, T, F) windows -> (B, G), or (B, T, G) for head "sequence".

    Args:
      stack: a Stack.
      weights: {scoped name: array} of the graph (graphrnn.eager.session_weights); every
        layer takes its converted weights, every shape checked. None: Keras' own init.
    """
    if stack.embedding is None:
        inputs = keras.Input((stack.window, stack.n_features), name="predictors")
        x = inputs
    else:  # word ids -> word vectors: n_features is the embedding's width
        inputs = keras.Input((stack.window,), dtype="int32", name="word_ids")
        embedding = keras.layers.Embedding(*stack.embedding, name="embedding")
        x = embedding(inputs)
        if stack.spatial_dropout > 0:
            x = keras.layers.SpatialDropout1D(stack.spatial_dropout, name="spatial_dropout")(x)
    states, recurrent, width = [], [], stack.n_features
    for index, spec in enumerate(stack.layers):
        last = index == len(stack.layers) - 1
        whole = not (last and stack.head == "last_output")  # the sequence and the state
        options = {"reset_after": False} if stack.cell == "gru" else {}
        if any(stack.rnn_dropout):
            options.update(dropout=stack.rnn_dropout[0], recurrent_dropout=stack.rnn_dropout[1])
        if stack.cell != "lstm":
            options["activation"] = stack.activation
        with_states = whole and not stack.bidirectional
        rnn = RECURRENT_LAYERS[stack.cell](
            spec["units"], return_sequences=whole, return_state=with_states, unroll=stack.unroll,
            name=f"{stack.cell}_{index}", **options)
        if stack.bidirectional:  # forward and backward outputs concatenated, as TF1's
            rnn = keras.layers.Bidirectional(rnn, merge_mode="concat",
                                             name=f"bidirectional_{index}")
            x = rnn(x)  # (B, T, 2 H_i); on top, the two final outputs (B, 2 H)
        elif whole:
            x, state = rnn(x)[:2]  # (B, T, H_i), (B, H_i): an LSTM's h comes first
            states.append(state)
        else:
            x = rnn(x)  # (B, H_last): the last step's output
        placed = index if stack.multi_rnn_cell or stack.bidirectional else None
        recurrent.append((rnn, width, placed))
        width = spec["units"] * (2 if stack.bidirectional else 1)
        if stack.cell_dropout and spec["keep_prob"] < 1.0:  # DropoutWrapper: outputs only
            x = keras.layers.Dropout(1.0 - spec["keep_prob"], name=f"cell_dropout_{index}")(x)

    if stack.head == "states":
        x = keras.layers.Concatenate(name="final_states")(states) if len(states) > 1 \
            else states[0]  # (B, sum H_i)
    elif stack.head == "last_state":
        x = states[-1]  # (B, H_last)
    elif stack.head == "max_over_time":
        x = keras.layers.GlobalMaxPooling1D(name="max_over_time")(x)  # (B, H_last)
    dense = []  # (Keras layer, where its TF1 weights are)
    if stack.frobenius is not None:
        units, scale = stack.frobenius
        # Keras' L2(l2) adds l2 * sum(w^2); the tutorial's scale * l2_loss is half that
        frobenius = keras.layers.Dense(units, activation="tanh", name="frobenius_regularization",
                                       kernel_regularizer=keras.regularizers.L2(scale / 2))
        x = frobenius(x)
        dense.append((frobenius, layout.FROBENIUS))
    if stack.dropout_rate > 0:
        x = keras.layers.Dropout(stack.dropout_rate, name="dropout")(x)
    if stack.head == "sequence":  # Dense acts on the last axis: every step at once
        output = keras.layers.Dense(stack.n_targets, name="output_projection")
        dense.append((output, layout.OUTPUT_PROJECTION))
    else:
        output = keras.layers.Dense(stack.n_targets, activation=stack.output_activation,
                                    name="prediction")
        dense.append((output, layout.PREDICTION))
    model = keras.Model(inputs, output(x), name=name)

    if weights is not None:
        if stack.embedding is not None:
            embedding.set_weights([weights[layout.EMBEDDING]])
        for rnn, n_inputs, index in recurrent:
            if stack.bidirectional:  # Bidirectional takes the forward weights, then backward
                rnn.set_weights([w for direction in ("fw", "bw") for w in layout.tf1_to_keras(
                    stack.cell, layout.weights_under(weights, layout.bidirectional_prefix(
                        stack.cell, index, direction)), n_inputs)])
                continue
            cell = layout.cell_weights(weights, stack.cell, index)
            rnn.set_weights(layout.tf1_to_keras(stack.cell, cell, n_inputs))
        for layer, prefix in dense:
            layer.set_weights(layout.dense_weights(weights, prefix))
    return model
