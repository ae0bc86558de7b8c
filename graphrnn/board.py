"""What the trainer writes for TensorBoard beyond the graph's own summaries, built in
Python: scalars in Wh, weight and gradient histograms, the forecast image, and a finished
run's test metrics, results text and hparams session. graphrnn.tags names them.

Usage::

    writer.add_summary(board.scalar("1_error_Wh/RMSE", 71.8, "RMSE in Wh ..."), step)
    writer.add_summary(board.histograms({"weights/x": (array, "its values ...")}), step)
    board.write_test_summaries(run_dir, metrics, config, step, data, run_info, card_png)
"""

import os
import struct
import uuid

import numpy as np

from graphrnn import tags
from graphrnn.compat import v1


def writer(folder, graph=None):
    """The one maker of TensorBoard event writers: a tf.compat.v1 FileWriter on `folder`
    (TF1's tf.summary.FileWriter), holding `graph` for the Graphs dashboard when given.
    It works from eager code too: it is made inside a graph of its own (FileWriter is
    graph-mode only); a FileWriter is a context manager that closes it.

    Each writer's file name ends in a random suffix: two writers opened on one folder in
    the same second (a --quick run's graph and its curves) would otherwise share the name
    events.out.tfevents.<second>.<host> and write over each other."""
    with v1.Graph().as_default():
        return v1.summary.FileWriter(folder, graph=graph,
                                     filename_suffix=f".{uuid.uuid4().hex[:8]}")


def described(description, plugin):
    """Summary metadata carrying a tag's description (TensorBoard shows it on the card),
    marked for the dashboard (`plugin`) that draws it."""
    return v1.SummaryMetadata(summary_description=description,
                              plugin_data=v1.SummaryMetadata.PluginData(plugin_name=plugin))


def scalar(tag, value, description=""):
    """A Summary holding one scalar, with its description."""
    return v1.Summary(value=[v1.Summary.Value(tag=tag, simple_value=float(value),
                                              metadata=described(description, "scalars"))])


def tagged(name, value):
    """scalar() of a (tag, description) pair from graphrnn.tags."""
    return scalar(name[0], value, name[1])


def histograms(arrays, bins=30):
    """A Summary holding one histogram per {tag: (array, description)}, as TensorBoard's
    Histograms and Distributions tabs read them."""
    values = []
    for tag, (array, description) in arrays.items():
        array = np.asarray(array, np.float64).ravel()
        counts, edges = np.histogram(array, bins=bins)
        proto = v1.HistogramProto(min=float(array.min()), max=float(array.max()),
                                  num=float(array.size), sum=float(array.sum()),
                                  sum_squares=float(np.sum(array ** 2)),
                                  bucket_limit=edges[1:].tolist(), bucket=counts.tolist())
        metadata = described(description, "histograms")
        values.append(v1.Summary.Value(tag=tag, histo=proto, metadata=metadata))
    return v1.Summary(value=values)


def image(tag, encoded, description=""):
    """A Summary holding a PNG image (its bytes) with its description."""
    width, height = struct.unpack(">II", encoded[16:24])  # the PNG header's IHDR chunk
    picture = v1.Summary.Image(height=height, width=width, colorspace=4,
                               encoded_image_string=encoded)
    return v1.Summary(value=[v1.Summary.Value(tag=tag, image=picture,
                                              metadata=described(description, "images"))])


def gradient_tensors(model):
    """{trainable variable: its gradient tensor}, read off the optimizer's apply ops (their
    last input is the gradient): no new ops, no second gradient graph. The models here
    have one optimizer each."""
    by_op = {variable.op.name: variable
             for variable in model.graph.get_collection(v1.GraphKeys.TRAINABLE_VARIABLES)}
    return {by_op[op.inputs[0].op.name]: op.inputs[-1] for op in model.graph.get_operations()
            if op.type.startswith(("ResourceApply", "Apply")) and op.inputs
            and op.inputs[0].op.name in by_op}


RUN_SUMMARY = ("The run at a glance: the script, the data, the test results with their "
               "units and the settings runs differ by.")
# the baselines a forecast's run is scored against: {metrics.json prefix: TensorBoard run}
FORECAST_BASELINES = {"persistence": "persistence", "linear": "linear",
                      "lag_linear": "linear_on_own_lags"}


def write_test_summaries(run_dir, metrics, config, step, data, run_info, card_png):
    """TensorBoard's view of a finished forecast run, at the last training step:
    <run_dir>/test holds the test RMSE (beside the train and validation curves of the same
    tag), MAE and R², the forecast image drawn for the card (card_png: its PNG bytes,
    graphrnn.report.plot_forecast(card=True)), the configuration and results as text
    (`run_summary`) and an hparams session, so that runs compare in one table; each
    baseline's run (persistence, linear, linear_on_own_lags) holds its test RMSE as a flat
    line from step 0 and its MAE."""
    from tensorboard.plugins.text import summary_v2 as text_summary

    names = tags.forecast(data.unit, data.scaled)
    with writer(os.path.join(run_dir, "test")) as test_writer:
        for key in ("rmse", "mae", "r2"):
            test_writer.add_summary(tagged(names[key], metrics[f"test_{key}"]), step)
        tag, description = names["forecast"]
        test_writer.add_summary(image(tag, card_png, description), step)
        text = run_summary(metrics, config, data.unit, run_info)
        test_writer.add_summary(text_summary.text_pb(
            "run_summary", text, description=RUN_SUMMARY).SerializeToString(), step)
        write_session(test_writer, trial_name(metrics["model"], run_dir),
                      hparams(config, run_info.get("quick", False)), step)
    for prefix, run in FORECAST_BASELINES.items():
        if f"{prefix}_rmse" in metrics:
            write_results(os.path.join(run_dir, run), {names["rmse"]: metrics[f"{prefix}_rmse"],
                                                       names["mae"]: metrics[f"{prefix}_mae"]},
                          step, flat=True)


def write_results(folder, results, step, session=None, flat=False):
    """A finished model's results in a TensorBoard run folder: results {(tag, description):
    value} at the last training step `step` (flat=True: also at step 0, a baseline's flat
    line across the curves); session: (trial, {hparam: value}), its HParams row."""
    with writer(folder) as run_writer:
        for at in (0, step) if flat else (step,):
            for name, value in results.items():
                run_writer.add_summary(tagged(name, value), at)
        if session is not None:
            write_session(run_writer, *session, step)


def write_session(run_writer, trial, values, step):
    """An HParams session named `trial` in run_writer's run, whose scalars are its metrics;
    values: {name: number, text or bool}. Whole numbers go as text: the HParams table
    prints every number with decimals (EPOCHS 20.000), text as it is (20)."""
    from tensorboard.plugins.hparams import summary_v2 as hparams_summary

    values = {name: str(value) if isinstance(value, int) and not isinstance(value, bool)
              else value for name, value in values.items()}
    run_writer.add_summary(hparams_summary.hparams_pb(values, trial_id=trial)
                           .SerializeToString(), step)


def trial_name(script, run_dir, part=None):
    """The HParams table's name for a run: `<script>/<run folder>`, and `/<part>` for one
    of several models a run trains (a side, a 07_01 model)."""
    name = f"{script}/{os.path.basename(os.path.normpath(run_dir))}"
    return f"{name}/{part}" if part else name


def layers_text(rnn_layers):
    """RNN_LAYERS as a reader says it: `32, 16 units, keep 0.9` (or `keep 1.0, 0.8`)."""
    keeps = sorted({layer["keep_prob"] for layer in rnn_layers}, reverse=True)
    units = ", ".join(str(layer["units"]) for layer in rnn_layers)
    keep = ", ".join(str(layer["keep_prob"]) for layer in rnn_layers) if len(keeps) > 1 \
        else str(keeps[0])
    return f"{units} units, keep {keep}"


def run_summary(metrics, config, unit, run_info):
    """A short Markdown table of a finished run: the script and data, the test results
    rounded with their unit, and the settings a reader compares runs by."""
    def error(key):
        return f"{metrics[key]:.2f} {unit}".rstrip()

    data = run_info.get("data") or "built-in synthetic data"
    rows = {"script": metrics["model"], "data": os.path.basename(data),
            "test RMSE": error("test_rmse"), "test MAE": error("test_mae"),
            "R²": f"{metrics['test_r2']:.3f}", "persistence RMSE": error("persistence_rmse"),
            "linear RMSE": error("linear_rmse")}
    if "lag_linear_rmse" in metrics:
        rows["linear on own lags RMSE"] = error("lag_linear_rmse")
    rows.update({
        "best epoch": f"{metrics['best_epoch']} of {config.EPOCHS}",
        "RNN_LAYERS": layers_text(config.RNN_LAYERS),
        "window": f"{config.INPUT_SEQUENCE_LENGTH} steps, predicting "
                  f"{config.OUTPUT_SEQUENCE_STEPS_AHEAD} ahead",
        "optimizer": f"{config.OPTIMIZER}, rate {config.INITIAL_LEARNING_RATE:g}, "
                     f"batch {config.BATCH_SIZE}",
        "seed": f"{config.SEED}{' (--quick)' if run_info.get('quick') else ''}"})
    return "| | |\n| --- | --- |\n" + "\n".join(f"| {k} | {v} |" for k, v in rows.items())


def hparams(config, quick):
    """The configuration as TensorBoard hparams (numbers, strings and booleans only)."""
    values = {key: value for key, value in config.to_dict().items()
              if isinstance(value, (bool, int, float, str))}
    values["RNN_LAYERS"] = ",".join(str(layer["units"]) for layer in config.RNN_LAYERS)
    values["KEEP_PROBS"] = ",".join(str(layer["keep_prob"]) for layer in config.RNN_LAYERS)
    values["INPUT_COLUMNS"] = ",".join(config.INPUT_COLUMNS) or "every numeric column"
    values["QUICK"] = bool(quick)
    return values
