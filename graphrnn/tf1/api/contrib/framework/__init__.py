"""tf.contrib.framework, as RNN programs used it (TF 1.15's tensorflow/contrib/framework/);
this file gathers the names.

    variables  nest, the global step, checkpoint readers, variable lookups
    arg_scope  arg_scope / add_arg_scope (also contrib.layers' and slim's; no TensorFlow)

    FRAMEWORK  every name tf.contrib.framework gives
"""

from graphrnn.tf1.api.contrib.framework import arg_scope, variables

FRAMEWORK = {**variables.FRAMEWORK, **arg_scope.ARG_SCOPE}
