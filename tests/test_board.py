"""graphrnn.board's and graphrnn.tags' words for a run: how TensorBoard's groups, tags,
HParams table and run_summary name things."""

import numpy as np
import pytest
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

from conftest import BoardRun
from graphrnn import board, tags


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


def test_histograms_have_short_names_by_kind():
    cell = "recurrent_layer/rnn/multi_rnn_cell/cell_0/gru_cell"
    assert tags.histogram_tag(f"{cell}/gates/kernel") == "weights/layer_0/gates/kernel"
    assert tags.histogram_tag(f"{cell}/candidate/bias") == "biases/layer_0/candidate/bias"
    assert tags.histogram_tag(f"{cell}/gates/kernel", gradient=True) == (
        "gradients/layer_0/gates/kernel")
    assert tags.histogram_tag("predictions/prediction/kernel") == (
        "weights/predictions/prediction/kernel")
    assert f"{cell}/gates/kernel" in tags.histogram_description(f"{cell}/gates/kernel")


def test_the_groups_sort_the_answer_first_as_time_series_orders_them():
    # TensorBoard sorts groups by name, digits before letters, and opens the first two
    names = tags.forecast("Wh", scaled=True)
    groups = sorted({tag.split("/")[0] for tag, _ in names.values()} |
                    {"biases", "gradients", "weights"})
    assert groups == ["1_error_Wh", "2_loss_on_scaled_data", "3_training", "biases",
                      "gradients", "weights"]
    assert names["rmse"][0] == "1_error_Wh/RMSE"
    # within the first group the RMSE chart sorts first (upper case before lower case)
    first_group = sorted(tag for tag, _ in names.values() if tag.startswith("1_"))
    assert first_group[0] == "1_error_Wh/RMSE"
    assert all("Wh" in description or "no unit" in description
               for key, (_, description) in names.items() if key != "forecast")
    assert tags.loss_group(scaled=False) == "2_loss"
    assert tags.error_group(None) == "1_error_data_units"


def test_a_scalar_carries_its_description_to_tensorboard(tmp_path):
    with board.writer(str(tmp_path)) as writer:
        writer.add_summary(board.tagged(("1_error_Wh/RMSE", "RMSE in Wh"), 71.8), 5)
    run = BoardRun(tmp_path)
    assert run.scalars == {"1_error_Wh/RMSE": [(5, pytest.approx(71.8))]}
    assert run.descriptions == {"1_error_Wh/RMSE": "RMSE in Wh"}


def test_histograms_show_the_gradients_the_summary_step_applied(tiny_config, small_frame):
    from graphrnn import energy, graph_holder, train
    from tutorials import DROPOUT

    data = energy.prepare_energy(small_frame, tiny_config)
    model = graph_holder.build(DROPOUT, tiny_config, len(data.features), 1)
    batch = [array[:8] for array in train.data_arrays(model, data.train)]
    with model.new_session() as session:
        session.run(model.initializer)
        histograms = train.Histograms(session, model, epochs=2)
        # no summary step yet: the weights alone
        kinds = {value.tag.split("/")[0] for value in histograms().value}
        assert kinds == {"weights", "biases"}
        feed = dict(zip(train.data_tensors(model), batch))  # dropout off: deterministic
        expected = session.run(histograms.fetches, feed)  # the gradients before the step
        step = train.training_step(session, model, also=histograms.fetches)
        histograms.keep(step(*batch, dropout=False)[2:])
        weights_after = session.run(histograms.variables)
        shown = {value.tag: value.histo for value in histograms().value}
    assert len(shown) == 2 * len(expected)
    for variable, gradient, weight in zip(histograms.variables, expected, weights_after):
        name = tags.histogram_tag(variable.op.name, gradient=True)
        assert shown[name].sum == pytest.approx(float(np.sum(gradient)), rel=1e-5, abs=1e-9)
        kind = tags.histogram_tag(variable.op.name)
        assert shown[kind].sum == pytest.approx(float(np.sum(weight)), rel=1e-5, abs=1e-9)
