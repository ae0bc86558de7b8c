"""The numbered scripts' own graph functions: each script loaded as a module, and its
graph_holder.Tutorial. Tests build exactly the graph a script runs; there is no second copy."""

from conftest import load_script

DROPOUT = load_script("04_01_dropout").TUTORIAL
RNN_DROPOUT = load_script("04_02_rnn_dropout").TUTORIAL
RNN_L2 = load_script("04_03_rnn_l2").TUTORIAL
RNN_SEQ = load_script("05_01_rnn_seq").TUTORIAL
RNN_VARIABLE_SEQ = load_script("05_02_rnn_variable_seq").TUTORIAL
CHAPTER_4 = [DROPOUT, RNN_DROPOUT, RNN_L2]
ALL = CHAPTER_4 + [RNN_SEQ, RNN_VARIABLE_SEQ]
