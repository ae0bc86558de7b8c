"""A TF1 between-graph replicated training script runs through graphrnn-tf1 on
TensorFlow's own distributed runtime: one ps and two worker processes on free local
ports, as docs/runner.md shows. No process is left behind, whatever happens."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from tf1_runs import TF1_SCRIPTS

SCRIPT = TF1_SCRIPTS / "distributed_gru.py"
RUNNER = Path(sys.executable).parent / "graphrnn-tf1"  # the console script pip installed
TASKS = [("ps", 0), ("worker", 0), ("worker", 1)]


def free_ports(count):
    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(("localhost", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


@contextlib.contextmanager
def cluster(folder, *options):
    """The ps and two workers, each `graphrnn-tf1 distributed_gru.py` with `options`,
    its output in <folder>/<job><index>.out and .err; all killed on leaving."""
    ps, worker_0, worker_1 = free_ports(3)
    common = [f"--ps_hosts=localhost:{ps}",
              f"--worker_hosts=localhost:{worker_0},localhost:{worker_1}", *options]
    processes = []
    try:
        for job, index in TASKS:
            extra = [f"--result=w{index}.npz"] if job == "worker" else []
            with open(folder / f"{job}{index}.out", "w") as out, \
                    open(folder / f"{job}{index}.err", "w") as err:
                processes.append(subprocess.Popen(
                    [str(RUNNER), str(SCRIPT), f"--job_name={job}", f"--task_index={index}",
                     *common, *extra], cwd=folder, stdout=out, stderr=err,
                    env={**os.environ, "PYTHONUNBUFFERED": "1"}, start_new_session=True))
        yield processes
    finally:
        for process in processes:  # nothing survives the test, passed or failed
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                process.wait()


def finish(processes, folder, timeout):
    """Wait for every process, at most `timeout` s in all (a hang would never end); their
    statuses (None for one still running) and (stdout, stderr) texts."""
    deadline = time.monotonic() + timeout
    while any(p.poll() is None for p in processes) and time.monotonic() < deadline:
        time.sleep(0.2)
    texts = [((folder / f"{job}{index}.out").read_text(),
              (folder / f"{job}{index}.err").read_text()) for job, index in TASKS]
    return [process.poll() for process in processes], texts


@pytest.mark.slow
def test_sync_replicas_train_in_lockstep_and_every_task_stops(tmp_path):
    # the ps stops by itself once both workers say they are done
    # TF1's chief waited out stop_grace_period_secs (120 s) at exit, then printed its queue
    # runner's CancelledError; without that wait the run takes about 10 s
    with cluster(tmp_path, "--train_steps=20", "--sync_replicas") as processes:
        statuses, outputs = finish(processes, tmp_path, timeout=150)
    assert statuses == [0, 0, 0], outputs
    assert outputs[0][0] == "ps: every worker is done\n"
    assert "Exception in thread" not in outputs[1][1] and "Traceback" not in outputs[1][1]
    results = [np.load(tmp_path / f"w{k}.npz") for k in (0, 1)]
    assert [int(r["final_step"]) for r in results] == [20, 20]
    # a global step per round of two fresh gradients (a stale one is dropped and sent
    # again): twice as many local steps as global ones, where asynchronous training has one
    local_steps = [len(r["losses"]) for r in results]
    assert min(local_steps) >= 1 and sum(local_steps) >= 2 * 20
    by_step = np.argsort(np.concatenate([r["steps"] for r in results]), kind="stable")
    losses = np.concatenate([r["losses"] for r in results])[by_step]
    assert losses[-5:].mean() < 0.5 * losses[:5].mean()


@pytest.mark.slow
def test_async_workers_share_one_global_step_and_a_ps_killed_mid_run_ends_each(tmp_path):
    with cluster(tmp_path, "--train_steps=1000000", "--log_every=5") as processes:
        deadline = time.monotonic() + 120
        outs = [tmp_path / "worker0.out", tmp_path / "worker1.out"]
        while not all(out.read_text().count("local step") >= 2 for out in outs):
            assert time.monotonic() < deadline and processes[1].poll() is None
            time.sleep(0.5)
        processes[0].send_signal(signal.SIGKILL)  # the ps, while both workers train
        processes[0].wait()
        statuses, outputs = finish(processes[1:], tmp_path, timeout=60)
    assert statuses == [1, 1], outputs
    # asynchronous training: one global step on the ps, advanced by every local step of
    # either worker. Each progress line is "worker k: local step N, global step G", G read
    # during the step's own run (the other worker's latest steps may not be in it yet)
    last = []
    for out, _ in outputs[1:]:
        lines = [line.split() for line in out.splitlines() if "local step" in line]
        globals_ = [int(words[-1]) for words in lines]
        assert globals_ == sorted(globals_) and len(set(globals_)) == len(globals_)
        last.append((int(lines[-1][4].rstrip(",")), globals_[-1]))
    (local_0, global_0), (local_1, global_1) = last
    # each worker's own steps are in G, and so are many of the other's (both trained at
    # least 10 steps): a step per worker would leave G at about its own count
    assert global_0 >= local_0 - 1 and global_1 >= local_1 - 1
    assert max(global_0, global_1) >= max(local_0, local_1) + min(local_0, local_1) // 2
    for _, err in outputs[1:]:
        assert err.splitlines()[-1].startswith(
            "graphrnn-tf1: /job:ps/replica:0/task:0 stopped answering (")
        assert err.splitlines()[-1].endswith(
            "), so this task stops here instead of waiting for it forever.")
        assert "Traceback" not in err
    assert not (tmp_path / "w0.npz").exists() and not (tmp_path / "w1.npz").exists()


# an UnavailableError's message as a worker of the test above got it, when its ps died
LOST_PS = """Graph execution error:

From /job:worker/replica:0/task:1:
Socket closed
Additional GRPC error information from remote target /job:ps/replica:0/task:0 while \
calling /tensorflow.WorkerService/RecvTensor:
:UNKNOWN:Error received from peer  {grpc_status:14, grpc_message:"Socket closed"}
\t [[{{node global_step/cond/read/Switch_S99}}]]"""


def test_the_sentence_names_the_lost_task_and_the_script_gets_the_runners_optimizer():
    from graphrnn.compat import v1
    from graphrnn.tf1.runner import distributed, view

    assert distributed.lost_task_sentence(LOST_PS) == (
        "graphrnn-tf1: /job:ps/replica:0/task:0 stopped answering (Socket closed), so this "
        "task stops here instead of waiting for it forever.")
    assert distributed.lost_task_sentence("Socket closed").startswith(
        "graphrnn-tf1: a task of this cluster stopped answering, so")
    root = view.tf1_namespace()
    assert view.resolve(root, "tf.train.SyncReplicasOptimizer") is (
        distributed.SyncReplicasOptimizer)
    assert issubclass(distributed.SyncReplicasOptimizer, v1.train.SyncReplicasOptimizer)
    assert view.resolve(root, "tf.train.AdamOptimizer") is v1.train.AdamOptimizer
