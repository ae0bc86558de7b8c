"""What every tutorial script shares: options, the run folder, clear errors.

A script supplies its name, its Config and its model builder:

    sys.exit(cli.main("04_01_dropout", CONFIG, models.dropout_model, __doc__))

Bad input (a missing file, a malformed CSV, a nonsense hyperparameter) ends with one
sentence on stderr and exit status 2, and leaves no run folder behind.
"""

import argparse
import os
import shutil
import sys
import time

from graphrnn import data as energy
from graphrnn.config import ConfigError
from graphrnn.train import TrainingDiverged, train_and_evaluate

QUICK_ROWS = 3000  # built-in rows for --quick: enough for every split, seconds to train
EXIT_BAD_INPUT = 2


class BadInput(Exception):
    """A problem of the user's input, reported as one sentence with exit status 2."""


def parse_args(name, description, argv=None):
    parser = argparse.ArgumentParser(
        prog=f"{name}.py", description=description,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", metavar="CSV",
                        help="the UCI energydata_complete.csv (default: built-in synthetic data)")
    parser.add_argument("--epochs", type=int, help="passes over the training windows")
    parser.add_argument("--batch-size", type=int, help="windows per gradient step")
    parser.add_argument("--seed", type=int, help="seed for weights, dropout and shuffling")
    parser.add_argument("--logdir", default="logs",
                        help="where run folders go (default: logs); one per run under <logdir>/"
                             f"{name}/")
    parser.add_argument("--quick", action="store_true",
                        help="a tiny model on a little data, for smoke tests (seconds)")
    return parser.parse_args(argv)


def quick_config(config):
    """--quick: the same model, shrunk to seconds (two small layers, short windows, 2 epochs)."""
    layers = [{"units": units, "keep_prob": layer["keep_prob"]}
              for units, layer in zip((8, 4), config.RNN_LAYERS)]
    return config.replace(RNN_LAYERS=layers, INPUT_SEQUENCE_LENGTH=12, EPOCHS=2)


def make_config(args, config):
    """The script's config (or its quick version) with the command-line overrides applied."""
    chosen = quick_config(config) if args.quick else config
    overrides = {field: value for field, value in
                 (("EPOCHS", args.epochs), ("BATCH_SIZE", args.batch_size), ("SEED", args.seed))
                 if value is not None}
    return chosen.replace(**overrides)


def new_run_dir(logdir, name, seed):
    """Create and return <logdir>/<name>/<YYYYmmdd-HHMMSS>-seed<seed>[-k]."""
    parent = os.path.join(logdir, name)
    stem = f"{time.strftime('%Y%m%d-%H%M%S')}-seed{seed}"
    run_dir, k = os.path.join(parent, stem), 1
    while os.path.exists(run_dir):
        k += 1
        run_dir = os.path.join(parent, f"{stem}-{k}")
    try:
        os.makedirs(run_dir)
    except OSError as error:
        raise BadInput(f"cannot create the run folder {run_dir}: {error.strerror}") from None
    return run_dir


def run(name, config, build_model, args):
    """Load, window, build, train, evaluate; return (metrics, run folder)."""
    try:
        config = make_config(args, config)
        rows = QUICK_ROWS if args.quick else energy.REAL_ROWS
        frame = energy.load_energy(args.data, rows=rows)
        data = energy.prepare_energy(frame, config)
        model = build_model(config, len(data.features), len(data.target_columns))
    except (ConfigError, energy.DataError) as error:
        raise BadInput(str(error)) from None

    source = args.data or f"built-in synthetic data ({len(frame)} rows)"
    print(f"{name}: {source}; windows train {len(data.train)}, validation "
          f"{len(data.validation)}, test {len(data.test)}; {config.EPOCHS} epochs")
    run_dir = new_run_dir(args.logdir, name, config.SEED)
    try:
        metrics = train_and_evaluate(model, data, config, run_dir)
    except TrainingDiverged as error:
        shutil.rmtree(run_dir, ignore_errors=True)
        raise BadInput(str(error)) from None
    except BaseException:  # nothing half-written stays behind, whatever stopped the run
        shutil.rmtree(run_dir, ignore_errors=True)
        raise
    return metrics, run_dir


def main(name, config, build_model, description, argv=None):
    """Run a tutorial script; return its exit status."""
    sys.stdout.reconfigure(line_buffering=True)  # progress lines show up as they happen
    args = parse_args(name, description, argv)
    try:
        metrics, run_dir = run(name, config, build_model, args)
    except BadInput as error:
        print(f"{name}.py: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print(f"{name}.py: interrupted; the unfinished run folder was removed", file=sys.stderr)
        return 130
    unit = energy.UNITS.get(metrics["target"], "")
    print(f"test RMSE {metrics['test_rmse']:.2f} {unit} (persistence "
          f"{metrics['persistence_rmse']:.2f} {unit}), MAE {metrics['test_mae']:.2f} {unit}, "
          f"R^2 {metrics['test_r2']:.3f}; "
          f"best epoch {metrics['best_epoch']}, {metrics['train_seconds']:.0f}s of training")
    print(f"run folder: {run_dir}")
    return 0
