"""The trainer: one training loop, `train_epochs` (epochs numbered from 1, a batch
iterator per epoch, one or more models stepped on each batch, an after-epoch part), and
the small parts any graph in the one holder (graph_holder.GraphModel) can plug into it:
`batches` (a batch iterator over one epoch's shuffled order), `training_step` (one step
as a callable), `validate`, `Checkpoints` (the best epoch and the last), `Summaries` (the
train and validation event files), `Histograms`, `Progress` (the epoch lines), and for
models trained side by side `Validation` (curves, summaries, early stopping, one line per
epoch) and `EarlyStopping`. `fit` is the forecasting scripts' training, one epoch after
another in a loop that reads top to bottom. It only trains: scoring the best checkpoint
and writing a finished run's files is graphrnn.forecast_run's.

It knows GraphModel's tensors, not which cells or layers made them. After every epoch of
`fit` the run folder holds a `state.json` and the last epoch's checkpoint, so a run that
was interrupted (or that should go on for more epochs) can be resumed.

Usage::

    history = fit(session, model, data, config, run_dir, Checkpoints(model, run_dir),
                  History(), {})

    step = training_step(session, model)        # a lesson's own steps, through the loop
    train_epochs(epochs, lambda epoch: batches(epoch_order(len(x), epoch, seed), 32),
                 {"graph": lambda batch: step(x[batch], y[batch], dropout=True)[1]})
"""

import dataclasses
import json
import math
import os
import time

import numpy as np

from graphrnn import board, report, tags
from graphrnn.compat import v1
from graphrnn.data_common import check_lengths

STATE_FILE = "state.json"


class TrainingDiverged(Exception):
    """The training loss stopped being a finite number."""

    folder_mark = "diverged"  # the run folder's name ends in -diverged (graphrnn.runs)

    def __init__(self, epoch, learning_rate, loss, last_good_epoch):
        super().__init__(
            f"training diverged in epoch {epoch} (loss {loss} at learning rate "
            f"{learning_rate:.4g}); the checkpoint of epoch {last_good_epoch} is kept; try a "
            "smaller INITIAL_LEARNING_RATE")
        self.epoch = epoch


class TrainingInterrupted(Exception):
    """Ctrl-C during training; the last finished epoch is saved."""

    folder_mark = "interrupted"

    def __init__(self, epoch, epochs_done):
        super().__init__(f"interrupted in epoch {epoch}; {epochs_done} finished epoch(s) saved")
        self.epoch = epoch
        self.epochs_done = epochs_done


@dataclasses.dataclass
class History:
    """What fit() has done so far; saved in state.json after every epoch."""

    train_mse: list = dataclasses.field(default_factory=list)  # on the scaled data
    validation_mse: list = dataclasses.field(default_factory=list)
    learning_rate: list = dataclasses.field(default_factory=list)
    train_rmse: list = dataclasses.field(default_factory=list)  # in the target's unit (Wh)
    validation_rmse: list = dataclasses.field(default_factory=list)
    best_epoch: int = 0
    best_validation_mse: float = math.inf
    best_checkpoint: str = ""  # relative to the run folder
    last_checkpoint: str = ""
    seconds: float = 0.0

    @property
    def epochs_done(self):
        return len(self.train_mse)

    def curves(self):
        return {"train_mse": self.train_mse, "validation_mse": self.validation_mse,
                "train_rmse": self.train_rmse, "validation_rmse": self.validation_rmse,
                "learning_rate": self.learning_rate}


def rmse_in_units(data, mse):
    """The RMSE, in the target's own unit (Wh), of an MSE on the scaled data."""
    return float(data.to_units(np.sqrt(mse)) - data.to_units(0.0))


def save_state(run_dir, history, run_info):
    """Write state.json (history + how the run was started) atomically."""
    path = os.path.join(run_dir, STATE_FILE)
    report.write_json(path + ".tmp", {"history": dataclasses.asdict(history), **run_info})
    os.replace(path + ".tmp", path)


def load_state(run_dir):
    """(History, the rest of state.json) of a run folder."""
    with open(os.path.join(run_dir, STATE_FILE)) as handle:
        state = json.load(handle)
    return History(**state.pop("history")), state


def epoch_order(count, epoch, seed):
    """The shuffled window order of one epoch, drawn from (seed, epoch) alone: a resumed
    run, or a Keras twin trained beside the graph, sees the same batches."""
    return np.random.default_rng([seed, epoch]).permutation(count)


def data_tensors(model):
    """The placeholders a part of the data fills: predictors, target (and sequence_length)."""
    tensors = [model.predictors, model.target]
    return tensors + [model.sequence_length] if model.sequence_length is not None else tensors


def data_arrays(model, part):
    """A Windows part's arrays in data_tensors(model) order; lengths checked first."""
    if model.sequence_length is None:
        return [part.inputs, part.targets]
    check_lengths(part.lengths, part.inputs.shape[1], len(part))
    return [part.inputs, part.targets, part.lengths]


def feed(model, inputs, targets=None, dropout=False, lengths=None):
    """The feed_dict for one batch; dropout=True turns the training switch on.

    A variable-length model needs the records' lengths; a length of 0 or one longer than
    the padded width raises DataError before anything runs.
    """
    values = {model.predictors: inputs, model.dropout_switch: dropout}
    if targets is not None:
        values[model.target] = targets
    if model.sequence_length is not None:
        if lengths is None:
            raise ValueError(f"{model.name} needs the records' sequence lengths")
        check_lengths(lengths, inputs.shape[1], len(inputs))
        values[model.sequence_length] = lengths
    return values


def predict(session, model, inputs, batch_size=2048, lengths=None):
    """Predictions (N, G) or (N, T, G) with dropout off, in chunks to bound memory."""
    chunks = []
    for start in range(0, len(inputs), batch_size):
        part = slice(start, start + batch_size)
        chunk_lengths = None if lengths is None else lengths[part]
        chunks.append(session.run(model.prediction,
                                  feed(model, inputs[part], lengths=chunk_lengths)))
    return np.concatenate(chunks, axis=0)


def batches(order, batch_size):
    """The batch iterator: index arrays of consecutive mini-batches over one epoch's order."""
    for first in range(0, len(order), batch_size):
        yield order[first:first + batch_size]


def batch_count(examples, batch_size):
    """How many batches `batches` makes of one epoch: training steps per epoch."""
    return -(-examples // batch_size)


def training_step(session, model, also=()):
    """One training step as a callable: (data arrays in data_tensors(model) order...,
    dropout=True|False) -> [None, loss, *the values of `also`]. make_callable skips
    feed_dict's per-call lookups. A graph without a dropout switch ignores `dropout`."""
    return training_step_like(session, model, [model.train_op, model.loss, *also])


def training_step_like(session, model, fetches):
    """Any fetches as a callable fed like a training step: (arrays..., dropout=...)."""
    if model.dropout_switch is None:
        run = session.make_callable(fetches, data_tensors(model))
        return lambda *arrays, dropout=False: run(*arrays)
    run = session.make_callable(fetches, data_tensors(model) + [model.dropout_switch])
    return lambda *arrays, dropout=False: run(*arrays, dropout)


def validate(session, model, part):
    """The MSE of the model on a whole Windows part, dropout off."""
    values = dict(zip(data_tensors(model), data_arrays(model, part)))
    return float(session.run(model.mse, values))


class Checkpoints:
    """The trainer's two savers, built into the model's graph (before its Session opens):
    checkpoints/best-<step> (the lowest validation MSE, indexed by best_checkpoint) and
    checkpoints/last-<step> (the last finished epoch, indexed by checkpoint: what
    tf.train.latest_checkpoint finds, and what --resume restores)."""

    def __init__(self, model, run_dir):
        with model.graph.as_default(), v1.name_scope("checkpoints/"):
            # relative paths in the index files: a renamed run folder still restores
            self.best = v1.train.Saver(max_to_keep=1, name="best_saver", save_relative_paths=True)
            self.last = v1.train.Saver(max_to_keep=1, name="last_saver", save_relative_paths=True)
        self.run_dir = run_dir

    def _save(self, saver, session, prefix, step):
        index = "checkpoint" if prefix == "last" else f"{prefix}_checkpoint"
        path = saver.save(session, os.path.join(self.run_dir, "checkpoints", prefix),
                          global_step=step, latest_filename=index)
        return os.path.relpath(path, self.run_dir)  # relative: the folder may move

    def save_best(self, session, step):
        return self._save(self.best, session, "best", step)

    def save_last(self, session, step):
        return self._save(self.last, session, "last", step)

    def restore(self, session, checkpoint):
        """Restore a checkpoint named relative to the run folder."""
        self.last.restore(session, os.path.join(self.run_dir, checkpoint))


class Summaries:
    """Event files for TensorBoard: <run_dir>/train (the graph's summaries of a training
    step every `every` steps; the graph once, with a fresh run) and <run_dir>/validation
    (the MSE and its root, written here, once per epoch); both also get each epoch's RMSE
    in the target's unit (graphrnn.tags.forecast names them). A resumed run appends to
    the same two runs."""

    def __init__(self, run_dir, graph=None, every=20):
        self.every = every
        self.train = board.writer(os.path.join(run_dir, "train"), graph=graph)
        self.validation = board.writer(os.path.join(run_dir, "validation"))

    def due(self, step):
        """Whether the training step `step` should write its summaries."""
        return step % self.every == 0

    def close(self):
        self.train.close()
        self.validation.close()


class Histograms:
    """Every trainable variable at the end of an epoch, and its gradient as the optimiser
    applied it at the epoch's last summary step (its training batch, dropout on), as
    TensorBoard histograms under short names (graphrnn.tags.histogram_tag:
    `weights/layer_0/gates/kernel`, `biases/...`, `gradients/...`), their descriptions
    naming the variable: after the first epoch, every fifth of the run and the last.
    Calling it returns the Summary.

    The gradients ride on the summary step's own fetches (`fetches`; the step hands their
    values to `keep`): a callable of their own made TensorFlow optimise one more graph,
    0.3-0.9 s once a run, 3-6 % of a default 04_01 run, for six small reads."""

    def __init__(self, session, model, epochs):
        gradients = board.gradient_tensors(model)  # {variable: gradient}, read off train_op
        self.session, self.variables = session, list(gradients)
        self.fetches, self.gradients = list(gradients.values()), None
        names = [variable.op.name for variable in gradients]
        self.tags = [(tags.histogram_tag(name, gradient), tags.histogram_description(
            name, gradient)) for gradient in (False, True) for name in names]
        self.epochs, self.every = epochs, max(1, epochs // 5)

    def due(self, epoch):
        return epoch == 1 or epoch % self.every == 0 or epoch == self.epochs

    def keep(self, gradients):
        """The gradient values a summary step fetched, in `fetches` order."""
        self.gradients = list(gradients)

    def __call__(self):
        """The Summary; without a summary step since the last one (an epoch shorter than
        summaries.every steps), the weights alone."""
        values = self.session.run(self.variables) + (self.gradients or [])  # then gradients
        self.gradients = None
        return board.histograms({tag: (value, description)
                                 for (tag, description), value in zip(self.tags, values)})


class Progress:
    """The epoch lines: the first epoch, every tenth of the run and the last, after a
    line that says what their numbers measure."""

    def __init__(self, epochs, unit, scaled, print_line=print):
        self.epochs, self.unit, self.scaled = epochs, unit, scaled
        self.every = max(1, epochs // 10)
        self.print_line = print_line
        self.explained = False

    def epoch(self, epoch, history):
        if epoch == 1 or epoch % self.every == 0 or epoch == self.epochs:
            if not self.explained:
                on = "on data scaled to [0, 1]" if self.scaled else "on the data as it is"
                self.print_line(f"(MSE: the loss the optimiser minimises, {on}; RMSE: the "
                                f"same error in {self.unit or 'data units'}; time: seconds "
                                "of training so far)")
                self.explained = True

            def rmse(value):  # Wh to one decimal; unitless values need four
                return f"{value:.1f} {self.unit}" if self.unit else f"{value:.4f}"

            self.print_line(
                f"epoch {epoch:3d}/{self.epochs}  train MSE {history.train_mse[-1]:.5f} "
                f"(RMSE {rmse(history.train_rmse[-1])})  validation MSE "
                f"{history.validation_mse[-1]:.5f} (RMSE {rmse(history.validation_rmse[-1])})"
                f"  learning rate {history.learning_rate[-1]:.4g}  time {history.seconds:.1f}s")


def train_epochs(epochs, batches_of, steps, after_epoch=None, first_epoch=1):
    """The one training loop, for every graph in graphrnn and the Keras 3 models trained
    beside them. Epochs are numbered from 1.

    Args:
      epochs: the last epoch to run.
      batches_of: epoch -> the batch iterator of that epoch (index arrays: `batches`).
      steps: {name: batch -> loss}: the models trained, each on every batch, in this order.
      after_epoch: (epoch, {name: the epoch's losses, an array, empty once it stopped})
        -> the names that stop training now (early stopping), or None; the parts
        (Validation, Checkpoints, Summaries, Progress) run here.
      first_epoch: where a resumed run goes on.
    Returns:
      The last epoch that ran (first_epoch - 1 if none did).
    """
    stopped, epoch = set(), first_epoch - 1
    for epoch in range(first_epoch, epochs + 1):
        losses = {name: [] for name in steps}
        for batch in batches_of(epoch):
            for name, step in steps.items():
                if name not in stopped:
                    losses[name].append(step(batch))
        if after_epoch is not None:
            arrays = {name: np.asarray(values) for name, values in losses.items()}
            stopped |= set(after_epoch(epoch, arrays) or ())
        if stopped >= set(steps):
            break
    return epoch


class EarlyStopping:
    """Keras' EarlyStopping(patience, min_delta) on a value to minimise, for one model:
    stop(value) is True once `patience` epochs in a row failed to beat the best by
    min_delta. With keep_best=(get_weights, set_weights), it also keeps the weights of
    the best epoch, and restore() puts them back (Keras' restore_best_weights=True)."""

    def __init__(self, patience, min_delta, keep_best=None):
        self.patience, self.min_delta = patience, min_delta
        self.best, self.waited = np.inf, 0
        self.keep_best, self.best_weights, self.best_epoch, self.epoch = keep_best, None, 0, 0

    def stop(self, value):
        self.epoch += 1
        if value < self.best - self.min_delta:
            self.best, self.waited, self.best_epoch = value, 0, self.epoch
            if self.keep_best:
                self.best_weights = self.keep_best[0]()
        else:
            self.waited += 1
        return self.waited >= self.patience

    def restore(self):
        """Put back the best epoch's weights (if kept); return that epoch (0: none)."""
        if self.best_weights is not None:
            self.keep_best[1](self.best_weights)
        return self.best_epoch


class Validation:
    """A loop part for models trained side by side (after_epoch of train_epochs): after
    each epoch, every model still training is validated (validate[name]() ->
    {metric: value}); the values are kept as curves, written with the epoch's mean
    training loss (`loss`) to the model's event writer, fed to its early stopping, and
    printed on one line. TensorBoard's x axis counts training steps, as for the forecasts:
    epoch e is written at step e * steps_per_epoch."""

    def __init__(self, validate, writers, epochs, labels, names, steps_per_epoch,
                 stopping=None, monitor=None, print_line=print):
        """labels: {name: how the line names the model}; names: {metric: (TensorBoard
        tag, description)}, "loss" and every validated metric (graphrnn.tags.classifier);
        stopping: {name: EarlyStopping} on the metric `monitor`."""
        self.validate, self.writers, self.epochs = validate, writers, epochs
        self.names, self.steps_per_epoch = names, steps_per_epoch
        self.labels, self.stopping, self.monitor = labels, stopping or {}, monitor
        self.curves = {name: {} for name in validate}  # {name: {metric: [per epoch]}}
        self.print_line = print_line

    def __call__(self, epoch, losses):
        stop, parts = [], []
        for name, validate in self.validate.items():
            if not len(losses[name]):  # it stopped in an earlier epoch
                continue
            values = {"loss": float(losses[name].mean()), **validate()}
            for metric, value in values.items():
                self.writers[name].add_summary(board.tagged(self.names[metric], value),
                                               epoch * self.steps_per_epoch)
                if metric != "loss":
                    self.curves[name].setdefault(metric, []).append(value)
            part = f"{self.labels[name]}: " + ", ".join(
                f"{'training loss' if metric == 'loss' else metric.replace('_', ' ')} "
                f"{value:.4f}" for metric, value in values.items())
            if name in self.stopping and self.stopping[name].stop(values[self.monitor]):
                stop.append(name)
                part += " (stops)"
            parts.append(part)
        self.print_line(f"epoch {epoch:3d}/{self.epochs}  " + "  ".join(parts))
        return stop

    def history(self):
        """{"<name>_<metric>": [per epoch]}, as metrics.json keeps the curves."""
        return {f"{name}_{metric}": values for name, curves in self.curves.items()
                for metric, values in curves.items()}


def fit(session, model, data, config, run_dir, checkpoints, history, run_info,
        progress=print):
    """Train from epoch history.epochs_done + 1 to config.EPOCHS, writing into run_dir
    after each epoch: summaries and histograms, the best and the last checkpoint,
    state.json, and an epoch line through `progress`.

    Each epoch shuffles with its own generator, seeded by (SEED, epoch), so a resumed run
    sees the batches an uninterrupted one would.

    Raises:
      TrainingDiverged: a step's loss was not finite. TrainingInterrupted: Ctrl-C.
    """
    step = int(session.run(model.global_step))  # each train_op run adds one
    if not history.last_checkpoint:  # a fresh run: keep the starting point too
        history.last_checkpoint = checkpoints.save_last(session, step)
        save_state(run_dir, history, run_info)
    summaries = Summaries(run_dir, graph=session.graph if step == 0 else None)
    lines = Progress(config.EPOCHS, data.unit, data.scaled, progress)
    histograms = Histograms(session, model, config.EPOCHS)
    train_step = training_step(session, model)
    # every summaries.every steps: the step, its summaries and the gradients it applied
    train_step_with_summary = training_step(session, model,
                                            also=[model.summaries, *histograms.fetches])
    train_arrays = data_arrays(model, data.train)
    epoch, start = history.epochs_done + 1, time.perf_counter()
    try:
        for epoch in range(history.epochs_done + 1, config.EPOCHS + 1):
            losses = []
            for batch in batches(epoch_order(len(data.train), epoch, config.SEED),
                                 config.BATCH_SIZE):
                # summaries (every summaries.every steps) see the weights before the step
                run_step = train_step_with_summary if summaries.due(step) else train_step
                values = run_step(*(array[batch] for array in train_arrays), dropout=True)
                if not math.isfinite(values[1]):
                    raise TrainingDiverged(epoch, session.run(model.learning_rate), values[1],
                                           history.epochs_done)
                if len(values) > 2:
                    summaries.train.add_summary(values[2], step)
                    histograms.keep(values[3:])
                losses.append(values[1])
                step += 1
            record_epoch(session, model, data, history, losses, summaries, step)
            if histograms.due(epoch):
                summaries.train.add_summary(histograms(), step)
            if history.validation_mse[-1] < history.best_validation_mse:
                history.best_validation_mse = history.validation_mse[-1]
                history.best_epoch = epoch
                history.best_checkpoint = checkpoints.save_best(session, step)
            history.last_checkpoint = checkpoints.save_last(session, step)
            now = time.perf_counter()
            history.seconds, start = history.seconds + now - start, now
            save_state(run_dir, history, run_info)
            lines.epoch(epoch, history)
    except KeyboardInterrupt:
        raise TrainingInterrupted(epoch, history.epochs_done) from None
    finally:
        summaries.close()
    return history


def record_epoch(session, model, data, history, losses, summaries, step):
    """An epoch's numbers into history and the event files: the mean training MSE of its
    batches, one pass over the validation windows, both as RMSE in the data's units, and
    the learning rate."""
    names = tags.forecast(data.unit, data.scaled)  # {key: (tag, description)}
    validation_mse = validate(session, model, data.validation)
    history.train_mse.append(float(np.mean(losses)))
    history.validation_mse.append(validation_mse)
    history.train_rmse.append(rmse_in_units(data, history.train_mse[-1]))
    history.validation_rmse.append(rmse_in_units(data, validation_mse))
    summaries.train.add_summary(board.tagged(names["rmse"], history.train_rmse[-1]), step)
    for key, value in (("rmse", history.validation_rmse[-1]), ("mse", validation_mse),
                       ("scaled_rmse", math.sqrt(validation_mse))):
        summaries.validation.add_summary(board.tagged(names[key], value), step)
    history.learning_rate.append(float(session.run(model.learning_rate)))
