"""graphrnn-tf1 --to-keras: TF1 checkpoints and graphs as Keras 3 models, checked before
they are written.

    checkpoint        the recurrent cells of a checkpoint, by names and shapes (no TensorFlow)
    stack             --to-keras PREFIX OUT: a checkpoint's recurrent stack as Keras 3
    graph             --to-keras ... --input/--output: the whole inference path of a graph
    ops               graph's table: one function per TF op type, building its Keras value
    recurrent_region  one dynamic_rnn / static_rnn / bidirectional call as Keras layers

It uses graphrnn's tutorial wing (weights, keras_twins, export) and graphrnn.tf1.refusal,
never the runner's TF1 view.
"""
