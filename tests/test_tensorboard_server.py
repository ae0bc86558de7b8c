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

from conftest import shared_quick_run, uses_quick_runs
from graphrnn.compat import tf

WAIT_SECONDS = 90


def tensorboard_command():
    """The command the scripts print, graphrnn-board, beside this Python (a venv's bin/),
    else the one on PATH."""
    beside = Path(sys.executable).parent / "graphrnn-board"
    return str(beside) if beside.is_file() else shutil.which("graphrnn-board")


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


SCRIPT = "04_03_rnn_l2"


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    """The shared quick run of 04_03 (conftest.quick_run)."""
    return shared_quick_run(SCRIPT, tmp_path_factory)[1]


@pytest.fixture(scope="module")
def server(run_dir, tmp_path_factory):
    """A TensorBoard server on the run folder, started as the scripts say (graphrnn-board),
    one for every test of this file (it takes 4-6 s to start); yields (base URL, process,
    the file its stderr goes to); always stopped."""
    command = tensorboard_command()
    if command is None:
        pytest.skip("the graphrnn-board command is not installed (pip install -e .)")
    port = free_port()
    stderr = tmp_path_factory.mktemp("tensorboard") / "stderr.txt"
    with open(stderr, "w") as errors:
        process = subprocess.Popen(
            [command, "--logdir", str(run_dir), "--host", "127.0.0.1", "--port", str(port),
             "--reload_interval", "1"],
            stdout=subprocess.DEVNULL, stderr=errors,
            env={k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"})
    try:
        yield f"http://127.0.0.1:{port}", process, stderr
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
def test_graphrnn_board_starts_without_tensorflows_cuda_noise(server):
    """Without a GPU, plain `tensorboard` prints C++ start-up lines and `E0000 ... failed
    call to cuInit: ... CUDA error`; the command the scripts print shows none of them."""
    base, process, stderr = server
    poll(base, process, "/data/runs", lambda runs: "train" in runs)
    text = stderr.read_text()
    assert "TensorBoard 2." in text  # its own line: where it serves
    for noise in ("cuInit", "CUDA error", "E0000", "I0000", "oneDNN"):
        assert noise not in text


@uses_quick_runs
def test_tensorboard_serves_runs_scalars_and_graph(server):
    base, process, _ = server
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
                              "linear_RMSE_Wh", "lag_linear_RMSE_Wh"}
    text = json.loads(get(f"{base}/data/plugin/text/text?run=test&tag=run_summary"))
    assert "<td>test RMSE</td>" in text[0]["text"] and "<td>RNN_LAYERS</td>" in text[0]["text"]
    experiment = json.loads(get(f"{base}/data/plugin/hparams/experiment",
                                {"experimentName": ""}))
    assert {"RNN_LAYERS", "KEEP_PROBS", "QUICK", "INITIAL_LEARNING_RATE"} <= {
        info["name"] for info in experiment["hparamInfos"]}
    assert {"RMSE_Wh", "linear_RMSE_Wh"} <= {
        info["name"]["tag"] for info in experiment["metricInfos"]}


# ------------------------------------------------------------ in a real browser

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"  # Debian's packages
# .ci/run sets this: there the browser test must run, never skip
REQUIRE_BROWSER = os.environ.get("GRAPHRNN_REQUIRE_BROWSER") == "1"

# Every element of the page, through the dashboards' shadow DOMs: its visible text, and
# the names of the graph dashboard's nodes (outside the function library).
PAGE_CONTENT = """
const text = [], nodes = [];
function walk(node) {
  if (node.nodeType === Node.TEXT_NODE) {
    const parent = node.parentNode ? node.parentNode.nodeName.toUpperCase() : '';
    if (parent !== 'STYLE' && parent !== 'SCRIPT' && node.textContent.trim())
      text.push(node.textContent.trim());
    return;
  }
  if (node.classList && node.classList.contains('node') && node.hasAttribute('data-name')
      && !node.closest('.function-library'))
    nodes.push(node.getAttribute('data-name'));
  if (node.shadowRoot) walk(node.shadowRoot);
  for (const child of node.childNodes) walk(child);
}
walk(document);
return {text: text.join('\\n'), nodes: nodes};
"""


# The natural widths of every <img> on the page, through the shadow DOMs (0: not decoded).
IMAGE_WIDTHS = """
const found = [];
(function walk(n) { if (n.tagName === 'IMG') found.push(n.naturalWidth);
  if (n.shadowRoot) walk(n.shadowRoot); for (const c of n.children) walk(c); })(document.body);
return found;
"""


@pytest.fixture
def browser():
    """Headless Chromium driven by Selenium; skips (or, in CI, fails) without it."""
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not os.path.exists(path)]
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        missing.append("the selenium package")
    if missing:
        reason = (f"no {' or '.join(missing)} (apt-get install chromium chromium-driver; "
                  "pip install selenium)")
        if REQUIRE_BROWSER:
            pytest.fail(f"GRAPHRNN_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    # root in CI: no sandbox; the closed network: no background connections
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--no-first-run", "--disable-background-networking", "--disable-sync",
                 "--disable-component-update", "--window-size=1400,1000"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def dashboard(driver, base, name, expected, graph_nodes=False):
    """Open a dashboard (forceSVG: headless Chromium draws WebGL charts blank) and wait
    until its text (or its graph's node names) holds every expected string; return it."""
    driver.get("about:blank")  # a fresh page: dashboards visited before keep their DOM
    driver.get(f"{base}/?forceSVG=true#{name}")
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        content = driver.execute_script(PAGE_CONTENT)
        shown = content["nodes"] if graph_nodes else content["text"]
        missing = [item for item in expected if item not in shown]
        if not missing:
            return shown
        if time.monotonic() > deadline:
            pytest.fail(f"the {name} dashboard did not show {missing} in {WAIT_SECONDS}s")
        time.sleep(0.5)


@uses_quick_runs
def test_tensorboard_in_headless_chromium_shows_the_runs_graph_and_tags(server, browser, run_dir):
    base, process, _ = server
    poll(base, process, "/data/runs", lambda r: {"train", "validation", "test"} <= set(r))
    # the graph dashboard: the tutorial's scopes, then the two of bookkeeping, nothing else
    scopes = ["inputs", "recurrent_layer", "Frobenius_regularization", "predictions", "loss",
              "training", "summaries", "checkpoints"]
    assert sorted(dashboard(browser, base, "graphs", scopes, graph_nodes=True)) == sorted(scopes)

    dashboard(browser, base, "scalars", [
        "train", "validation", "test", "MSE", "RMSE", "RMSE_Wh", "learning_rate", "global_step",
        "regularisation_loss", "MAE_Wh", "R2", "persistence_RMSE_Wh", "linear_RMSE_Wh"])

    names = [name for name in tf.train.load_checkpoint(str(run_dir / "checkpoints"))
             .get_variable_to_shape_map() if name.startswith(
                 ("recurrent_layer/", "predictions/", "Frobenius_regularization/"))]
    assert len(names) == 12  # two GRU cells (gates, candidate: kernel, bias), two dense layers
    dashboard(browser, base, "histograms",
              [f"{kind}/{name}" for kind in ("weights", "gradients") for name in names])

    dashboard(browser, base, "images", ["forecast"])
    deadline = time.monotonic() + WAIT_SECONDS
    while True:  # the card's title comes first; then the forecast image arrives, decoded
        widths = browser.execute_script(IMAGE_WIDTHS)
        if widths and max(widths) > 100:
            break
        assert time.monotonic() < deadline, f"no decoded forecast image, widths {widths}"
        time.sleep(0.5)

    metrics = json.loads((run_dir / "metrics.json").read_text())
    dashboard(browser, base, "hparams", [
        "RNN_LAYERS", "KEEP_PROBS", "QUICK", "INITIAL_LEARNING_RATE", "RMSE_Wh",
        "linear_RMSE_Wh", f"{SCRIPT}/"])  # the run's row in the table names its script
    dashboard(browser, base, "text", ["run_summary", "test RMSE",
                                      f"{metrics['test_rmse']:.2f} Wh"])
