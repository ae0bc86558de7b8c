"""The small contrib families graphrnn-tf1 gives TF1 programs: contrib.framework's nest,
global step, checkpoint readers and variable lookups, contrib.learn.ModeKeys and
contrib.data's transformations."""

import numpy as np
import pytest

from graphrnn.compat import tf, v1
from graphrnn.tf1.api.contrib.framework import variables as framework
from graphrnn.tf1.api.contrib.training.hparams import HParams
from graphrnn.tf1.runner import view


def test_framework_variables_global_step_and_checkpoint_readers(tmp_path):
    with tf.Graph().as_default():
        with v1.variable_scope("encoder"):
            kernel = v1.get_variable("kernel", [2, 3])
            v1.get_variable("bias", [3])
        with v1.variable_scope("decoder"):
            v1.get_variable("kernel", [3, 1])
        step = framework.FRAMEWORK["get_or_create_global_step"]()
        assert step.op.name == "global_step"
        assert framework.FRAMEWORK["get_global_step"]() is step
        names = lambda variables: [v.op.name for v in variables]  # noqa: E731
        assert names(framework.get_variables("encoder")) == ["encoder/kernel", "encoder/bias"]
        assert names(framework.get_variables_by_name("kernel")) == [
            "encoder/kernel", "decoder/kernel"]
        assert names(framework.get_variables_to_restore(exclude=["encoder", "global"])) == [
            "decoder/kernel"]
        assert names(framework.get_trainable_variables(suffix="bias")) == ["encoder/bias"]
        with v1.Session() as session:
            session.run(v1.global_variables_initializer())
            saved = session.run(kernel)
            v1.train.Saver().save(session, str(tmp_path / "model.ckpt"))
    prefix = str(tmp_path / "model.ckpt")
    assert ("encoder/kernel", [2, 3]) in framework.FRAMEWORK["list_variables"](prefix)
    reader = framework.FRAMEWORK["load_checkpoint"](prefix)
    np.testing.assert_array_equal(reader.get_tensor("encoder/kernel"), saved)


def test_nest_modekeys_and_data_under_their_tf1_names():
    root = view.tf1_namespace()
    nest = root.contrib.framework.nest
    assert nest.is_sequence((1, 2)) and not nest.is_sequence(1)
    assert nest.map_structure(lambda x: x * 2, {"a": (1, 2)}) == {"a": (2, 4)}
    assert nest.flatten({"b": [1, 2], "a": 3}) == [3, 1, 2]
    keys = root.contrib.learn.ModeKeys
    assert (keys.TRAIN, keys.EVAL, keys.INFER) == ("train", "eval", "infer")
    assert root.contrib.training.HParams is HParams
    with pytest.raises(view.RemovedSymbol):
        root.contrib.learn.DNNClassifier
    dataset = tf.data.Dataset.range(10).apply(root.contrib.data.group_by_window(
        key_func=lambda x: x % 2, reduce_func=lambda key, window: window.batch(5),
        window_size=5))
    batches = sorted(sorted(b.tolist()) for b in dataset.as_numpy_iterator())
    assert batches == [[0, 2, 4, 6, 8], [1, 3, 5, 7, 9]]
    dropped = tf.data.Dataset.range(7).apply(root.contrib.data.batch_and_drop_remainder(3))
    assert [b.tolist() for b in dropped.as_numpy_iterator()] == [[0, 1, 2], [3, 4, 5]]
