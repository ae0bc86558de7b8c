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
                lambda t: {"train", "validation", "test", "linear"} <= set(t))
    assert set(tags["train"]) == {"1_error_Wh/RMSE", "2_loss_on_scaled_data/MSE",
                                  "2_loss_on_scaled_data/RMSE", "3_training/learning_rate",
                                  "2_loss_on_scaled_data/regularisation_loss"}
    assert set(tags["validation"]) == {"1_error_Wh/RMSE", "2_loss_on_scaled_data/MSE",
                                       "2_loss_on_scaled_data/RMSE"}
    scalars = json.loads(get(f"{base}/data/plugin/scalars/scalars?run=validation"
                             "&tag=2_loss_on_scaled_data/MSE"))
    assert len(scalars) == 2  # one point per epoch: [wall_time, step, value]
    graph = get(f"{base}/data/plugin/graphs/graph?run=train&conversions=false")
    for scope in ("inputs", "recurrent_layer", "predictions", "Frobenius_regularization"):
        assert f'name: "{scope}/' in graph
    # the finished run's test metrics, each baseline's run, its summary as text, and the
    # hparams table
    assert set(tags["test"]) == {"1_error_Wh/RMSE", "1_error_Wh/test_MAE", "1_error_Wh/test_R2"}
    for run in ("persistence", "linear", "linear_on_own_lags"):
        assert set(tags[run]) == {"1_error_Wh/RMSE", "1_error_Wh/test_MAE"}
    text = json.loads(get(f"{base}/data/plugin/text/text?run=test&tag=run_summary"))
    assert "<td>test RMSE</td>" in text[0]["text"] and "<td>RNN_LAYERS</td>" in text[0]["text"]
    experiment = json.loads(get(f"{base}/data/plugin/hparams/experiment",
                                {"experimentName": ""}))
    assert {"RNN_LAYERS", "KEEP_PROBS", "QUICK", "INITIAL_LEARNING_RATE"} <= {
        info["name"] for info in experiment["hparamInfos"]}
    assert {"1_error_Wh/RMSE", "1_error_Wh/test_MAE"} <= {
        info["name"]["tag"] for info in experiment["metricInfos"]}


@uses_quick_runs
def test_every_tag_tensorboard_serves_has_a_description(server):
    base, process, _ = server
    poll(base, process, "/data/plugin/scalars/tags", lambda t: "linear_on_own_lags" in t)
    # graphrnn-board reads the logs with --load_fast=false: TensorBoard's default Rust data
    # server serves every description empty
    for plugin in ("scalars", "histograms", "images"):
        tags = json.loads(get(f"{base}/data/plugin/{plugin}/tags"))  # {run: {tag: info}}
        described = {(run, tag): info.get("description", "")
                     for run, by_tag in tags.items() for tag, info in by_tag.items()}
        assert described, plugin
        assert all(described.values()), [key for key, text in described.items() if not text]


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

# Time Series as drawn: its groups in order, each with the cards it shows (none while
# collapsed): a card's tag, the runs in its data table, its width, and for an image card
# the image's natural and displayed width.
TIME_SERIES = """
return Array.from(document.querySelectorAll('.card-group')).map(group => ({
  name: group.querySelector('.group-title').textContent.trim(),
  cards: Array.from(group.querySelectorAll('card-view')).map(card => {
    const title = card.querySelector('[title]');
    const image = card.querySelector('image-card img');
    return {tag: title ? title.getAttribute('title') : null,
            runs: Array.from(card.querySelectorAll('tb-data-table-content-row'))
                       .map(row => row.innerText.trim().split(/\\s+/)[0]),
            width: card.getBoundingClientRect().width,
            image: image && image.naturalWidth
                   ? [image.naturalWidth, image.getBoundingClientRect().width] : null};
  })}));
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
                 "--disable-component-update", "--window-size=1600,1200"):
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
        "train", "validation", "test", "persistence", "linear_on_own_lags", "1_error_Wh",
        "2_loss_on_scaled_data", "3_training", "RMSE", "MSE", "regularisation_loss",
        "test_MAE", "test_R2"])  # (the third group starts collapsed)

    names = [name for name in tf.train.load_checkpoint(str(run_dir / "checkpoints"))
             .get_variable_to_shape_map() if name.startswith(
                 ("recurrent_layer/", "predictions/", "Frobenius_regularization/"))]
    assert len(names) == 12  # two GRU cells (gates, candidate: kernel, bias), two dense layers
    dashboard(browser, base, "histograms", [  # short names; `weights` starts collapsed
        "biases/layer_1/candidate/bias", "gradients/layer_0/gates/kernel",
        "gradients/predictions/prediction/kernel",
        "gradients/Frobenius_regularization/dense/kernel", "weights"])

    dashboard(browser, base, "images", ["1_error_Wh/forecast"])
    deadline = time.monotonic() + WAIT_SECONDS
    while True:  # the card's title comes first; then the forecast image arrives, decoded
        widths = browser.execute_script(IMAGE_WIDTHS)
        if widths and max(widths) > 100:
            break
        assert time.monotonic() < deadline, f"no decoded forecast image, widths {widths}"
        time.sleep(0.5)

    metrics = json.loads((run_dir / "metrics.json").read_text())
    dashboard(browser, base, "hparams", [
        "RNN_LAYERS", "KEEP_PROBS", "QUICK", "INITIAL_LEARNING_RATE", "1_error_Wh/RMSE",
        f"{SCRIPT}/{run_dir.name}"])  # the run's row in the table names its script
    dashboard(browser, base, "text", ["run_summary", "test RMSE",
                                      f"{metrics['test_rmse']:.2f} Wh"])


@uses_quick_runs
def test_time_series_opens_on_the_error_in_wh_with_a_readable_forecast(server, browser):
    """What a reader sees first in TensorBoard 2.21's default dashboard, at 1600 x 1200."""
    base, process, _ = server
    poll(base, process, "/data/runs", lambda r: "linear_on_own_lags" in r)
    browser.get(f"{base}/?forceSVG=true#timeseries")
    deadline = time.monotonic() + WAIT_SECONDS
    while True:  # until the first group's cards have their runs and the image is decoded
        groups = browser.execute_script(TIME_SERIES)
        open_groups = [group for group in groups if group["cards"]]
        cards = {card["tag"]: card for card in open_groups[0]["cards"]} if open_groups else {}
        rmse, forecast = cards.get("1_error_Wh/RMSE"), cards.get("1_error_Wh/forecast")
        if rmse and len(rmse["runs"]) == 6 and forecast and forecast["image"]:
            break
        assert time.monotonic() < deadline, f"Time Series did not draw its first group: {groups}"
        time.sleep(0.5)
    # the groups in the order of the answer: the error, the loss, training, then histograms
    assert [group["name"] for group in groups] == [
        "1_error_Wh", "2_loss_on_scaled_data", "3_training", "biases", "gradients", "weights"]
    assert open_groups[0]["name"] == "1_error_Wh"
    assert open_groups[0]["cards"][0]["tag"] == "1_error_Wh/RMSE"  # the first card
    assert {run.rsplit("/", 1)[-1] for run in rmse["runs"]} == {
        "train", "validation", "test", "persistence", "linear", "linear_on_own_lags"}
    # the forecast drawn for the card: 960 px shrunk to the card's width, so that its 22-px
    # text (16 pt at 100 dpi) still shows at 10 px or more; the full-size forecast.png is
    # in the run folder
    natural, shown = forecast["image"]
    assert natural == 960
    assert shown >= 0.9 * forecast["width"] - 40 and shown * 22 / natural >= 10
