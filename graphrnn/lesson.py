"""What the lesson scripts (06_xx to 08_xx, the other source tutorials) share: the common
options, a run folder, exit statuses and clear errors.

A lesson script supplies its name, a function that adds its own options, and a function
that runs it in a fresh run folder and returns the numbers to keep:

    def add_options(parser): parser.add_argument("--iterations", type=int, default=1500)
    def run(args, run_dir): ...; return {"test_rmse": 3.2}
    sys.exit(lesson.main("06_02_random_walk", __doc__, add_options, run))

`run` raises lesson.BadInput for a bad option (before writing anything); the run folder
then disappears, as it does on any error. What `run` returns is written to
<run folder>/metrics.json with the options.

Exit status: 0 done; 2 bad input (one sentence on stderr); 130 interrupted by Ctrl-C.
"""

import argparse
import shutil
import sys

from graphrnn import report
from graphrnn.cli import (EXIT_BAD_INPUT, EXIT_INTERRUPTED, BadInput, new_run_dir,
                          prepare_process)

__all__ = ["BadInput", "main", "positive"]


def positive(name, value):
    """value, if it is a number > 0; else BadInput naming the option."""
    if not value > 0:
        raise BadInput(f"{name} must be greater than 0, got {value}")
    return value


def parse_args(name, description, add_options, argv=None):
    parser = argparse.ArgumentParser(
        prog=f"{name}.py", description=description,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=0,
                        help="seed for data, weights and dropout (default 0)")
    parser.add_argument("--logdir", default="logs",
                        help=f"where run folders go (default: logs), as <logdir>/{name}/<run-id>")
    parser.add_argument("--quick", action="store_true",
                        help="a shortened run for smoke tests (seconds)")
    if add_options is not None:
        add_options(parser)
    return parser.parse_args(argv)


def main(name, description, add_options, run, argv=None):
    """Run a lesson script; return its exit status."""
    prepare_process()
    args = parse_args(name, description, add_options, argv)
    script = f"{name}.py"
    run_dir = None
    try:
        if args.seed < 0:
            raise BadInput(f"--seed must be >= 0, got {args.seed}")
        run_dir = new_run_dir(args.logdir, name, args.seed)
        metrics = run(args, run_dir)
        report.write_json(f"{run_dir}/metrics.json",
                          {"script": name, "options": vars(args), **metrics})
    except BadInput as error:
        _remove(run_dir)
        print(f"{script}: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        _remove(run_dir)
        print(f"{script}: interrupted; nothing was kept", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BaseException:
        _remove(run_dir)  # nothing half-written stays behind
        raise
    print(f"run folder: {run_dir}")
    return 0


def _remove(run_dir):
    if run_dir is not None:
        shutil.rmtree(run_dir, ignore_errors=True)
