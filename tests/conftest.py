"""Shared fixtures. graphrnn.compat is imported first, so TensorFlow loads with legacy Keras."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

import graphrnn  # noqa: F401  (sets TF_USE_LEGACY_KERAS before anything imports TensorFlow)
from graphrnn import data as energy
from graphrnn.config import Config

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ROOT / "scripts"


@pytest.fixture(scope="session")
def small_frame():
    """2,000 rows of the built-in data: enough for every split of a small window."""
    return energy.load_energy(rows=2000)


@pytest.fixture
def tiny_config():
    return Config(INPUT_SEQUENCE_LENGTH=6, RNN_LAYERS=[{"units": 5}, {"units": 3}],
                  DROPOUT_RATE=0.5, INITIAL_LEARNING_RATE=0.1, EPOCHS=2, BATCH_SIZE=32)


def run_script(name, *args, cwd):
    """Run scripts/<name>.py in a fresh Python; returns the CompletedProcess."""
    env = {k: v for k, v in os.environ.items() if k != "TF_USE_LEGACY_KERAS"}
    return subprocess.run([sys.executable, str(SCRIPTS / f"{name}.py"), *args], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=600)
