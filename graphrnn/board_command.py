"""graphrnn-board: TensorBoard, started without TensorFlow's start-up noise.

On a machine without a GPU, `tensorboard` prints TensorFlow's C++ start-up lines and
`E0000 ... failed call to cuInit: ... CUDA error`, which alarm a newcomer though nothing
is wrong. This command loads TensorFlow through graphrnn.compat, which hides those lines
while TensorFlow starts and probes for CUDA, then runs TensorBoard's own main with the
same arguments. The scripts print it after each run; `tensorboard` itself works too.

    graphrnn-board --logdir logs
"""

import sys


def main(argv=None):
    """Run TensorBoard with these arguments (default: the command line's)."""
    from graphrnn import compat  # noqa: F401  (TensorFlow loads here, its start-up hidden)
    from tensorboard import main as tensorboard_main

    sys.argv = ["tensorboard", *(sys.argv[1:] if argv is None else argv)]
    tensorboard_main.run_main()  # parses sys.argv; exits when the server stops


if __name__ == "__main__":
    main()
