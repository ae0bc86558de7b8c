"""tf.contrib.lookup as TF 1.15 had it (tensorflow/contrib/lookup/): its vocabulary tables
are TensorFlow's own lookup ops, which TF 2.21 still has under tensorflow.python.ops (and
tf.compat.v1.lookup); graph-mode tables, initialised by tf.tables_initializer().

    LOOKUP  the names tf.contrib.lookup gives
"""

import importlib

from graphrnn.compat import v1

_OPS = importlib.import_module("tensorflow.python.ops.lookup_ops")  # after graphrnn.compat

LOOKUP = {
    **{name: getattr(_OPS, name) for name in (
        "index_table_from_file", "index_table_from_tensor", "index_to_string_table_from_file",
        "index_to_string_table_from_tensor", "IdTableWithHashBuckets",
        "TextFileIdTableInitializer", "TextFileStringTableInitializer", "TextFileIndex",
        "MutableHashTable", "MutableDenseHashTable", "HashTable")},
    "KeyValueTensorInitializer": v1.lookup.KeyValueTensorInitializer,
    "TextFileInitializer": v1.lookup.TextFileInitializer,
}
