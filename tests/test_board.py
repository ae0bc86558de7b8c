"""graphrnn.board's words for a run: how the HParams table and run_summary name things."""

from graphrnn import board


def test_rnn_layers_read_as_units_and_keep_probabilities():
    same = [{"units": 32, "keep_prob": 0.9}, {"units": 16, "keep_prob": 0.9}]
    assert board.layers_text(same) == "32, 16 units, keep 0.9"
    mixed = [{"units": 32, "keep_prob": 1.0}, {"units": 16, "keep_prob": 0.8}]
    assert board.layers_text(mixed) == "32, 16 units, keep 1.0, 0.8"


def test_a_trial_is_named_by_its_script_and_run_folder():
    name = board.trial_name("04_02_rnn_dropout", "logs/04_02_rnn_dropout/20261202-1200-seed0/")
    assert name == "04_02_rnn_dropout/20261202-1200-seed0"
