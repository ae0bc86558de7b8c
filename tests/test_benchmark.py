"""scripts/benchmark.py --quick runs every mode and writes its table; speed itself is
never asserted (it is measured, and printed, by the benchmark)."""

import json
import math
import pytest

from conftest import SCRIPTS
from graphrnn import graph_holder


@pytest.mark.slow
def test_quick_benchmark_writes_a_table_of_every_mode(tmp_path, capsys):
    benchmark = graph_holder.load_script(SCRIPTS / "benchmark.py")
    table = tmp_path / "table.json"
    # a 4-step window: the same modes and table, built in a third of the time
    assert benchmark.main(["--quick", "--window", "4", "--json", str(table)]) == 0
    stdout = capsys.readouterr().out
    rows = json.loads(table.read_text())
    modes = [row["mode"] for row in rows]
    assert len(modes) == len(set(modes)) == 11
    graph_modes = [mode for mode in modes if mode.startswith("graph ")]
    assert len(graph_modes) == 6 and any("static_rnn" in m for m in graph_modes)
    assert any("tf.data" in m for m in graph_modes)
    assert {"eager shim", "Keras 3 train_on_batch", "Keras 3 tf.function step"} <= set(modes)
    fastest_other = min(r["ms_per_step"] for r in rows if not r["mode"].startswith("graph"))
    for row in rows:
        assert row["ms_per_step"] > 0 and math.isfinite(row["ms_per_step"])
        # --quick: 4 interleaved rounds of 5 timed steps; a mode whose timed steps pass
        # its 0.5 s budget (plain eager, ~100 ms a step; any mode on a loaded machine)
        # sits out the later rounds
        assert row["steps"] in (5, 10, 15, 20) and row["predict_windows_per_second"] > 0
        assert math.isclose(row["ratio_to_fastest_non_graph"],
                            row["ms_per_step"] / fastest_other)
    assert max(row["steps"] for row in rows) == 20  # the fast modes ran every round
    assert "fastest graph mode:" in stdout
    assert stdout.startswith("04_01 at a 4-step window: batch 64, 4 steps")


def test_benchmark_refuses_a_json_path_in_a_missing_folder_and_a_nonsense_window(tmp_path,
                                                                                 capsys):
    benchmark = graph_holder.load_script(SCRIPTS / "benchmark.py")
    assert benchmark.main(["--quick", "--json", str(tmp_path / "no" / "table.json")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.strip().endswith("does not exist")
    assert benchmark.main(["--quick", "--window", "0"]) == 2
    err = capsys.readouterr().err
    assert err == ("benchmark.py: error: --window must be between 1 and 96 (the static modes "
                   "unroll every step), got 0\n")
