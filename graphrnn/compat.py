"""The one place graphrnn imports TensorFlow.

TensorFlow >= 2.16 ships Keras 3, under which ``tf.compat.v1.nn.rnn_cell.*`` and
``tf.compat.v1.layers.*`` raise "not available with Keras 3". The TF1 cells and layers
live on in the ``tf-keras`` package, which TensorFlow uses when the environment variable
``TF_USE_LEGACY_KERAS=1`` is set before ``tf.keras`` is first touched. This module sets
it, quiets TensorFlow's start-up noise, and checks that the TF1 API really is there.

Usage::

    from graphrnn.compat import tf, v1
"""

import contextlib
import os
import sys
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # C++ INFO and WARNING lines off
_already_imported = "tensorflow" in sys.modules
os.environ["TF_USE_LEGACY_KERAS"] = "1"


class LegacyKerasError(ImportError):
    """TensorFlow was set up with Keras 3, so its TF1 cells and layers are missing."""


@contextlib.contextmanager
def quiet_native_stderr():
    """Send file descriptor 2 to /dev/null inside the block.

    TensorFlow's C++ code logs through absl straight to fd 2, some of it whatever
    TF_CPP_MIN_LOG_LEVEL says (start-up probing; Grappler notes when it first optimises
    some Keras 3 functions). Set GRAPHRNN_VERBOSE=1 to see it all.
    """
    if os.environ.get("GRAPHRNN_VERBOSE"):
        yield
        return
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _import_tensorflow_quietly():
    """Import TensorFlow quietly: some C++ start-up lines (oneDNN, CUDA probing) are
    printed before TensorFlow's log level is read."""
    if _already_imported:
        import tensorflow
        return tensorflow
    with quiet_native_stderr():
        import tensorflow
        tensorflow.config.list_physical_devices()  # probes CUDA now, while quiet
    return tensorflow


tf = _import_tensorflow_quietly()
v1 = tf.compat.v1

tf.get_logger().setLevel("ERROR")


def silence_tensorflow_notices():
    """Hide the warnings graphrnn's use of the TF1 API makes TensorFlow give, and only
    those: TensorFlow's "`tf.layers.dense` is deprecated ..." notices, its own modules'
    DeprecationWarnings, and the migration shim's "layer.updates" one. A program's own
    "... is deprecated" warnings still show."""
    warnings.filterwarnings("ignore", message=r"`(tf\.|Layer\.)[^`]*` is deprecated",
                            category=UserWarning)
    warnings.filterwarnings("ignore", category=DeprecationWarning,
                            module=r"(tensorflow|tf_keras)")
    # the migration shim (track_tf1_style_variables) reads tf-keras' layer.updates
    warnings.filterwarnings("ignore", message=r".*layer\.updates.*", category=UserWarning)


silence_tensorflow_notices()


def _check_legacy_keras():
    """Raise LegacyKerasError unless the TF1 cells and layers come from tf-keras."""
    try:
        cell_class = v1.nn.rnn_cell.GRUCell
        v1.layers.dense
    except (AttributeError, ImportError) as error:
        raise LegacyKerasError(
            "TensorFlow was imported before graphrnn and set up with Keras 3, so the TF1 "
            "cells and layers are not available: import graphrnn.compat before anything "
            "that imports keras or tf.keras, or set the environment variable "
            "TF_USE_LEGACY_KERAS=1 before starting Python (and install tf-keras matching "
            f"TensorFlow {tf.__version__}). Cause: {error}"
        ) from None
    if not cell_class.__module__.startswith("tf_keras"):
        raise LegacyKerasError(
            "tf.compat.v1.nn.rnn_cell does not come from tf-keras; set TF_USE_LEGACY_KERAS=1 "
            "before TensorFlow is imported."
        )


_check_legacy_keras()

__all__ = ["tf", "v1", "LegacyKerasError", "quiet_native_stderr"]
