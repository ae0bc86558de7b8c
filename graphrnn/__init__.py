"""graphrnn: the classic TensorFlow 1 recurrent-network tutorials on TensorFlow 2.21.

Importing the package loads no TensorFlow: the modules that need it import
graphrnn.compat, which sets TF_USE_LEGACY_KERAS=1 first. config, data, records, report
and weights are TensorFlow-free.
"""
