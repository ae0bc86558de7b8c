"""A TF1 between-graph replicated training script runs through graphrnn-tf1 on
TensorFlow's own distributed runtime: one ps and two worker processes on free local
ports, as docs/runner.md shows. No process is left behind, whatever happens."""

import signal
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

SCRIPT = Path(__file__).resolve().parent / "tf1_scripts" / "distributed_gru.py"
RUNNER = Path(sys.executable).parent / "graphrnn-tf1"  # the console script pip installed
TRAIN_STEPS = 40


def free_ports(count):
    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(("localhost", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


@pytest.mark.slow
def test_one_ps_and_two_workers_train_one_shared_global_step(tmp_path):
    ps, worker_0, worker_1 = free_ports(3)
    common = [f"--ps_hosts=localhost:{ps}",
              f"--worker_hosts=localhost:{worker_0},localhost:{worker_1}",
              f"--train_steps={TRAIN_STEPS}"]
    tasks = [("ps", 0, []), ("worker", 0, ["--result=w0.npz"]),
             ("worker", 1, ["--result=w1.npz"])]
    processes = []
    try:
        for job, index, extra in tasks:
            processes.append(subprocess.Popen(
                [str(RUNNER), str(SCRIPT), f"--job_name={job}", f"--task_index={index}",
                 *common, *extra], cwd=tmp_path, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, text=True, start_new_session=True))
        outputs = [process.communicate(timeout=180) for process in processes]
    finally:
        for process in processes:  # nothing survives the test, passed or failed
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                process.wait()
    statuses = [process.returncode for process in processes]
    assert statuses == [0, 0, 0], outputs
    assert outputs[0][0] == "ps: every worker is done\n"  # the ps task ended by itself
    results = [np.load(tmp_path / f"w{k}.npz") for k in (0, 1)]
    local_steps = [len(r["losses"]) for r in results]
    final_steps = [int(r["final_step"]) for r in results]
    assert min(local_steps) >= 1  # both workers trained (how evenly depends on the load)
    # one global step on the ps, advanced once by every local step of either worker: the
    # worker that read it last saw them all
    assert max(final_steps) == sum(local_steps) and min(final_steps) >= TRAIN_STEPS
    for r in results:
        assert np.all(np.diff(r["steps"]) > 0)
    # the shared model learned: both workers' losses in global-step order
    by_step = np.argsort(np.concatenate([r["steps"] for r in results]), kind="stable")
    losses = np.concatenate([r["losses"] for r in results])[by_step]
    assert losses[-5:].mean() < 0.5 * losses[:5].mean()
    assert outputs[1][0] == (f"worker 0: {local_steps[0]} local steps, "
                             f"global step {final_steps[0]}\n")
