"""What the tutorial scripts (04_xx, 05_xx) add to the run framework (graphrnn.runs):
hyperparameter overrides, --resume, --export, and the result lines.

A script supplies its graph_holder.Tutorial (its name and graph functions), its Config, its
options (graphrnn.options.tutorial) and (unless it reads the energy data one step ahead)
where its windows come from:

    sys.exit(tutorial_script.main(TUTORIAL, CONFIG, OPTIONS))
    sys.exit(tutorial_script.main(TUTORIAL, CONFIG, OPTIONS,
                                  source=tutorial_script.ENERGY_EVERY_STEP))

Exit statuses and errors are graphrnn.runs': 0 done; 2 bad input (one sentence, no run
folder left behind); 3 training diverged (the last good checkpoint is kept); 130
interrupted by Ctrl-C (the last finished epoch is kept; the message says how to resume).
"""

import ast
import dataclasses
import functools
import os
import sys

from graphrnn import energy
from graphrnn import graph_holder, report, runs, sine_records
from graphrnn.config import Config, ConfigError
from graphrnn.runs import BadInput
from graphrnn.forecast_run import train_and_evaluate
from graphrnn.train import STATE_FILE, TrainingDiverged, TrainingInterrupted, load_state

QUICK_ROWS = 3000  # built-in rows for --quick: enough for every split, seconds to train


def energy_windows(path, rows, config, every_step=False):
    """(windows of the energy data, where they came from) for a config."""
    frame = energy.load_energy(path, rows=rows)
    if frame.attrs.get("resorted"):
        print(f"note: the rows of {path} were not in time order; they were sorted by date")
    data = energy.prepare_energy(frame, config, every_step=every_step)
    description = path or f"built-in synthetic data ({len(frame)} rows)"
    columns = (", ".join(config.INPUT_COLUMNS) + " (INPUT_COLUMNS)" if config.INPUT_COLUMNS
               else f"its {len(data.features) - len(energy.CALENDAR)} numeric columns")
    if config.CALENDAR_FEATURES:
        description += (f"; inputs: {columns}, and hour of day and day of week as sine and "
                        "cosine (CALENDAR_FEATURES)")
    return data, description


def record_windows(path, rows, config):
    """(generated records of different lengths, a description); path is always None."""
    return sine_records.make_records(config, rows), f"{rows} generated records of different lengths"


@dataclasses.dataclass(frozen=True)
class DataSource:
    """Where a script's windows come from."""

    prepare: object  # (path or None, rows, config) -> (data, description)
    rows: int  # how many rows (or records) a normal run uses
    quick_rows: int  # and --quick


ENERGY = DataSource(energy_windows, energy.REAL_ROWS, QUICK_ROWS)
ENERGY_EVERY_STEP = DataSource(functools.partial(energy_windows, every_step=True),
                               energy.REAL_ROWS, QUICK_ROWS)
RECORDS = DataSource(record_windows, sine_records.RECORDS, sine_records.QUICK_RECORDS)  # no --data


def quick_config(config):
    """--quick: the same model, shrunk to seconds (two small layers, short windows, 2 epochs)."""
    layers = [{"units": units, "keep_prob": layer["keep_prob"]}
              for units, layer in zip((8, 4), config.RNN_LAYERS)]
    quick = config.replace(RNN_LAYERS=layers, INPUT_SEQUENCE_LENGTH=12, EPOCHS=2)
    if config.OUTPUT_SEQUENCE_LENGTH == config.INPUT_SEQUENCE_LENGTH:  # many to many
        quick = quick.replace(OUTPUT_SEQUENCE_LENGTH=12)
    return quick


def _parse_setting(text):
    """'NAME=VALUE' -> (NAME, VALUE as a Python literal, or as a string if a bare word)."""
    name, equals, value = text.partition("=")
    names = [field for field in Config.__dataclass_fields__]
    if not equals or name.strip() not in names:
        raise BadInput(f"--set takes NAME=VALUE with NAME one of {', '.join(names)}; got {text!r}")
    try:
        return name.strip(), ast.literal_eval(value.strip())
    except (ValueError, SyntaxError):
        if value.strip().isidentifier():  # a bare word is a string: --set OPTIMIZER=sgd
            return name.strip(), value.strip()
        raise BadInput(f"--set {name.strip()}: {value.strip()!r} is not a number, word, list "
                       "or dict literal") from None


def make_config(args, config):
    """The script's config (or its quick version) with the command-line overrides applied."""
    chosen = quick_config(config) if args.quick else config
    overrides = dict(_parse_setting(text) for text in args.set)
    overrides.update({field: value for field, value in (
        ("EPOCHS", args.epochs), ("BATCH_SIZE", args.batch_size),
        ("INITIAL_LEARNING_RATE", args.learning_rate), ("SEED", args.seed),
        ("UNROLL", args.unroll), ("GRAPPLER", args.grappler))
        if value is not None})
    return chosen.replace(**overrides)


def resumed_run(name, args):
    """(history, run info, config) of the run folder named by --resume."""
    folder = args.resume
    if not os.path.isfile(os.path.join(folder, STATE_FILE)):
        raise BadInput(f"{folder} is not a run folder (it has no {STATE_FILE})")
    changed = [option for option, value in (
        ("--data", getattr(args, "data", None)), ("--batch-size", args.batch_size),
        ("--seed", args.seed), ("--learning-rate", args.learning_rate), ("--set", args.set or None),
        ("--unroll", args.unroll), ("--grappler", args.grappler),
        ("--quick", args.quick or None)) if value is not None]
    if changed:
        raise BadInput(f"--resume continues a run with its own settings; only --epochs can "
                       f"change, not {', '.join(changed)}")
    try:
        history, info = load_state(folder)
        config = Config(**info["config"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise BadInput(f"{folder}/{STATE_FILE} cannot be read: {error}") from None
    if info.get("script") != name:
        raise BadInput(f"{folder} is a run of {info.get('script')}, not of {name}")
    if args.epochs is not None:
        if args.epochs < history.epochs_done:
            raise BadInput(f"{folder} has already trained {history.epochs_done} epochs; "
                           f"--epochs {args.epochs} is fewer")
        config = config.replace(EPOCHS=args.epochs)
    info["config"] = config.to_dict()
    return history, info, config


def run(tutorial, config, args, source):
    """Load, window, build, train, evaluate; return (metrics, run folder, whether it is a
    --quick run: a resumed run keeps what it was)."""
    name, history = tutorial.name, None
    try:
        if args.resume:
            history, info, config = resumed_run(name, args)
            data_path = info["data"]
        else:
            config = make_config(args, config)
            data_path = getattr(args, "data", None)  # messages name it as the user typed it
            info = {"script": name, "data": os.path.abspath(data_path) if data_path else None,
                    "rows": source.quick_rows if args.quick else source.rows,
                    "quick": bool(args.quick), "config": config.to_dict()}
        data, description = source.prepare(data_path, info["rows"], config)
        model = graph_holder.build(tutorial, config, len(data.features), len(data.target_columns),
                                   unit=data.unit, scaled=data.scaled)
        if args.export:  # refused before training, not after
            from graphrnn import export  # imports Keras 3: only when asked for

            try:
                export.check_exportable(tutorial)
            except export.NotExportable as error:
                raise BadInput(str(error)) from None
    except (ConfigError, energy.DataError) as error:
        raise BadInput(str(error)) from None

    print(f"{name}: {description}; windows train {len(data.train)}, validation "
          f"{len(data.validation)}, test {len(data.test)}; {config.EPOCHS} epochs")
    if history is not None:
        print(f"resuming {args.resume} after epoch {history.epochs_done}")
    # a new folder, removed on any error but these two, which keep what was done and mark
    # the folder's name -interrupted or -diverged; a --quick run's name ends in -quick
    folder = runs.run_folder(args.logdir, name, config.SEED, quick=info.get("quick", False),
                             keep=(TrainingInterrupted, TrainingDiverged), existing=args.resume)
    try:
        with folder as run_dir:
            metrics = train_and_evaluate(model, data, config, run_dir, history, info)
        if args.resume:  # it finished: its name loses -interrupted
            run_dir = runs.mark_run_dir(run_dir)
    except TrainingDiverged as error:  # metrics.json says what happened
        raise runs.Stopped(f"error: {error} (run folder {error.run_dir})",
                           runs.EXIT_DIVERGED) from None
    except TrainingInterrupted as stop:
        raise runs.Stopped(f"{stop}; resume with: python {sys.argv[0]} --resume "
                           f"{stop.run_dir}", runs.EXIT_INTERRUPTED) from None
    if args.export:
        export_run(model, config, data, run_dir, metrics)
    return metrics, run_dir, info.get("quick", False)


def export_run(model, config, data, run_dir, metrics):
    """--export: model.keras and scaling.json; the check's result goes into metrics.json."""
    from graphrnn import export  # Keras 3, loaded only for --export

    try:
        difference = export.export_run(model, config, run_dir, metrics["checkpoint"],
                                       data.test.inputs)
    except export.ExportMismatch as error:  # the run itself is done and kept
        raise runs.Stopped(f"error: {error} (run folder {run_dir})", runs.EXIT_FAILED) from None
    metrics["keras_export_max_abs_difference"] = difference
    report.write_metrics(run_dir, metrics)
    scaler = data.scaler  # the model takes and gives values scaled to [0, 1] by these
    report.write_json(os.path.join(run_dir, "scaling.json"), {
        "columns": list(scaler.columns), "minimum": scaler.minimum.tolist(),
        "maximum": scaler.maximum.tolist(), "inputs": list(data.features),
        "targets": list(data.target_columns)})
    print(f"exported {os.path.join(run_dir, export.MODEL_FILE)} (Keras 3); largest "
          f"difference from the session's test predictions: {difference:.2g}")


def main(tutorial, config, options, argv=None, source=ENERGY):
    """Run a tutorial script with its ArgumentParser (graphrnn.options.tutorial); return
    its exit status."""
    def run_and_report(args):
        metrics, run_dir, quick = run(tutorial, config, args, source)
        print_result(metrics, run_dir, quick)

    return runs.main(tutorial.name, options, run_and_report, argv)


QUICK_NOTE = "smoke test (--quick: a tiny model trained for seconds, not a forecast): "


def print_result(metrics, run_dir, quick=False):
    """The result line (test errors in the data's units next to persistence and the
    linear baseline; --quick says it is a smoke test), 05_01's table by output step, and
    the run folder with what it holds."""
    unit = energy.UNITS.get(metrics["target"], "")

    def value(key):  # Wh to 2 decimals; unitless values (05_02's waves) need 4
        return f"{metrics[key]:.2f} {unit}" if unit else f"{metrics[key]:.4f}"

    lag_linear = (f", linear on own lags {value('lag_linear_rmse')}"
                  if "lag_linear_rmse" in metrics else "")
    print(f"{QUICK_NOTE if quick else ''}"
          f"test RMSE {value('test_rmse')} (persistence {value('persistence_rmse')}, "
          f"linear {value('linear_rmse')}{lag_linear}), MAE {value('test_mae')}, "
          f"R^2 {metrics['test_r2']:.3f}; "
          f"best epoch {metrics['best_epoch']}, {metrics['train_seconds']:.0f}s of training")
    if "test_rmse_per_step" in metrics:
        print_per_step(metrics, unit)
    runs.print_run_folder(run_dir)


def print_per_step(metrics, unit):
    """A table of test RMSE by output step: the model's, persistence's, the linear one's."""
    print(f"test RMSE by output step{f' ({unit})' if unit else ''}:")
    print("  step   model  persistence  linear")
    rows = zip(metrics["test_rmse_per_step"], metrics["persistence_rmse_per_step"],
               metrics["linear_rmse_per_step"])
    for step, (model, persistence, linear) in enumerate(rows, start=1):
        print(f"  {step:4d}  {model:6.2f}  {persistence:11.2f}  {linear:6.2f}")
