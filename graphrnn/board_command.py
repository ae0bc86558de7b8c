"""graphrnn-board: TensorBoard, started without TensorFlow's start-up noise.

On a machine without a GPU, `tensorboard` prints TensorFlow's C++ start-up lines and
`E0000 ... failed call to cuInit: ... CUDA error`, which alarm a newcomer though nothing
is wrong. This command loads TensorFlow through graphrnn.compat, which hides those lines
while TensorFlow starts and probes for CUDA, then runs TensorBoard's own main with the
same arguments. The scripts print it after each run; `tensorboard` itself works too.

It reads the logs with TensorBoard's Python loader (--load_fast=false) unless told
otherwise: the Rust data server TensorBoard uses by default serves every tag without the
description graphrnn writes with it (its unit, what the x axis counts). graphrnn's logs
are small; the Python loader reads them in a second or two.

    graphrnn-board --logdir logs
"""

import sys


def main(argv=None):
    """Run TensorBoard with these arguments (default: the command line's)."""
    from graphrnn import compat  # noqa: F401  (TensorFlow loads here, its start-up hidden)
    from tensorboard import main as tensorboard_main

    arguments = list(sys.argv[1:] if argv is None else argv)
    if not any(argument.startswith("--load_fast") for argument in arguments):
        arguments.append("--load_fast=false")  # the loader that keeps the descriptions
    saved_argv, sys.argv = sys.argv, ["tensorboard", *arguments]
    try:
        tensorboard_main.run_main()  # parses sys.argv; exits when the server stops
    finally:
        sys.argv = saved_argv  # a caller's process gets its own back


if __name__ == "__main__":
    main()
