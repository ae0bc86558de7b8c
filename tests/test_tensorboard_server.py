"""TensorBoard as a user sees it: the real server on a run folder written by a script."""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import uses_quick_runs

WAIT_SECONDS = 90


def tensorboard_command():
    """The tensorboard script beside this Python (a venv's bin/), else the one on PATH."""
    beside = Path(sys.executable).parent / "tensorboard"
    return str(beside) if beside.is_file() else shutil.which("tensorboard")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url, body=None):
    """The answer to a GET (or, with a JSON body, a POST) as text."""
    request = urllib.request.Request(
        url, data=None if body is None else json.dumps(body).encode("utf-8"),
        headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read().decode("utf-8")


@pytest.fixture
def run_dir(quick_run):
    return quick_run[1]


@pytest.fixture
def server(run_dir):
    """A TensorBoard server on the run folder; yields its base URL; always stopped."""
    command = tensorboard_command()
    if command is None:
        pytest.skip("the tensorboard command is not installed")
    port = free_port()
    process = subprocess.Popen(
        [command, "--logdir", str(run_dir), "--host", "127.0.0.1", "--port", str(port),
         "--reload_interval", "1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"})
    try:
        yield f"http://127.0.0.1:{port}", process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def poll(base, process, path, ready):
    """GET base+path until ready(parsed JSON) or WAIT_SECONDS pass; return the JSON."""
    deadline = time.monotonic() + WAIT_SECONDS
    last = None
    while time.monotonic() < deadline:
        assert process.poll() is None, "tensorboard exited early"
        try:
            last = json.loads(get(base + path))
            if ready(last):
                return last
        except (urllib.error.URLError, ConnectionError, json.JSONDecodeError):
            pass
        time.sleep(0.5)
    pytest.fail(f"tensorboard did not serve {path} in {WAIT_SECONDS}s (last answer: {last})")


@uses_quick_runs
@pytest.mark.parametrize("quick_run", ["04_03_rnn_l2"], indirect=True)
def test_tensorboard_serves_runs_scalars_and_graph(server):
    base, process = server
    runs = poll(base, process, "/data/runs", lambda r: {"train", "validation"} <= set(r))
    assert {"train", "validation"} <= set(runs)
    tags = poll(base, process, "/data/plugin/scalars/tags",
                lambda t: {"train", "validation"} <= set(t))
    for run in ("train", "validation"):
        assert {"learning_rate", "global_step", "MSE", "RMSE", "RMSE_Wh",
                "regularisation_loss"} <= set(tags[run])
    scalars = json.loads(get(f"{base}/data/plugin/scalars/scalars?run=validation&tag=MSE"))
    assert len(scalars) == 2  # one point per epoch: [wall_time, step, value]
    graph = get(f"{base}/data/plugin/graphs/graph?run=train&conversions=false")
    for scope in ("inputs", "recurrent_layer", "predictions", "Frobenius_regularization"):
        assert f'name: "{scope}/' in graph
    # the finished run's test metrics, its summary as text, and the hparams table
    test_tags = json.loads(get(f"{base}/data/plugin/scalars/tags"))["test"]
    assert set(test_tags) == {"RMSE_Wh", "MAE_Wh", "R2", "persistence_RMSE_Wh",
                              "linear_RMSE_Wh"}
    text = json.loads(get(f"{base}/data/plugin/text/text?run=test&tag=run_summary"))
    assert "<td>test_rmse</td>" in text[0]["text"] and "<td>RNN_LAYERS</td>" in text[0]["text"]
    experiment = json.loads(get(f"{base}/data/plugin/hparams/experiment",
                                {"experimentName": ""}))
    assert {"RNN_LAYERS", "KEEP_PROBS", "QUICK", "INITIAL_LEARNING_RATE"} <= {
        info["name"] for info in experiment["hparamInfos"]}
    assert {"RMSE_Wh", "linear_RMSE_Wh"} <= {
        info["name"]["tag"] for info in experiment["metricInfos"]}
