"""The linear baseline every forecasting script reports beside persistence: a closed-form
ridge regression on the flattened input windows (the same scaled windows the network
sees), fitted on the training windows only, its strength chosen on the validation ones.
The same ridge on `own_lags` (the target's readings in the window and the calendar
columns) is the second, more serious linear baseline of the energy forecasts: with a
few inputs it overfits less than on every column of a long window. NumPy only.

Usage::

    ridge = fit_ridge(train_x, train_y, validation_x, validation_y)  # x (N, T, F), y (N, ...)
    predicted = ridge.predict(test_x)                                # (N, ...) like y
    lags = own_lags(train_x, features, "Appliances", CALENDAR)        # (N, T + C)
    ridge = fit_ridge_holding_out(train_x, train_y)  # no validation part: the last 20 %
"""

import dataclasses

import numpy as np

# the strengths tried, on the scaled data: 1e-4 (almost least squares) .. 1e4
ALPHAS = tuple(10.0 ** k for k in range(-4, 5))


@dataclasses.dataclass(frozen=True)
class Ridge:
    """y = flatten(x) @ weights + bias, reshaped to the targets' trailing shape."""

    alpha: float
    weights: np.ndarray  # (T * F, prod(target shape))
    bias: np.ndarray  # (prod(target shape),)
    target_shape: tuple  # a target's shape without the batch axis
    validation_mse: float

    def predict(self, inputs):
        flat = np.asarray(inputs, np.float64).reshape(len(inputs), -1)
        return (flat @ self.weights + self.bias).reshape((len(inputs),) + self.target_shape)


def fit_ridge(train_x, train_y, validation_x, validation_y, alphas=ALPHAS):
    """The Ridge of the alpha (from `alphas`) with the lowest validation MSE.

    Args:
      train_x, validation_x: (N, T, F) windows; train_y, validation_y: (N, ...) targets.
    The intercept is not penalised (the data is centred on the training means first).
    One eigendecomposition of X^T X serves every alpha.
    """
    x, y = _flat(train_x), _flat(train_y)
    x_mean, y_mean = x.mean(axis=0), y.mean(axis=0)
    xc, yc = x - x_mean, y - y_mean
    eigenvalues, vectors = np.linalg.eigh(xc.T @ xc)  # X^T X = V diag(s) V^T
    projected = vectors.T @ (xc.T @ yc)  # V^T X^T y
    val_x, val_y = _flat(validation_x), _flat(validation_y)
    best = None
    for alpha in alphas:
        # (X^T X + alpha I)^-1 X^T y = V diag(1 / (s + alpha)) V^T X^T y
        weights = vectors @ (projected / (eigenvalues + alpha)[:, None])
        bias = y_mean - x_mean @ weights
        mse = float(np.mean((val_x @ weights + bias - val_y) ** 2))
        if best is None or mse < best.validation_mse:
            best = Ridge(float(alpha), weights, bias, np.shape(train_y)[1:], mse)
    return best


def fit_ridge_holding_out(train_x, train_y, fraction=0.2, alphas=ALPHAS):
    """For data without a validation part (08_02): choose alpha on the last `fraction`
    of the training windows (they come in time order), then refit on all of them."""
    cut = len(train_x) - max(1, int(round(len(train_x) * fraction)))
    chosen = fit_ridge(train_x[:cut], train_y[:cut], train_x[cut:], train_y[cut:], alphas)
    refit = fit_ridge(train_x, train_y, train_x[cut:], train_y[cut:], (chosen.alpha,))
    return dataclasses.replace(refit, validation_mse=chosen.validation_mse)


def own_lags(windows, features, target, calendar=()):
    """The inputs of the second linear baseline, a ridge on the target's own history:
    each window's readings of `target` at every step (N, T), and at its last step the
    `calendar` columns that are among the features (N, C). Returns (N, T + C).

    windows: (N, T, F) with F in the order of `features` (names)."""
    windows = np.asarray(windows)
    extra = [features.index(name) for name in calendar if name in features]
    return np.concatenate([windows[:, :, features.index(target)], windows[:, -1, extra]],
                          axis=1)


def _flat(array):
    array = np.asarray(array, np.float64)
    return array.reshape(len(array), -1)
