"""The run framework every script shares, 04 to 08 and those that come later: the common
options, a run folder per run, exit statuses, the one-sentence error for bad input, and
clean-up when a run fails.

Exit status: 0 done; 2 bad input (one sentence on stderr, no run folder left behind);
3 training diverged (the run folder keeps its last good checkpoint); 130 interrupted by
Ctrl-C (a tutorial run keeps its last finished epoch and says how to resume; a lesson
keeps nothing).

A lesson script (06_xx to 09_xx) supplies its name, its options (graphrnn.options), and a
function that runs it in a fresh run folder and returns the numbers to keep:

    OPTIONS = options.lesson("06_02_random_walk", __doc__)
    OPTIONS.add_argument("--iterations", type=int, default=1500)
    def run(args, run_dir): ...; return {"test_rmse": 3.2}
    sys.exit(runs.lesson("06_02_random_walk", OPTIONS, run, argv))

`run` raises runs.BadInput for a bad option; the run folder then disappears, as it does
on any error. What `run` returns goes to <run folder>/metrics.json with the options.
The tutorial scripts (04_xx, 05_xx) go through graphrnn.tutorial_script, which uses the same
parts.
"""

import contextlib
import os
import shutil
import sys
import time

from graphrnn import report

EXIT_FAILED = 1  # a check of graphrnn's own failed (the Keras 3 export's)
EXIT_BAD_INPUT = 2
EXIT_DIVERGED = 3
EXIT_INTERRUPTED = 130


class BadInput(Exception):
    """A problem of the user's input, reported as one sentence with exit status 2."""


class Stopped(Exception):
    """A run that ended early but keeps its run folder; `status` is the exit status."""

    def __init__(self, message, status):
        super().__init__(message)
        self.status = status


def positive(name, value):
    """value, if it is a number > 0; else BadInput naming the option."""
    if not value > 0:
        raise BadInput(f"{name} must be greater than 0, got {value}")
    return value


def new_run_dir(logdir, name, seed, quick=False):
    """Create and return <logdir>/<name>/<YYYYmmdd-HHMMSS>-seed<seed>[-k][-quick].

    os.mkdir either creates the folder or fails, so two runs started in the same second
    never share one.
    """
    parent = os.path.join(logdir, name)
    stem = f"{time.strftime('%Y%m%d-%H%M%S')}-seed{seed}"
    try:
        os.makedirs(parent, exist_ok=True)
        for k in range(1, 1000):
            folder = (stem if k == 1 else f"{stem}-{k}") + ("-quick" if quick else "")
            run_dir = os.path.join(parent, folder)
            try:
                os.mkdir(run_dir)
                return run_dir
            except FileExistsError:
                continue
    except OSError as error:
        raise BadInput(f"cannot create a run folder in {parent}: {error.strerror}") from None
    raise BadInput(f"cannot find a free run folder name in {parent}")


FOLDER_MARKS = ("interrupted", "diverged")  # how a run that stopped early ends its name


def mark_run_dir(run_dir, mark=None):
    """Rename run_dir to end in -<mark> (one of FOLDER_MARKS), or, with mark None, in no
    mark (a resumed run that finished); return its path. The checkpoints inside are
    found by relative paths, so the run still resumes. If the new name is taken, the
    folder keeps its name."""
    base = run_dir.rstrip(os.sep)
    for old in FOLDER_MARKS:
        if base.endswith(f"-{old}"):
            base = base[:-len(old) - 1]
    renamed = base + (f"-{mark}" if mark else "")
    if renamed == run_dir or os.path.exists(renamed):
        return run_dir
    os.rename(run_dir, renamed)
    return renamed


@contextlib.contextmanager
def run_folder(logdir, name, seed, keep=(), quick=False, existing=None):
    """A new run folder for the block (or the `existing` one of a resumed run).

    If the block raises one of the `keep` exceptions (a run that stopped early but can be
    resumed), the folder stays, renamed to end in the exception's `folder_mark`, which
    goes into the exception's run_dir; on any other exception a new folder is removed
    again, with the <logdir>/<name> folders the run created, so nothing stays behind.
    """
    parent = os.path.join(logdir, name)
    created = [folder for folder in (parent, logdir) if not os.path.isdir(folder)]
    run_dir = existing or new_run_dir(logdir, name, seed, quick)
    try:
        yield run_dir
    except keep as stop:
        stop.run_dir = mark_run_dir(run_dir, stop.folder_mark)
        raise
    except BaseException:
        if existing is None:
            shutil.rmtree(run_dir, ignore_errors=True)
            for folder in created:  # <logdir>/<name>, then <logdir>, if this run made them
                with contextlib.suppress(OSError):  # not empty: another run's
                    os.rmdir(folder)
        raise


def prepare_process():
    """What a script's `if __name__ == "__main__":` does first, for the whole process:
    line-buffered output and deterministic ops. Never called by the library, so tests and
    other callers of a script's main() keep their process as it was."""
    from graphrnn.compat import tf  # the lessons and tutorials need it anyway

    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(line_buffering=True)  # progress lines show up as they happen
    tf.config.experimental.enable_op_determinism()  # same --seed, same numbers


def main(name, options, run, argv=None):
    """Parse argv with `options` (an ArgumentParser), call run(args); return the exit
    status, each early end reported as one line on stderr."""
    args = options.parse_args(argv)
    script = f"{name}.py"
    try:
        run(args)
    except BadInput as error:
        print(f"{script}: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Stopped as stop:
        print(f"{script}: {stop}", file=sys.stderr)
        return stop.status
    except KeyboardInterrupt:
        print(f"{script}: interrupted; nothing was kept", file=sys.stderr)
        return EXIT_INTERRUPTED
    return 0


def lesson(name, options, run, argv=None):
    """Run a lesson script (06_xx to 09_xx) with its ArgumentParser; return its exit
    status."""
    def run_lesson(args):
        if args.seed < 0:
            raise BadInput(f"--seed must be >= 0, got {args.seed}")
        with run_folder(args.logdir, name, args.seed, quick=args.quick) as run_dir:
            metrics = run(args, run_dir)
            report.write_metrics(run_dir, {"script": name, "options": vars(args), **metrics})
        print_run_folder(run_dir)

    return main(name, options, run_lesson, argv)


def print_run_folder(run_dir):
    """The run's last lines: its folder, what it holds, and how to look at it."""
    entries = sorted(entry.name + ("/" if entry.is_dir() else "") for entry in os.scandir(run_dir))
    print(f"run folder: {run_dir}")
    print(f"  it holds {', '.join(entries)}")
    print(f"  open it in TensorBoard: {tensorboard_command(run_dir)} "
          "(then open http://localhost:6006)")


def tensorboard_command(logdir):
    """`graphrnn-board --logdir <logdir>` (TensorBoard, started quietly), with the path of
    the one installed beside this Python (relative to the current folder when it lies
    below it); `tensorboard --logdir <logdir>` where graphrnn is not installed."""
    program = os.path.join(os.path.dirname(sys.executable), "graphrnn-board")
    if not os.path.exists(program):
        return f"tensorboard --logdir {logdir}"
    relative = os.path.relpath(program)
    return f"{program if relative.startswith('..') else relative} --logdir {logdir}"
