"""Every script's command-line options, in a module that imports nothing but argparse.

A script builds its ArgumentParser here and calls answer_early() before it imports
TensorFlow, so that --help and a mistyped option answer at once instead of after
TensorFlow's start-up (seconds):

    OPTIONS = options.tutorial("04_01_dropout", __doc__)
    options.answer_early(__name__, OPTIONS)
    from graphrnn import graph_holder, layers, tutorial_script  # TensorFlow from here on
"""

import argparse


def common(name, description, seed_default=None, seed_help="seed", quick_help="seconds"):
    """An ArgumentParser with the options every script has: --seed, --logdir, --quick."""
    made = argparse.ArgumentParser(prog=f"{name}.py", description=description,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    made.add_argument("--seed", type=int, default=seed_default, help=seed_help)
    made.add_argument("--logdir", default="logs",
                      help=f"where run folders go (default: logs), as <logdir>/{name}/<run-id>")
    made.add_argument("--quick", action="store_true", help=quick_help)
    return made


def lesson(name, description):
    """The lesson scripts' (06_xx to 09_xx) parser; a script adds its own options to it."""
    return common(name, description, seed_default=0,
                  seed_help="seed for data, weights and dropout (default 0)",
                  quick_help="a shortened run for smoke tests (seconds)")


def tutorial(name, description, reads_files=True):
    """The tutorial scripts' (04_xx, 05_xx) parser; reads_files offers --data CSV."""
    parser = common(name, description, seed_help="seed for weights, dropout and shuffling",
                    quick_help="a tiny model on a little data, for smoke tests (seconds)")
    if reads_files:
        parser.add_argument(
            "--data", metavar="CSV",
            help="the UCI energydata_complete.csv (default: built-in synthetic data)")
    parser.add_argument("--epochs", type=int, help="passes over the training windows")
    parser.add_argument("--batch-size", type=int, help="windows per gradient step")
    parser.add_argument("--learning-rate", type=float, help="INITIAL_LEARNING_RATE")
    parser.add_argument("--unroll", choices=("auto", "static", "dynamic"),
                        help="static_rnn (faster steps, slow to build for long windows), the "
                             "tutorial's dynamic_rnn, or auto (default: static up to 96 steps); "
                             "all compute the same numbers")
    parser.add_argument("--grappler", choices=("auto", "on", "off"),
                        help="TensorFlow's graph optimizer; auto (default) turns it off for "
                             "04_02 and 04_03, where it spends seconds optimising and makes "
                             "no step faster")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="any hyperparameter by its tutorial name, e.g. --set "
                             "INPUT_SEQUENCE_LENGTH=48 --set 'RNN_LAYERS=[{\"units\": 64}]'")
    parser.add_argument("--resume", metavar="RUN_FOLDER",
                        help="continue an interrupted run (or give it more --epochs)")
    parser.add_argument("--export", action="store_true",
                        help="also save the best checkpoint as a Keras 3 model, "
                             "<run folder>/model.keras")
    return parser


def answer_early(module_name, parser):
    """If the calling file runs as a script (module_name is "__main__"), parse its
    command line now: --help prints and exits 0, a bad option exits 2 with argparse's
    message. A script loaded as a module (by the tests) parses nothing here."""
    if module_name == "__main__":
        parser.parse_args()
