"""Refusal: how each part of the TF1 wing says it will not go on. No TensorFlow here.

The runner, the rebuilt API and the converter all raise it; the runner turns it into one
sentence on stderr and exit status 2, with no traceback. It lives below all three so the
API and the converter need not import the runner."""


class Refusal(Exception):
    """A run graphrnn-tf1 stops with one sentence (str(refusal)) and exit status 2."""
