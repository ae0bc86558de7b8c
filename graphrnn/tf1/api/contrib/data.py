"""tf.contrib.data's dataset transformations (TF 1.15's tensorflow/contrib/data/), which
live on in tf.data.experimental.

    DATA  the names tf.contrib.data gives
"""

from graphrnn.compat import tf

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
