"""The small parts of TF 1.15's contrib that RNN programs lean on, for graphrnn-tf1:
`tf.contrib.framework` (nest, the global step, checkpoint readers, variable lookups),
`tf.contrib.training.HParams`, `tf.contrib.learn.ModeKeys` and `tf.contrib.data`'s
dataset transformations (which live on in tf.data.experimental).

    FRAMEWORK  tf.contrib.framework
    TRAINING   tf.contrib.training
    LEARN      tf.contrib.learn (ModeKeys only: its estimators stay refused)
    DATA       tf.contrib.data
"""

import types

from graphrnn.compat import tf, v1
from graphrnn.tf1.hparams import HParams

# tf.contrib.framework.nest: TF 1.15's names for tf.nest
nest = types.SimpleNamespace(
    is_sequence=tf.nest.is_nested, flatten=tf.nest.flatten,
    map_structure=tf.nest.map_structure, assert_same_structure=tf.nest.assert_same_structure,
    pack_sequence_as=tf.nest.pack_sequence_as)


def get_variables(scope=None, suffix=None, collection=v1.GraphKeys.GLOBAL_VARIABLES):
    """tf.contrib.framework.get_variables: the collection's variables whose names match
    scope (a prefix, or a VariableScope) and end in suffix."""
    if isinstance(scope, v1.VariableScope):
        scope = scope.name
    if suffix is not None:
        if ":" not in suffix:
            suffix += ":"
        scope = (scope or "") + ".*" + suffix
    return v1.get_collection(collection, scope)


def get_model_variables(scope=None, suffix=None):
    return get_variables(scope, suffix, v1.GraphKeys.MODEL_VARIABLES)


def get_trainable_variables(scope=None, suffix=None):
    return get_variables(scope, suffix, v1.GraphKeys.TRAINABLE_VARIABLES)


def get_variables_by_name(given_name, scope=None):
    return get_variables(scope=scope, suffix=given_name)


def get_variables_to_restore(include=None, exclude=None):
    """The global variables under the `include` scopes (all by default), less those under
    the `exclude` scopes."""
    if include is None:
        chosen = get_variables()
    else:
        chosen = [v for scope in include for v in get_variables(scope)]
    excluded = {id(v) for scope in exclude or () for v in get_variables(scope)}
    return [v for v in chosen if id(v) not in excluded]


class ModeKeys:
    """tf.contrib.learn.ModeKeys: the mode strings of TF1's model functions."""
    TRAIN = "train"
    EVAL = "eval"
    INFER = "infer"


FRAMEWORK = {
    "nest": nest, "get_or_create_global_step": v1.train.get_or_create_global_step,
    "get_global_step": v1.train.get_global_step,
    "list_variables": v1.train.list_variables, "load_checkpoint": v1.train.load_checkpoint,
    "load_variable": v1.train.load_variable, "get_variables": get_variables,
    "get_model_variables": get_model_variables,
    "get_trainable_variables": get_trainable_variables,
    "get_variables_by_name": get_variables_by_name,
    "get_variables_to_restore": get_variables_to_restore,
}
TRAINING = {"HParams": HParams}
LEARN = {"ModeKeys": ModeKeys}
DATA = {
    "group_by_window": tf.data.experimental.group_by_window,
    "bucket_by_sequence_length": tf.data.experimental.bucket_by_sequence_length,
    "shuffle_and_repeat": tf.data.experimental.shuffle_and_repeat,
    "map_and_batch": tf.data.experimental.map_and_batch,
    "unbatch": tf.data.experimental.unbatch,
    "parallel_interleave": tf.data.experimental.parallel_interleave,
    "sample_from_datasets": tf.data.experimental.sample_from_datasets,
    "get_single_element": tf.data.experimental.get_single_element,
    "batch_and_drop_remainder": lambda batch_size: (
        lambda dataset: dataset.batch(batch_size, drop_remainder=True)),
    "padded_batch_and_drop_remainder": lambda batch_size, padded_shapes, padding_values=None: (
        lambda dataset: dataset.padded_batch(batch_size, padded_shapes, padding_values,
                                             drop_remainder=True)),
}
