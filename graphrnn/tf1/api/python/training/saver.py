"""tf.train.Saver that also restores checkpoints of TF 0.12-1.1, whose RNN cells named
their variables otherwise (TF 1.2 renamed them; the values are laid out alike):

    TF 1.0-1.1  <scope>/basic_lstm_cell/weights, .../biases, gru_cell/gates/weights
    TF 0.12     RNN/MultiRNNCell/Cell0/BasicLSTMCell/Linear/Matrix, .../Linear/Bias,
                GRUCell/Gates/Linear/Matrix, LSTMCell/W_0, LSTMCell/B, W_F_diag, ...

Saver.restore reads the checkpoint as TF 1.15 does; when variables are missing from it by
their 1.x names, it looks each up by the names older releases gave it (older_names), and
restores them from there. `notify(description)` reports it (the runner names it).
"""

import re

from graphrnn.compat import tf, v1

# a TF 1.2-1.15 path part -> what TF 0.12 called it
SCOPES_0_12 = {"rnn": "RNN", "multi_rnn_cell": "MultiRNNCell", "basic_lstm_cell":
               "BasicLSTMCell", "lstm_cell": "LSTMCell", "gru_cell": "GRUCell",
               "basic_rnn_cell": "BasicRNNCell", "gates": "Gates", "candidate": "Candidate",
               "bidirectional_rnn": "BiRNN", "fw": "FW", "bw": "BW"}
# LSTMCell's own names in TF 0.12 (it sharded its weights: W_0, and projection W_P_0)
LSTM_CELL_0_12 = {"kernel": "W_0", "bias": "B", "w_f_diag": "W_F_diag",
                  "w_i_diag": "W_I_diag", "w_o_diag": "W_O_diag", "projection/kernel": "W_P_0"}


def notify(description):
    """Replaced by the runner to note the old names a restore read."""


def older_names(name):
    """The names TF 1.0-1.1 and TF 0.12 gave the variable TF 1.2+ calls `name`, or []."""
    parts = name.split("/")
    found = []
    if parts[-1] in ("kernel", "bias"):  # TF 1.0-1.1: the same scopes, weights / biases
        found.append("/".join(parts[:-1] + [{"kernel": "weights", "bias": "biases"}[parts[-1]]]))
    old = [re.sub(r"^cell_(\d+)$", r"Cell\1", SCOPES_0_12.get(part, part)) for part in parts]
    if "lstm_cell" in parts:  # LSTMCell kept its own names
        index = parts.index("lstm_cell")
        leaf = "/".join(parts[index + 1:])
        if leaf in LSTM_CELL_0_12:
            found.append("/".join(old[:index + 1] + [LSTM_CELL_0_12[leaf]]))
    elif parts[-1] in ("kernel", "bias") and set(parts) & {
            "basic_lstm_cell", "gru_cell", "basic_rnn_cell"}:  # _linear's Linear/ scope
        leaf = {"kernel": "Matrix", "bias": "Bias"}[parts[-1]]
        found.append("/".join(old[:-1] + ["Linear", leaf]))
    return found


class Saver(v1.train.Saver):
    """tf.train.Saver, whose restore also reads TF 0.12-1.1's names for RNN cells."""

    def restore(self, sess, save_path):
        try:
            return super().restore(sess, save_path)
        except tf.errors.NotFoundError:
            renamed = self._older_names_in(save_path)
            if not renamed:
                raise
        notify("a checkpoint with TF 0.12-1.1's names for RNN cells' variables")
        v1.train.Saver(renamed).restore(sess, save_path)
        return None

    def _older_names_in(self, save_path):
        """{name in the checkpoint: variable} for every variable this Saver holds, by its
        own name or an older one; None if some variable is in it by neither."""
        try:
            stored = {name for name, _ in v1.train.list_variables(save_path)}
        except (tf.errors.OpError, ValueError):
            return None
        found = {}
        for name, variable in self._variables_by_name().items():
            candidates = [name] + older_names(name)
            match = next((c for c in candidates if c in stored), None)
            if match is None:
                return None
            found[match] = variable
        return found

    def _variables_by_name(self):
        """{checkpoint name: variable} this Saver saves."""
        var_list = self._var_list
        if var_list is None:
            var_list = v1.global_variables()
        if isinstance(var_list, dict):
            return dict(var_list)
        return {variable.op.name: variable for variable in var_list}


TRAINING = {"Saver": Saver}
