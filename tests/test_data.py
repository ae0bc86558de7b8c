import numpy as np
import pandas as pd
import pytest

from graphrnn import energy
from graphrnn.config import Config


# ------------------------------------------------------------ the built-in data

def test_synthetic_data_has_the_real_files_shape_and_columns():
    frame = energy.load_energy()
    assert list(frame.columns) == list(energy.ENERGY_COLUMNS) and len(frame.columns) == 29
    assert len(frame) == 19735
    assert frame["date"].iloc[0] == pd.Timestamp("2016-01-11 17:00:00")
    assert (frame["date"].diff().iloc[1:] == pd.Timedelta(minutes=10)).all()
    assert frame.drop(columns="date").notna().all().all()


def test_synthetic_data_is_deterministic_for_a_seed(small_frame):
    pd.testing.assert_frame_equal(small_frame, energy.load_energy(rows=2000))
    other = energy.load_energy(rows=2000, seed=7)
    assert not np.allclose(other["Appliances"], small_frame["Appliances"])


def test_synthetic_appliances_is_skewed_and_follows_the_day():
    frame = energy.load_energy()
    appliances = frame["Appliances"]
    assert appliances.min() >= 10 and (appliances % 10 == 0).all()  # a 10 Wh meter
    assert appliances.mean() > appliances.median()  # long right tail of spikes
    assert appliances.max() > 5 * appliances.median()
    by_hour = appliances.groupby(frame["date"].dt.hour).mean()
    assert by_hour[19] > 1.5 * by_hour[3]  # evenings busy, nights quiet
    weekend = frame["date"].dt.dayofweek >= 5
    midday = frame["date"].dt.hour.between(11, 14)
    assert appliances[weekend & midday].mean() > appliances[~weekend & midday].mean()
    # outdoor temperature: warmer in the afternoon and in May than in January
    t_out = frame["T_out"]
    assert t_out.groupby(frame["date"].dt.hour).mean()[15] > t_out.groupby(
        frame["date"].dt.hour).mean()[4]
    assert t_out[frame["date"].dt.month == 5].mean() > t_out[frame["date"].dt.month == 1].mean()


# ------------------------------------------------------------ windows

def test_make_windows_offsets_on_a_counting_series():
    rows = 20
    features = np.arange(rows * 2, dtype=np.float32).reshape(rows, 2)  # row r: [2r, 2r+1]
    targets = np.arange(rows, dtype=np.float32).reshape(rows, 1) * 100  # row r: 100r
    inputs, outputs, first_rows = energy.make_windows(features, targets, 4, 2, 3)
    # window i reads rows i..i+3 and targets rows i+3+3, i+3+3+1
    assert inputs.shape == (20 - 6 - 2 + 1, 4, 2) and outputs.shape == (13, 2, 1)
    for i in range(len(inputs)):
        np.testing.assert_array_equal(inputs[i], features[i:i + 4])
        np.testing.assert_array_equal(outputs[i, :, 0], [100 * (i + 6), 100 * (i + 7)])
    np.testing.assert_array_equal(first_rows, np.arange(13) + 6)


def test_make_windows_rejects_a_window_longer_than_the_data():
    with pytest.raises(energy.DataError, match="needs 11 rows.*has 10"):
        energy.make_windows(np.zeros((10, 1)), np.zeros((10, 1)), 10, 1, 1)


def test_prepare_scales_with_training_statistics_only(small_frame):
    config = Config(INPUT_SEQUENCE_LENGTH=6, OUTPUT_SEQUENCE_STEPS_AHEAD=1)
    prepared = energy.prepare_energy(small_frame, config)
    train_rows = len(small_frame) - 2 * round(len(small_frame) * 0.15)
    train_part = small_frame.iloc[:train_rows].drop(columns="date")
    np.testing.assert_allclose(prepared.scaler.minimum, train_part.min().to_numpy())
    np.testing.assert_allclose(prepared.scaler.maximum, train_part.max().to_numpy())
    assert prepared.train.inputs.min() == 0.0 and prepared.train.inputs.max() == 1.0
    # later parts are scaled with the same numbers, so they may leave [0, 1]
    whole = small_frame.drop(columns="date")
    assert (whole.iloc[train_rows:].max() > train_part.max()).any()
    assert prepared.test.inputs.max() > 1.0 or prepared.test.inputs.min() < 0.0
    # and the inverse brings Wh back
    first_target = small_frame["Appliances"].iloc[6]  # after the first 6-step window
    assert prepared.to_units(prepared.train.targets[0, 0, 0]) == pytest.approx(first_target)


def test_prepare_is_chronological_and_aligned(small_frame):
    config = Config(INPUT_SEQUENCE_LENGTH=6, OUTPUT_SEQUENCE_STEPS_AHEAD=3,
                    OUTPUT_SEQUENCE_LENGTH=2)
    prepared = energy.prepare_energy(small_frame, config)
    parts = [prepared.train, prepared.validation, prepared.test]
    for part in parts:
        assert part.inputs.shape[1:] == (6, 28) and part.targets.shape[1:] == (2, 1)
        assert (np.diff(part.timestamps[:, 0]) == np.timedelta64(10, "m")).all()
    assert parts[0].timestamps.max() < parts[1].timestamps.min()
    assert parts[1].timestamps.max() < parts[2].timestamps.min()
    # window 0 of the test part: targets 6-1+3 and 6-1+3+1 rows after the part's start
    test_start = len(small_frame) - round(len(small_frame) * 0.15)
    expected = small_frame["date"].iloc[[test_start + 8, test_start + 9]].to_numpy()
    np.testing.assert_array_equal(prepared.test.timestamps[0], expected)
    # persistence repeats the last observed Appliances reading of the input window
    last_seen = small_frame["Appliances"].iloc[test_start + 5]
    assert prepared.to_units(prepared.test.persistence[0, :, 0]) == pytest.approx([last_seen] * 2)


def test_calendar_columns_put_time_of_day_and_weekday_on_circles():
    dates = pd.to_datetime(["2016-01-11 00:00", "2016-01-11 06:00", "2016-01-13 12:00",
                            "2016-01-17 23:50"])  # Monday 0:00, 6:00, Wednesday noon, Sunday
    frame = energy.with_calendar(pd.DataFrame({"date": dates, "Appliances": [1, 2, 3, 4]}))
    assert list(frame.columns) == ["date", "Appliances", *energy.CALENDAR]
    np.testing.assert_allclose(frame["hour_sin"], [0, 1, 0, np.sin(2 * np.pi * 23.833 / 24)],
                               atol=1e-4)
    np.testing.assert_allclose(frame["hour_cos"][:3], [1, 0, -1], atol=1e-12)
    # the week as a circle: Wednesday noon is 2.5 days in, Sunday 23:50 just before Monday
    angle = 2 * np.pi * 2.5 / 7
    assert (frame["weekday_sin"][2], frame["weekday_cos"][2]) == pytest.approx(
        (np.sin(angle), np.cos(angle)))
    assert (frame["weekday_sin"][3], frame["weekday_cos"][3]) == pytest.approx((0, 1), abs=0.01)


def test_calendar_features_join_the_inputs_when_configured(small_frame):
    config = Config(INPUT_SEQUENCE_LENGTH=6, CALENDAR_FEATURES=True)
    prepared = energy.prepare_energy(small_frame, config)
    assert prepared.features[-4:] == energy.CALENDAR and len(prepared.features) == 32
    assert prepared.train.inputs.shape[2] == 32
    hour_cos = prepared.train.inputs[:, -1, prepared.features.index("hour_cos")]
    assert hour_cos.min() == pytest.approx(0.0) and hour_cos.max() == pytest.approx(1.0)
    # the other columns, targets and persistence are what they are without the calendar
    plain = energy.prepare_energy(small_frame, config.replace(CALENDAR_FEATURES=False))
    np.testing.assert_array_equal(prepared.train.inputs[:, :, :28], plain.train.inputs)
    np.testing.assert_array_equal(prepared.test.targets, plain.test.targets)
    np.testing.assert_array_equal(prepared.test.persistence, plain.test.persistence)


def test_input_columns_choose_the_inputs_and_the_calendar_follows(small_frame):
    config = Config(INPUT_SEQUENCE_LENGTH=6, CALENDAR_FEATURES=True,
                    INPUT_COLUMNS=("Appliances", "lights"))
    prepared = energy.prepare_energy(small_frame, config)
    assert prepared.features == ("Appliances", "lights") + energy.CALENDAR
    every = energy.prepare_energy(small_frame, config.replace(INPUT_COLUMNS=()))
    chosen = [every.features.index(name) for name in prepared.features]
    np.testing.assert_allclose(prepared.train.inputs, every.train.inputs[:, :, chosen])
    np.testing.assert_array_equal(prepared.test.targets, every.test.targets)
    with pytest.raises(energy.DataError, match="unknown column 'Watts'"):
        energy.prepare_energy(small_frame, config.replace(INPUT_COLUMNS=("Watts",)))


def test_prepare_rejects_unknown_columns_and_short_data(small_frame):
    with pytest.raises(energy.DataError, match="unknown column 'Watts'"):
        energy.prepare_energy(small_frame, Config(), target="Watts")
    with pytest.raises(energy.DataError, match="too few rows for one validation window"):
        energy.prepare_energy(small_frame.iloc[:300], Config(INPUT_SEQUENCE_LENGTH=60))


# ------------------------------------------------------------ the real file's format

@pytest.fixture
def csv_frame(small_frame):
    """The first 200 rows as the UCI file writes them: every cell text."""
    frame = small_frame.iloc[:200].copy()
    frame["date"] = frame["date"].dt.strftime("%Y-%m-%d %H:%M:%S")
    return frame


def write(tmp_path, frame, name="energy.csv"):
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return path


def test_real_loader_reads_the_uci_layout(tmp_path, csv_frame, small_frame):
    loaded = energy.load_energy(write(tmp_path, csv_frame))
    expected = small_frame.iloc[:200].reset_index(drop=True)
    pd.testing.assert_frame_equal(loaded, expected, check_exact=False, rtol=1e-12)


def test_real_loader_reads_day_first_spreadsheet_dates_and_sorts(tmp_path):
    header = ",".join(energy.ENERGY_COLUMNS)
    values = ",".join(["1"] * 28)
    text = (f"{header}\n14/02/2016 0:10,{values}\n14/02/2016 0:00,{values}\n"
            f"03/01/2016 17:00,{values}\n")
    path = tmp_path / "resaved.csv"
    path.write_text(text)
    loaded = energy.load_energy(path)
    assert list(loaded["date"]) == [pd.Timestamp("2016-01-03 17:00"),
                                    pd.Timestamp("2016-02-14 00:00"),
                                    pd.Timestamp("2016-02-14 00:10")]
    assert loaded["Appliances"].dtype == np.float64


@pytest.mark.parametrize("column, value, message", [
    ("Appliances", "abc", "the value 'abc' in column Appliances on line 3"),
    ("T1", "", "an empty cell in column T1 on line 3"),
    ("date", "2016-01-11 17:00:00", "the timestamp 2016-01-11 17:00:00 more than once"),
    ("date", "yesterday", "the date 'yesterday' on line 3, which cannot be read"),
])
def test_real_loader_rejects_bad_cells_with_one_sentence(tmp_path, csv_frame, column, value,
                                                         message):
    csv_frame = csv_frame.astype({column: object})
    csv_frame.loc[1, column] = value  # the second data row is line 3 of the file
    with pytest.raises(energy.DataError, match=message) as caught:
        energy.load_energy(write(tmp_path, csv_frame))
    assert "\n" not in str(caught.value)


def test_real_loader_rejects_missing_columns(tmp_path, csv_frame):
    path = write(tmp_path, csv_frame.drop(columns=["rv2", "T3"]))
    with pytest.raises(energy.DataError, match="lacks the column\\(s\\) T3, rv2"):
        energy.load_energy(path)


def test_real_loader_rejects_missing_and_unreadable_files(tmp_path):
    with pytest.raises(energy.DataError, match="no such data file: .*nothing.csv"):
        energy.load_energy(tmp_path / "nothing.csv")
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(energy.DataError, match="not a readable CSV"):
        energy.load_energy(tmp_path / "empty.csv")
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\xff\xfe\x00garbage\x00\n")
    with pytest.raises(energy.DataError):
        energy.load_energy(binary)
