"""graphrnn-tf1's runner: what runs a TF1 program as it was written.

    command      the command line: the import hook, running a script, its exit status
    view         the TF1 view of TensorFlow that a script's `import tensorflow` gets
    checklist    --report: the migration checklist of a script, its modules, or a folder
    migration    the TF1 -> TF2 / Keras 3 table (no TensorFlow)
    messages     sentences for Python 2 and NumPy 2 changes (no TensorFlow)
    numpy1       NumPy 1 habits kept working in the program's own files (no TensorFlow)
    flags        tf.flags with TF 1.4's FLAGS._parse_flags() and FLAGS.__flags
    distributed  SyncReplicasOptimizer, and a lost ps ending the task in one sentence
    notes        what a run kept working (TF 0.12's names, old checkpoints, old protobuf's
                 habits), named in its closing line
    protobuf3    tf.Summary taking a one-element NumPy array for a float, as TF 1.x did

It may use the rebuilt API (graphrnn.tf1.api) and the converter (graphrnn.tf1.converter);
neither uses it.
"""
