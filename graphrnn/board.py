"""What the trainer writes for TensorBoard beyond the graph's own summaries, built in
Python: scalars in Wh, weight and gradient histograms, the forecast image, and a finished
run's test metrics, results text and hparams session.

Usage::

    writer.add_summary(board.scalar("RMSE_Wh", 71.8), step)
    writer.add_summary(board.histograms({"weights/x": array}), step)
    board.write_test_summaries(run_dir, metrics, config, step, "Wh", run_info, png_path)
"""

import os
import struct
import uuid

import numpy as np

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


def scalar(tag, value):
    """A Summary holding one scalar."""
    return v1.Summary(value=[v1.Summary.Value(tag=tag, simple_value=float(value))])


def histograms(arrays, bins=30):
    """A Summary holding one histogram per {tag: array}, as TensorBoard's Histograms and
    Distributions tabs read them."""
    values = []
    for tag, array in arrays.items():
        array = np.asarray(array, np.float64).ravel()
        counts, edges = np.histogram(array, bins=bins)
        proto = v1.HistogramProto(min=float(array.min()), max=float(array.max()),
                                  num=float(array.size), sum=float(array.sum()),
                                  sum_squares=float(np.sum(array ** 2)),
                                  bucket_limit=edges[1:].tolist(), bucket=counts.tolist())
        values.append(v1.Summary.Value(tag=tag, histo=proto))
    return v1.Summary(value=values)


def image(tag, png_path):
    """A Summary holding a PNG file as an image."""
    encoded = open(png_path, "rb").read()
    width, height = struct.unpack(">II", encoded[16:24])  # the PNG header's IHDR chunk
    return v1.Summary(value=[v1.Summary.Value(tag=tag, image=v1.Summary.Image(
        height=height, width=width, colorspace=4, encoded_image_string=encoded))])


def gradient_tensors(model):
    """{trainable variable: its gradient tensor}, read off the optimizer's apply ops (their
    last input is the gradient): no new ops, no second gradient graph. The models here
    have one optimizer each."""
    by_op = {variable.op.name: variable
             for variable in model.graph.get_collection(v1.GraphKeys.TRAINABLE_VARIABLES)}
    return {by_op[op.inputs[0].op.name]: op.inputs[-1] for op in model.graph.get_operations()
            if op.type.startswith(("ResourceApply", "Apply")) and op.inputs
            and op.inputs[0].op.name in by_op}


def write_test_summaries(run_dir, metrics, config, step, unit, run_info, png_path):
    """TensorBoard's view of a finished run, in <run_dir>/test at the last training step:
    the test scalars (`RMSE_Wh` beside the train and validation curves of the same tag,
    `MAE_Wh`, `R2`, both baselines' `RMSE_Wh`), the forecast image (`forecast`), the
    configuration and results as text (`run_summary`), and an hparams session, so that
    runs compare in one table."""
    from tensorboard.plugins.text import summary_v2 as text_summary

    suffix = f"_{unit or 'data_units'}"
    test_writer = writer(os.path.join(run_dir, "test"))
    scalars = {f"RMSE{suffix}": "test_rmse", f"MAE{suffix}": "test_mae", "R2": "test_r2",
               f"persistence_RMSE{suffix}": "persistence_rmse",
               f"linear_RMSE{suffix}": "linear_rmse"}
    if "lag_linear_rmse" in metrics:
        scalars[f"lag_linear_RMSE{suffix}"] = "lag_linear_rmse"
    for tag, key in scalars.items():
        test_writer.add_summary(scalar(tag, metrics[key]), step)
    test_writer.add_summary(image("forecast", png_path), step)
    text = run_summary(metrics, config, unit, run_info)
    test_writer.add_summary(text_summary.text_pb("run_summary", text).SerializeToString(), step)
    write_session(test_writer, trial_name(metrics["model"], run_dir),
                  hparams(config, run_info.get("quick", False)), step)
    test_writer.close()


def write_session(run_writer, trial, values, step):
    """An HParams session named `trial` in run_writer's run, whose scalars are its metrics;
    values: {name: number, text or bool}. Whole numbers go as text: the HParams table
    prints every number with decimals (EPOCHS 20.000), text as it is (20)."""
    from tensorboard.plugins.hparams import summary_v2 as hparams_summary

    values = {name: str(value) if isinstance(value, int) and not isinstance(value, bool)
              else value for name, value in values.items()}
    run_writer.add_summary(hparams_summary.hparams_pb(values, trial_id=trial)
                           .SerializeToString(), step)


def trial_name(script, run_dir):
    """The HParams table's name for a run: `<script>/<run folder>`."""
    return f"{script}/{os.path.basename(os.path.normpath(run_dir))}"


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
