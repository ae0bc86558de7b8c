"""Helpers for tests that run TF1 scripts through graphrnn-tf1.

Several scripts run in turn in one fresh process, each through runner.run_script (what
`graphrnn-tf1 script args` runs) from a fresh default graph: one TensorFlow start-up (5-8 s)
for all of them, in a process of their own, since the runner turns v2 behaviour off."""

import gzip
import json
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np

TF1_SCRIPTS = Path(__file__).resolve().parent / "tf1_scripts"  # TF1-era programs the tests run

IN_TURN = """
import json, os, sys
from graphrnn.tf1.runner import command as runner
from graphrnn.compat import v1
for folder, script, *arguments in json.loads(sys.argv[1]):
    os.chdir(folder)
    v1.reset_default_graph()
    argv, path = list(sys.argv), list(sys.path)
    if script == "-m":  # graphrnn-tf1 -m package.module arguments
        status = runner.run_module(arguments[0], arguments[1:])
    elif script == "--numpy2":  # graphrnn-tf1 --numpy2 script arguments
        status = runner.run_script(arguments[0], arguments[1:], keep_numpy1=False)
    else:
        status = runner.run_script(script, arguments)
    sys.stderr.flush()
    if (sys.argv, sys.path) != (argv, path):  # the runner gives back what it borrowed
        sys.exit("run_script left sys.argv or sys.path changed")
    print("@@ " + json.dumps([script, status]), file=sys.stderr, flush=True)
"""


def run_in_one_process(jobs):
    """jobs: [[folder, script, argument, ...]], script "-m" for a module run as python -m
    runs it, "--numpy2" for a script run under NumPy 2's rules. Returns [(exit status,
    stderr)] per job."""
    process = subprocess.run([sys.executable, "-c", IN_TURN, json.dumps(jobs)],
                             capture_output=True, text=True, timeout=600)
    results, chunk = [], []
    for line in process.stderr.splitlines(keepends=True):
        if line.startswith("@@ "):
            results.append((json.loads(line[3:])[1], "".join(chunk)))
            chunk = []
        else:
            chunk.append(line)
    assert len(results) == len(jobs), process.stderr
    return results


def write_mnist_files(folder, n_train=200, n_test=60, rows=8, cols=8, seed=0):
    """The four MNIST files (gzip IDX) of rows x cols uint8 images in which class k draws a
    bright row k % rows and a dimmer column (k // rows) % cols over faint noise: learnable
    in a few steps. Returns {"train": (images, labels), "t10k": (images, labels)}."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    arrays = {}
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        labels = rng.integers(0, 10, size=n).astype(np.uint8)
        images = rng.integers(0, 40, size=(n, rows, cols)).astype(np.uint8)
        for image, label in zip(images, labels):
            image[label % rows, :] = 200
            image[:, (label // rows) % cols] = 120
        with gzip.open(folder / f"{prefix}-images-idx3-ubyte.gz", "wb") as f:
            f.write(struct.pack(">IIII", 2051, n, rows, cols) + images.tobytes())
        with gzip.open(folder / f"{prefix}-labels-idx1-ubyte.gz", "wb") as f:
            f.write(struct.pack(">II", 2049, n) + labels.tobytes())
        arrays[prefix] = images, labels
    return arrays


def save_checkpoint(folder, build, compute=None):
    """A checkpoint and its .meta graph of what build() makes in a fresh graph, saved as
    folder/model.ckpt; its prefix, or (prefix, compute(session)) with compute given, run
    on the saved values. (In this process: graphs only, v2 behaviour stays.)"""
    from graphrnn.compat import tf, v1

    graph = tf.Graph()
    with graph.as_default():
        build()
        with v1.Session() as session:
            session.run(v1.global_variables_initializer())
            prefix = v1.train.Saver().save(session, str(folder / "model.ckpt"))
            return prefix if compute is None else (prefix, compute(session))
