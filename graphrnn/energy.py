"""The UCI "Appliances energy prediction" data: load, split, scale, window.

No TensorFlow here: arrays in, arrays out.

Usage::

    frame = load_energy()                         # built-in synthetic look-alike
    frame = load_energy("energydata_complete.csv")  # the real file
    data = prepare_energy(frame, config)
    data.train.inputs.shape   # (N, INPUT_SEQUENCE_LENGTH, features)
    data.train.targets.shape  # (N, OUTPUT_SEQUENCE_LENGTH, 1)

Every problem with the input raises DataError (a ValueError) with one sentence.
"""

import dataclasses
import os

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view

from graphrnn.data_common import DataError, Windows, split_points  # noqa: F401  (re-exported)

ENERGY_COLUMNS = (
    "date", "Appliances", "lights",
    "T1", "RH_1", "T2", "RH_2", "T3", "RH_3", "T4", "RH_4", "T5", "RH_5",
    "T6", "RH_6", "T7", "RH_7", "T8", "RH_8", "T9", "RH_9",
    "T_out", "Press_mm_hg", "RH_out", "Windspeed", "Visibility", "Tdewpoint", "rv1", "rv2",
)
DEFAULT_TARGET = "Appliances"
UNITS = {"Appliances": "Wh", "lights": "Wh"}  # energy use in the 10 minutes
REAL_ROWS = 19735
REAL_START = "2016-01-11 17:00:00"
BUILT_IN_SEED = 2016
# Date layouts tried in order: the UCI file's own, then spreadsheet re-saves (day first).
DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S")


# ---------------------------------------------------------------- synthetic data


def synthetic_energy(rows=REAL_ROWS, seed=BUILT_IN_SEED):
    """A deterministic look-alike of energydata_complete.csv with all 29 columns.

    10-minute readings from 2016-01-11 17:00. Outdoor weather follows a daily cycle,
    a slow warming from winter to spring and smooth random weather; indoor rooms follow
    the weather and occupancy; Appliances (Wh) follows a daily and weekly occupancy
    profile plus persistent noise plus short skewed spikes, rounded to 10 Wh like the
    real meter.
    """
    if isinstance(rows, bool) or not isinstance(rows, int) or rows < 2:
        raise DataError(f"the synthetic data needs at least 2 rows, got {rows!r}")
    rng = np.random.default_rng(seed)
    dates = pd.date_range(REAL_START, periods=rows, freq="10min")
    hour = np.asarray(dates.hour + dates.minute / 60.0)  # (rows,)
    weekend = np.asarray(dates.dayofweek >= 5)
    season = np.arange(rows) / REAL_ROWS  # 0 -> 1 over the real file's 4.5 months

    def ar1(persistence, scale):
        """AR(1) noise with stationary standard deviation `scale`, shape (rows,)."""
        shocks = rng.normal(0.0, scale * np.sqrt(1.0 - persistence**2), rows)
        out = np.empty(rows)
        out[0] = rng.normal(0.0, scale)
        for t in range(1, rows):  # one cheap pass; 20k steps
            out[t] = persistence * out[t - 1] + shocks[t]
        return out

    daily = np.sin(2 * np.pi * (hour - 9.0) / 24.0)  # peaks at 15:00
    weather = ar1(0.998, 3.0)  # fronts lasting days
    t_out = 2.0 + 12.0 * season + 4.0 * daily + weather
    rh_out = np.clip(80.0 - 2.5 * (t_out - t_out.mean()) + ar1(0.99, 6.0), 25.0, 100.0)
    press = 755.0 + ar1(0.999, 6.0)
    wind = np.clip(4.0 + ar1(0.99, 2.5), 0.0, 14.0)
    visibility = np.round(np.clip(40.0 + ar1(0.995, 10.0), 1.0, 66.0))
    dewpoint = t_out - (100.0 - rh_out) / 5.0

    # Occupancy in [0, 1]: mornings and evenings on weekdays, most of the day at weekends.
    morning = np.exp(-0.5 * ((hour - 7.5) / 1.0) ** 2)
    evening = np.exp(-0.5 * ((hour - 19.0) / 2.0) ** 2)
    midday = np.exp(-0.5 * ((hour - 13.0) / 2.5) ** 2)
    occupancy = np.clip(0.7 * morning + evening + np.where(weekend, 0.8, 0.15) * midday, 0, 1)
    dark = (hour < 8.0) | (hour > 17.0)
    # Lights switch in steps of 10 Wh and stay on for a while: a smoothed Poisson draw.
    lights = 10.0 * np.round(np.convolve(rng.poisson(2.5 * occupancy * dark), np.ones(6) / 6,
                                         "same"))

    spike_start = rng.random(rows) < 0.01 + 0.05 * occupancy
    spike_height = np.where(spike_start, rng.lognormal(5.3, 0.5, rows), 0.0)
    # A spike lasts 1-3 readings (kettle, oven, washing machine) and fades.
    spikes = spike_height + 0.5 * np.roll(spike_height, 1) + 0.2 * np.roll(spike_height, 2)
    appliances = 45.0 + 160.0 * occupancy + 10.0 * np.sqrt(lights) + ar1(0.6, 30.0) + spikes
    appliances = np.round(np.clip(appliances, 10.0, 1080.0), -1)

    columns = {"date": dates, "Appliances": appliances, "lights": lights}
    heating = 1.5 * occupancy
    for room in range(1, 10):
        if room == 6:  # T6 is the sensor outside the building (north side)
            temperature = t_out + 1.0 + ar1(0.95, 0.3)
            humidity = np.clip(rh_out - 5.0 + ar1(0.95, 3.0), 1.0, 100.0)
        else:
            temperature = (19.0 + 0.4 * (room % 4) + 0.15 * (t_out - 5.0) + heating
                           + ar1(0.99, 0.4))
            humidity = 40.0 + 0.1 * (rh_out - 80.0) - 0.8 * (temperature - 20.0) + ar1(0.99, 2.0)
            if room == 1:  # the kitchen: cooking steam
                humidity = humidity + 0.02 * spikes
        columns[f"T{room}"] = np.round(temperature, 2)
        columns[f"RH_{room}"] = np.round(humidity, 2)
    columns.update(
        T_out=np.round(t_out, 2), Press_mm_hg=np.round(press, 1), RH_out=np.round(rh_out, 1),
        Windspeed=np.round(wind, 1), Visibility=visibility, Tdewpoint=np.round(dewpoint, 2),
    )
    random_variable = rng.uniform(0.0, 50.0, rows)  # the real rv1 and rv2 are equal noise
    columns["rv1"] = random_variable
    columns["rv2"] = random_variable.copy()
    return pd.DataFrame(columns, columns=list(ENERGY_COLUMNS))


# ---------------------------------------------------------------- the real file


def _parse_dates(text, path):
    """Parse a column of date strings in the first layout that fits every row."""
    for layout in DATE_FORMATS:
        parsed = pd.to_datetime(text, format=layout, errors="coerce")
        if not parsed.isna().any():
            return parsed
    parsed = pd.to_datetime(text, format=DATE_FORMATS[0], errors="coerce")
    bad = int(np.flatnonzero(parsed.isna())[0])
    raise DataError(
        f"{path} has the date {text.iloc[bad]!r} on line {bad + 2}, which cannot be read: expected "
        "'2016-01-11 17:00:00' or a day-first spreadsheet date such as '14/02/2016 0:00'"
    )


def load_energy(path=None, rows=REAL_ROWS, seed=BUILT_IN_SEED):
    """Return the energy data as a DataFrame, oldest reading first.

    Args:
      path: energydata_complete.csv (or a re-saved copy); None for the built-in
        synthetic look-alike of `rows` rows made with `seed`.
    Returns:
      DataFrame with a datetime64 `date` column and the 28 numeric columns.
    Raises:
      DataError: missing file or columns, a header without rows, a separator other
        than commas, unreadable dates, non-numeric or missing cells, duplicate timestamps.
      Rows out of time order are sorted, and frame.attrs["resorted"] says so.
    """
    if path is None:
        return synthetic_energy(rows, seed)
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise DataError(f"no such data file: {path}")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else "empty file"
        raise DataError(f"{path} is not a readable CSV file ({first_line})") from None
    frame.columns = [str(name).strip() for name in frame.columns]
    if len(frame.columns) == 1:
        for separator, called in ((";", "semicolons"), ("\t", "tabs")):
            if separator in frame.columns[0]:
                raise DataError(f"{path} separates its columns with {called}; graphrnn reads "
                                "comma-separated files (save it as CSV with commas)")
    missing = [name for name in ENERGY_COLUMNS if name not in frame.columns]
    if missing:
        raise DataError(f"{path} lacks the column(s) {', '.join(missing)}")
    frame = frame[list(ENERGY_COLUMNS)].copy()
    if frame.empty:
        raise DataError(f"{path} has a header but no data rows")

    frame["date"] = _parse_dates(frame["date"].str.strip(), path)
    for name in ENERGY_COLUMNS[1:]:
        text = frame[name].str.strip()
        values = pd.to_numeric(text, errors="coerce")
        bad = np.flatnonzero(values.isna().to_numpy())
        if bad.size:
            row = int(bad[0])
            cell = text.iloc[row]
            what = ("an empty cell" if cell == "" else f"a missing value ({cell!r})"
                    if cell.lower() in ("na", "nan", "n/a", "null") else f"the value {cell!r}")
            raise DataError(
                f"{path} has {what} in column {name} on line {row + 2}; every cell must be a number"
            )
        frame[name] = values.astype(np.float64)

    duplicated = frame["date"].duplicated()
    if duplicated.any():
        when = frame["date"][duplicated].iloc[0]
        raise DataError(f"{path} has the timestamp {when} more than once")
    in_order = frame["date"].is_monotonic_increasing
    frame = frame.sort_values("date", kind="stable").reset_index(drop=True)
    frame.attrs["resorted"] = not in_order  # the scripts print a note when True
    return frame


# ---------------------------------------------------------------- split, scale, window


def split_chronological(frame, validation_fraction, test_fraction):
    """Cut the frame into (train, validation, test) parts in time order, no shuffling."""
    validation_start, test_start = split_points(len(frame), validation_fraction, test_fraction)
    return (frame.iloc[:validation_start], frame.iloc[validation_start:test_start],
            frame.iloc[test_start:])


@dataclasses.dataclass(frozen=True)
class MinMaxScaler:
    """Column-wise min-max scaling to [0, 1] with statistics of the training part only."""

    columns: tuple
    minimum: np.ndarray  # (columns,)
    maximum: np.ndarray  # (columns,)

    @classmethod
    def fit(cls, frame, columns):
        values = frame[list(columns)].to_numpy(np.float64)
        return cls(tuple(columns), values.min(axis=0), values.max(axis=0))

    @property
    def _span(self):
        span = self.maximum - self.minimum
        return np.where(span > 0, span, 1.0)  # a constant column maps to 0, not NaN

    def transform(self, frame):
        """(rows, columns) float32 array scaled to [0, 1] on the training range."""
        values = frame[list(self.columns)].to_numpy(np.float64)
        return ((values - self.minimum) / self._span).astype(np.float32)

    def inverse(self, scaled, column):
        """Undo the scaling of one column: scaled values (any shape) -> data units."""
        index = self.columns.index(column)
        return np.asarray(scaled, np.float64) * self._span[index] + self.minimum[index]


def make_windows(features, targets, input_length, output_length, steps_ahead, aligned=False):
    """Cut aligned input and target windows from one contiguous stretch of readings.

    Window i reads rows i .. i+input_length-1 and targets rows
    i+input_length-1+steps_ahead .. (+output_length-1): the steps after the window.
    With aligned=True (many to many) it targets rows i+steps_ahead ..
    (+output_length-1): target step t is steps_ahead rows after input step t.

    Args:
      features: (rows, F) array.  targets: (rows, G) array.
    Returns:
      inputs (N, input_length, F), outputs (N, output_length, G), first_target_row (N,)
    """
    first_offset = steps_ahead if aligned else input_length - 1 + steps_ahead
    count = min(len(features) - input_length + 1,
                len(features) - first_offset - output_length + 1)
    if count < 1:
        needed = max(input_length, first_offset + output_length)
        raise DataError(
            f"a window of {input_length} input steps, {steps_ahead} step(s) ahead and "
            f"{output_length} output step(s) needs {needed} rows, "
            f"but this part of the data has {len(features)}"
        )
    # sliding_window_view puts the window axis last: (rows-L+1, F, L) -> (N, L, F)
    inputs = sliding_window_view(features, input_length, axis=0)[:count].transpose(0, 2, 1)
    outputs = sliding_window_view(targets, output_length, axis=0)
    outputs = outputs[first_offset:first_offset + count].transpose(0, 2, 1)
    rows = np.arange(count) + first_offset
    return np.ascontiguousarray(inputs), np.ascontiguousarray(outputs), rows


@dataclasses.dataclass(frozen=True)
class EnergyData:
    """Train / validation / test windows and the scaler that made them."""

    features: tuple
    target_columns: tuple
    scaler: MinMaxScaler
    train: Windows
    validation: Windows
    test: Windows
    scaled = True  # the model sees min-max scaled values

    def to_units(self, scaled, target=0):
        """Scaled target values (any shape) -> the data's own units (Wh for Appliances)."""
        return self.scaler.inverse(scaled, self.target_columns[target])

    @property
    def unit(self):
        """The first target's unit ("Wh"), or "" when the column has none."""
        return UNITS.get(self.target_columns[0], "")


CALENDAR = ("hour_sin", "hour_cos", "weekday_sin", "weekday_cos")


def with_calendar(frame):
    """The frame with the CALENDAR columns: the time of day and the day of the week of
    each reading's timestamp as points on a circle (sine and cosine), so that 23:50 sits
    next to 00:00 and Sunday next to Monday."""
    dates = pd.DatetimeIndex(frame["date"])
    hour = 2 * np.pi * (dates.hour + dates.minute / 60.0) / 24.0
    weekday = 2 * np.pi * (dates.day_of_week + hour / (2 * np.pi)) / 7.0  # Monday 0:00 is 0
    return frame.assign(hour_sin=np.sin(hour), hour_cos=np.cos(hour),
                        weekday_sin=np.sin(weekday), weekday_cos=np.cos(weekday))


def prepare_energy(frame, config, target=DEFAULT_TARGET, features=None, every_step=False):
    """Split, scale (training statistics only) and window the data for a config.

    Args:
      frame: from load_energy.  config: a graphrnn.config.Config.
      target: the column to predict.  features: input columns; default
        config.INPUT_COLUMNS (and the calendar), or when that is empty every numeric
        column, the target's own history included.
      every_step: many-to-many windows (05_01): a target for every input step, the
        reading OUTPUT_SEQUENCE_STEPS_AHEAD rows later; persistence at step t is the
        target's reading at input step t (the last one seen there).
    With config.CALENDAR_FEATURES the CALENDAR columns join the frame (and the default
    features) first.
    """
    if config.CALENDAR_FEATURES:
        frame = with_calendar(frame)
    if features is None and config.INPUT_COLUMNS:  # the chosen columns, and the calendar
        features = config.INPUT_COLUMNS + (CALENDAR if config.CALENDAR_FEATURES else ())
    numeric = [name for name in frame.columns if name != "date"]
    features = tuple(numeric if features is None else features)
    for name in features + (target,):
        if name not in numeric:
            raise DataError(f"unknown column {name!r}; the numeric columns are "
                            f"{', '.join(numeric)}")
    if target not in features:
        raise DataError(f"the target {target!r} must also be an input feature for persistence")

    parts = split_chronological(frame, config.VALIDATION_FRACTION, config.TEST_FRACTION)
    names = ("train", "validation", "test")
    for name, part in zip(names, parts):
        if len(part) == 0:
            raise DataError(f"the {name} part is empty: {len(frame)} rows are too few to split")
    scaler = MinMaxScaler.fit(parts[0], features)
    target_index = features.index(target)

    def windows(part, name):
        scaled = scaler.transform(part)  # (rows, F)
        try:
            inputs, outputs, rows = make_windows(
                scaled, scaled[:, [target_index]], config.INPUT_SEQUENCE_LENGTH,
                config.OUTPUT_SEQUENCE_LENGTH, config.OUTPUT_SEQUENCE_STEPS_AHEAD, every_step)
        except DataError as error:
            raise DataError(f"too few rows for one {name} window: {error}") from None
        steps = np.arange(config.OUTPUT_SEQUENCE_LENGTH)
        timestamps = part["date"].to_numpy()[rows[:, None] + steps]  # (N, T_out)
        if every_step:
            persistence = inputs[:, :, [target_index]]  # (N, T, 1): each step's own reading
        else:
            last_seen = inputs[:, -1:, [target_index]]  # (N, 1, 1)
            persistence = np.repeat(last_seen, config.OUTPUT_SEQUENCE_LENGTH, axis=1)
        return Windows(inputs, outputs, timestamps, persistence)

    return EnergyData(features, (target,), scaler,
                      *(windows(part, name) for part, name in zip(parts, names)))
