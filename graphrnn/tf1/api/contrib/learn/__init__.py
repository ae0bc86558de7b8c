"""tf.contrib.learn, as RNN programs used it (TF 1.15's tensorflow/contrib/learn/).

    model_fn       ModeKeys (LEARN, the names tf.contrib.learn gives; no TensorFlow)
    preprocessing  VocabularyProcessor, CategoricalVocabulary (no TensorFlow)
"""
