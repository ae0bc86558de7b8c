"""tf.contrib.layers and tf.contrib.slim's names for them (TF 1.15's
tensorflow/contrib/layers/).

    layers  fully_connected, conv2d, batch_norm, layer_norm, embed_sequence, the
            regularisers and initialisers, optimize_loss; LAYERS and SLIM, the two tables
"""
