"""tensorflow.examples, as TF 1.x shipped it.

    tutorials  mnist.input_data
"""
