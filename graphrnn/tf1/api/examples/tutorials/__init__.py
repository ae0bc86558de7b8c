"""tensorflow.examples.tutorials.

    mnist  input_data, the MNIST files of TF1's tutorials
"""
