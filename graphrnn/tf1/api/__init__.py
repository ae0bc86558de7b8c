"""The TF1 API that graphrnn-tf1 rebuilds, laid out like TensorFlow 1.15's own tree:
tf.contrib.seq2seq.BeamSearchDecoder is in api/contrib/seq2seq/beam_search.py.

    contrib   tf.contrib's namespaces (rnn, seq2seq, legacy_seq2seq, crf, layers,
              framework, training, learn, data)
    examples  tensorflow.examples.tutorials.mnist.input_data
    renamed   the names TF 0.12-1.x renamed (tf.mul, tf.pack, tf.nn.rnn, ...), as they
              became, with the old signatures (concat and split in 0.12's order too)
    python    TensorFlow's own modules as TF 1.x had them (nest.is_sequence,
              rnn_cell_impl's private names of every release)

It uses graphrnn's bottom layers (compat, layers) and graphrnn.tf1.refusal, and neither the
runner nor the converter: each piece is a plain Python object a test can call in a graph.
"""
