"""The linear baseline (graphrnn.baseline): closed-form ridge on flattened windows, its
strength chosen on validation windows; checked against NumPy's least squares."""

import numpy as np
import pytest

from graphrnn import baseline


def windows(rng, n, steps=4, features=3):
    return rng.normal(size=(n, steps, features))


def lstsq_ridge(x, y, alpha):
    """Ridge by another road: least squares on [X_c; sqrt(alpha) I] w = [y_c; 0]."""
    x, y = x.reshape(len(x), -1), y.reshape(len(y), -1)
    xc, yc = x - x.mean(0), y - y.mean(0)
    stacked_x = np.vstack([xc, np.sqrt(alpha) * np.eye(x.shape[1])])
    stacked_y = np.vstack([yc, np.zeros((x.shape[1], y.shape[1]))])
    weights = np.linalg.lstsq(stacked_x, stacked_y, rcond=None)[0]
    return weights, y.mean(0) - x.mean(0) @ weights


def test_ridge_recovers_an_exact_linear_relation():
    rng = np.random.default_rng(0)
    x = windows(rng, 200)
    true_weights = rng.normal(size=(12, 2))
    y = (x.reshape(200, -1) @ true_weights + [0.5, -1.0]).reshape(200, 1, 2)
    ridge = baseline.fit_ridge(x[:150], y[:150], x[150:], y[150:], alphas=(1e-8,))
    np.testing.assert_allclose(ridge.weights, true_weights, atol=1e-5)
    np.testing.assert_allclose(ridge.bias, [0.5, -1.0], atol=1e-5)
    assert ridge.predict(x[150:]).shape == (50, 1, 2)
    np.testing.assert_allclose(ridge.predict(x[150:]), y[150:], atol=1e-5)


def test_each_alpha_is_the_closed_form_and_the_best_on_validation_wins():
    rng = np.random.default_rng(1)
    x = windows(rng, 120)
    y = x[:, -1, :1] * 2.0 + rng.normal(scale=1.0, size=(120, 1))  # noisy: alpha matters
    train, validation = slice(0, 80), slice(80, None)
    errors = {}
    for alpha in baseline.ALPHAS:
        weights, bias = lstsq_ridge(x[train], y[train], alpha)
        ridge = baseline.fit_ridge(x[train], y[train], x[validation], y[validation], (alpha,))
        np.testing.assert_allclose(ridge.weights, weights, atol=1e-8)
        np.testing.assert_allclose(ridge.bias, bias, atol=1e-8)
        errors[alpha] = np.mean((x[validation].reshape(40, -1) @ weights + bias
                                 - y[validation]) ** 2)
    best = baseline.fit_ridge(x[train], y[train], x[validation], y[validation])
    assert best.alpha == min(errors, key=errors.get)
    assert best.validation_mse == pytest.approx(min(errors.values()))
    assert len(set(np.round(list(errors.values()), 6))) > 1  # the strengths really differed


def test_without_a_validation_part_the_last_fifth_chooses_and_all_windows_fit():
    rng = np.random.default_rng(2)
    x = windows(rng, 100, steps=6, features=1)
    y = x[:, -1] + rng.normal(scale=0.5, size=(100, 1))
    ridge = baseline.fit_ridge_holding_out(x, y)
    chosen = baseline.fit_ridge(x[:80], y[:80], x[80:], y[80:])
    assert ridge.alpha == chosen.alpha and ridge.validation_mse == chosen.validation_mse
    weights, bias = lstsq_ridge(x, y, chosen.alpha)  # refit on all 100 windows
    np.testing.assert_allclose(ridge.weights, weights, atol=1e-8)
    np.testing.assert_allclose(ridge.bias, bias, atol=1e-8)


def test_own_lags_are_the_targets_readings_and_the_calendar_at_the_last_step():
    windows = np.arange(2 * 3 * 4, dtype=float).reshape(2, 3, 4)  # (N 2, T 3, F 4)
    features = ("T1", "Appliances", "hour_sin", "lights")
    lags = baseline.own_lags(windows, features, "Appliances", ("hour_sin", "hour_cos"))
    np.testing.assert_array_equal(lags, [[1, 5, 9, 10], [13, 17, 21, 22]])  # hour_cos absent
    assert baseline.own_lags(windows, features, "T1").shape == (2, 3)
