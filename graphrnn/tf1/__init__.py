"""graphrnn-tf1, the TF1 runner: the second wing of graphrnn, beside the tutorials. Three
packages, and the one exception they share:

    runner     the command line, the TF1 view a script's `import tensorflow` gets, --report,
               the migration table and messages, NumPy 1 habits, flags, distributed runs
    api        the rebuilt TF1 API, laid out like TF 1.15's tree (contrib's rnn, seq2seq,
               legacy_seq2seq, crf, layers, framework, training, learn, data; examples)
    converter  --to-keras: checkpoint stacks, whole graphs, recurrent regions
    refusal    Refusal: one sentence and exit status 2 (no TensorFlow)

Imports run one way: the runner may use the API and the converter; the API uses neither;
the converter does not use the runner. Each package's __init__ lists its modules.

`graphrnn-tf1 ...` and `python -m graphrnn.tf1 ...` both run runner.command.console_main.
"""


def main(argv=None):
    """graphrnn-tf1's command line; returns the exit status. Running a script turns
    TensorFlow's v2 behaviour off for the rest of the calling process: run it in a
    process of its own (the graphrnn-tf1 command is one)."""
    from graphrnn.tf1.runner import command
    return command.main(argv)


def console_main():
    """The graphrnn-tf1 console script."""
    from graphrnn.tf1.runner import command
    command.console_main()
