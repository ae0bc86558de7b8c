"""tensorflow.python.util.

    nest  NEST: is_sequence, over TF 2.21's nest
"""
