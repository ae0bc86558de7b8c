"""tf.contrib.learn.ModeKeys (TF 1.15's
tensorflow/contrib/learn/python/learn/estimators/model_fn.py). No TensorFlow here.

    LEARN  the names tf.contrib.learn gives (preprocessing is its own module)
"""


class ModeKeys:
    """tf.contrib.learn.ModeKeys: the mode strings of TF1's model functions."""
    TRAIN = "train"
    EVAL = "eval"
    INFER = "infer"


LEARN = {"ModeKeys": ModeKeys}
