"""tensorflow.examples.tutorials.mnist.

    input_data  read_data_sets: the MNIST files, from a folder or downloaded
"""
