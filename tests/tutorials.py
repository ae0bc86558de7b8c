"""The numbered scripts' own graph functions: each script loaded as a module, and its
models.Tutorial. Tests build exactly the graph a script runs; there is no second copy."""

from pathlib import Path

from graphrnn import models

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"


def script(name):
    """scripts/<name>.py as a module (its __main__ part does not run)."""
    return models.load_script(SCRIPTS / f"{name}.py")


DROPOUT = script("04_01_dropout").TUTORIAL
RNN_DROPOUT = script("04_02_rnn_dropout").TUTORIAL
RNN_L2 = script("04_03_rnn_l2").TUTORIAL
RNN_SEQ = script("05_01_rnn_seq").TUTORIAL
RNN_VARIABLE_SEQ = script("05_02_rnn_variable_seq").TUTORIAL
CHAPTER_4 = [DROPOUT, RNN_DROPOUT, RNN_L2]
ALL = CHAPTER_4 + [RNN_SEQ, RNN_VARIABLE_SEQ]
