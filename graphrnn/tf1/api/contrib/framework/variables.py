"""tf.contrib.framework as RNN programs lean on it (TF 1.15's
tensorflow/contrib/framework/python/ops/variables.py and the names beside it): nest, the
global step, checkpoint readers, variable lookups.

    FRAMEWORK  these names (arg_scope's are in arg_scope.ARG_SCOPE)
"""

import types

from graphrnn.compat import tf, v1

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
