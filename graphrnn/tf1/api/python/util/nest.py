"""tensorflow.python.util.nest's is_sequence, which TF 2.21 dropped (TF 2.x renamed it
is_nested; the meaning is the same).

    NEST  {name: object} over TF 2.21's tensorflow.python.util.nest
"""

from graphrnn.compat import tf


def is_sequence(seq):
    """TF 1.x's nest.is_sequence: True for a list, tuple, dict, namedtuple or attrs object
    (a structure nest walks into); False for a string, a tensor, a number."""
    return tf.nest.is_nested(seq)


NEST = {"is_sequence": is_sequence}
