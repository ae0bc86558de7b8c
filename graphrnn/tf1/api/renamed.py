"""The names TensorFlow 0.12 to 1.x renamed or removed, as what they became, with the old
signatures honoured (TF 1.0's release notes list the renames; the signatures are 0.12's):

    TF     under tf:        mul, sub, neg, pack, unpack, concat_v2, select, batch_matmul,
                            the *_summary functions, merge_(all_)summar(y|ies); concat and
                            split taking TF 0.12's argument order as well as 1.x's
    NN     under tf.nn:     rnn, bidirectional_rnn (static_rnn's old names); the
                            cross-entropies taking (logits, labels) by position, as 0.12 did
    TRAIN  under tf.train:  SummaryWriter

`notify(description)` is called whenever a program uses an old form; it does nothing
unless the runner sets it (it notes them for the run's closing line). The names are
TF 1.15's: a checkpoint of these graphs has 1.x's variable names.
"""

import numbers

import numpy as np

from graphrnn.compat import tf, v1


def notify(description):
    """Replaced by the runner to note an old form in use ("tf.concat(axis, values)")."""


def _is_axis(value):
    """A Python or NumPy integer, or a scalar integer tensor: what 0.12 put first."""
    if isinstance(value, (numbers.Integral, np.integer)):
        return True
    return isinstance(value, tf.Tensor) and value.dtype.is_integer and value.shape.rank == 0


def concat(values, axis, name="concat"):
    """tf.concat(values, axis) (TF >= 1.0), or TF <= 0.12's tf.concat(concat_dim, values)."""
    if _is_axis(values) and isinstance(axis, (list, tuple)):
        notify("tf.concat(axis, values)")
        values, axis = axis, values
    return tf.concat(values, axis, name=name)


def split(value=None, num_or_size_splits=None, axis=0, num=None, name="split", **old):
    """tf.split(value, num_or_size_splits, axis) (TF >= 1.0), or TF <= 0.12's
    tf.split(split_dim, num_split, value): an integer first and a tensor third."""
    if old:  # split_dim=, num_split=, value= by keyword
        notify("tf.split(split_dim, num_split, value)")
        return tf.split(old.get("value", value), old["num_split"], old["split_dim"], num, name)
    if _is_axis(value) and not _is_axis(axis):
        notify("tf.split(split_dim, num_split, value)")
        value, axis = axis, value
    return v1.split(value, num_or_size_splits, axis, num, name)


def _renamed(old, new):
    """new under its TF <= 0.12 name old, noting each use."""
    def call(*args, **kwargs):
        notify(old)
        return new(*args, **kwargs)
    call.__name__, call.__doc__ = old.rsplit(".", 1)[-1], f"{old}: what became {new.__name__}"
    return call


def _summary(old, new, renames=None):
    """A TF <= 0.12 summary op: tf.scalar_summary(tags, values, collections, name) ->
    tf.summary.scalar(name, tensor, collections)."""
    def call(tag, value, *args, **kwargs):
        notify(old)
        for before, after in (renames or {}).items():
            if before in kwargs:
                kwargs[after] = kwargs.pop(before)
        kwargs.pop("name", None)  # the op's name was apart from its tag; the tag names it
        return new(tag, value, *args, **kwargs)
    call.__name__ = old.rsplit(".", 1)[-1]
    return call


def _named_logits_labels(old, new):
    """A cross-entropy TF <= 0.12 called as f(logits, labels): TF 1.x's takes keywords
    only (its first argument is a sentinel)."""
    def call(*args, **kwargs):
        if args:
            notify(f"{old}(logits, labels) by position")
            kwargs.update(zip(("logits", "labels"), args))
        return new(**kwargs)
    call.__name__ = old.rsplit(".", 1)[-1]
    return call


pack = _renamed("tf.pack", tf.stack)  # (values, axis, name), as 0.12's
unpack = _renamed("tf.unpack", tf.unstack)  # (value, num, axis, name)
TF = {
    "mul": _renamed("tf.mul", tf.multiply), "sub": _renamed("tf.sub", tf.subtract),
    "neg": _renamed("tf.neg", tf.negative), "pack": pack, "unpack": unpack,
    "concat_v2": _renamed("tf.concat_v2", tf.concat), "concat": concat, "split": split,
    "select": _renamed("tf.select", v1.where),
    "batch_matmul": _renamed("tf.batch_matmul", tf.matmul),
    "scalar_summary": _summary("tf.scalar_summary", v1.summary.scalar),
    "histogram_summary": _summary("tf.histogram_summary", v1.summary.histogram),
    "image_summary": _summary("tf.image_summary", v1.summary.image,
                              {"max_images": "max_outputs"}),
    "audio_summary": _summary("tf.audio_summary", v1.summary.audio),
    "merge_summary": _renamed("tf.merge_summary", v1.summary.merge),
    "merge_all_summaries": _renamed("tf.merge_all_summaries", v1.summary.merge_all),
}
NN = {
    "rnn": _renamed("tf.nn.rnn", v1.nn.static_rnn),
    "bidirectional_rnn": _renamed("tf.nn.bidirectional_rnn", v1.nn.static_bidirectional_rnn),
    **{name: _named_logits_labels(f"tf.nn.{name}", getattr(v1.nn, name)) for name in (
        "softmax_cross_entropy_with_logits", "sparse_softmax_cross_entropy_with_logits")},
    "sigmoid_cross_entropy_with_logits": _named_logits_labels(
        "tf.nn.sigmoid_cross_entropy_with_logits",
        lambda logits=None, labels=None, targets=None, name=None:
            v1.nn.sigmoid_cross_entropy_with_logits(
                labels=targets if labels is None else labels, logits=logits, name=name)),
}
TRAIN = {"SummaryWriter": _renamed("tf.train.SummaryWriter", v1.summary.FileWriter)}
