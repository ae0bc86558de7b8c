"""graphrnn.board's words for a run: how the HParams table and run_summary name things."""

from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

from graphrnn import board


def test_rnn_layers_read_as_units_and_keep_probabilities():
    same = [{"units": 32, "keep_prob": 0.9}, {"units": 16, "keep_prob": 0.9}]
    assert board.layers_text(same) == "32, 16 units, keep 0.9"
    mixed = [{"units": 32, "keep_prob": 1.0}, {"units": 16, "keep_prob": 0.8}]
    assert board.layers_text(mixed) == "32, 16 units, keep 1.0, 0.8"


def test_a_trial_is_named_by_its_script_and_run_folder():
    name = board.trial_name("04_02_rnn_dropout", "logs/04_02_rnn_dropout/20261202-1200-seed0/")
    assert name == "04_02_rnn_dropout/20261202-1200-seed0"


def test_two_writers_on_one_folder_at_once_keep_both_their_events(tmp_path):
    # a --quick run opens its graph's writer and its curves' within one second: with the
    # same file name they wrote over each other and TensorBoard read nothing
    with board.writer(str(tmp_path)) as first, board.writer(str(tmp_path)) as second:
        first.add_summary(board.scalar("loss", 1.0), 1)
        second.add_summary(board.scalar("test_accuracy", 0.5), 1)
    assert len(list(tmp_path.glob("events.out.tfevents.*"))) == 2
    events = EventAccumulator(str(tmp_path))
    events.Reload()
    assert sorted(events.Tags()["scalars"]) == ["loss", "test_accuracy"]
