"""A linear probe on frozen features: multinomial logistic regression, the regularisation strength chosen
on a validation split, never on test. The objective is scikit-learn's LogisticRegression (L2, unpenalised
bias) with its convergence test, minimised by preconditioned L-BFGS-B on float32 numpy (see _fit_path):
on this machine sklearn's lbfgs took 194 s for 2,000 x 1,280 features over 5 values of C
(tests/models/test_linear_probe.py compares the two fits).

No leakage, enforced: the probe refuses to fit when any validation or test image (by pixel content
digest, features.image_digests) is also a training image, or any test image is a validation image.
Features are standardised with the training split's mean and std only. After C is chosen (highest
validation accuracy; on a tie the stronger regularisation), the probe is the one fitted on the
training split with that C: validation data never trains it, test data never touches it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np

from snellen.schema import SnellenError

DEFAULT_CS = (0.001, 0.01, 0.1, 1.0, 10.0)
# Part of the probe backends' identity: fits from another solver or stopping rule are never reused from the store
SOLVER = "K-FAC-preconditioned L-BFGS-B, float32, stop at max |gradient| <= 1e-4"


def _fit_path(Z: np.ndarray, y: np.ndarray, k: int, Cs, tol: float, max_iter: int):
    """Minimise sklearn's LogisticRegression objective, mean cross-entropy + ||W||^2 / (2 C N) with the bias
    unpenalised, for each C in order (each warm-started from the last). Yields (C, (D+1) x k weights,
    converged, iterations, max |gradient|); converged means sklearn's own test, max |gradient| <= tol.

    Why not plain L-BFGS: correlated features make the problem ill-conditioned (Fashion-MNIST pixels: every
    C hit 100 iterations, 1,443 s). scipy's L-BFGS-B runs in preconditioned coordinates W = U (V * M) Q^T,
    where the feature covariance S = U diag(s) U^T (a seeded subset of rows when D is large: it only shapes
    the steps, the objective and the gradient test use every row; with 784 pixels a 10,000-row subset took
    1.3-4.6x the iterations of all 54,000) and the mean softmax Hessian over the data A = Q diag(a)
    Q^T give M = (s a^T + lambda)^(-1/2), a Kronecker approximation of the Hessian (as K-FAC). Float32 numpy
    for the two data passes per evaluation."""
    from scipy.optimize import minimize

    Z = np.ascontiguousarray(Z, dtype=np.float32)
    n, d = Z.shape
    cap = max(10_000, int(5e10 / d ** 2))  # the covariance costs N D^2: all rows up to ~50 GFLOP, a seeded subset beyond
    Zs = Z[np.sort(np.random.default_rng(0).choice(n, cap, replace=False))] if n > cap else Z
    s, U = np.linalg.eigh((Zs.T @ Zs).astype(np.float64) / len(Zs))
    s, U = np.maximum(s, 0.0), U.astype(np.float32)
    Y = np.zeros((n, k), np.float32)
    Y[np.arange(n), y] = 1.0
    W, b = np.zeros((d, k), np.float32), np.zeros(k, np.float32)

    def softmax(W, b):
        L = Z @ W + b
        L -= L.max(axis=1, keepdims=True)
        E = np.exp(L)
        tot = E.sum(axis=1, keepdims=True)
        return L, E / tot, np.log(tot[:, 0])

    for C in Cs:
        lam = 1.0 / (C * n)
        _, p, _ = softmax(W, b)
        a, Q = np.linalg.eigh(np.diag(p.mean(axis=0)).astype(np.float64) - (p.T @ p).astype(np.float64) / n)
        Q = Q.astype(np.float32)
        M = ((np.outer(s, np.maximum(a, 0.0)) + lam) ** -0.5).astype(np.float32)
        Mb = ((np.maximum(a, 0.0) + 1e-3) ** -0.5).astype(np.float32)  # the bias only sees A (features are centred)
        last = {}

        def weights(theta):
            V = theta[: d * k].reshape(d, k).astype(np.float32)
            return U @ (V * M) @ Q.T, (theta[d * k:].astype(np.float32) * Mb) @ Q.T

        def objective(theta):
            W, b = weights(theta)
            L, p, logz = softmax(W, b)
            ce = float(np.mean(logz - L[np.arange(n), y], dtype=np.float64))
            G = (p - Y) / n
            gW = (G.T @ Z).T + lam * W
            gb = G.sum(axis=0)
            last["gmax"] = float(max(np.abs(gW).max(), np.abs(gb).max()))
            gV = (U.T @ gW @ Q) * M
            loss = ce + 0.5 * lam * float(np.dot(W.ravel(), W.ravel()))
            return loss, np.concatenate([gV.ravel(), (gb @ Q) * Mb]).astype(np.float64)

        def stop_at_tolerance(_):
            if last["gmax"] <= tol:
                raise StopIteration

        theta0 = np.concatenate([((U.T @ W @ Q) / M).ravel(), (b @ Q) / Mb]).astype(np.float64)
        last["gmax"] = np.inf
        objective(theta0)
        if last["gmax"] <= tol:  # the warm start already meets the test
            yield C, np.vstack([W, b]), True, 0, last["gmax"]
            continue
        res = minimize(objective, theta0, jac=True, method="L-BFGS-B", callback=stop_at_tolerance,
                       options={"maxiter": max_iter, "maxcor": 20, "gtol": 0.0, "ftol": 0.0, "maxls": 50})
        objective(res.x)  # the gradient test at the point returned, not at the last trial step
        W, b = weights(res.x)
        yield C, np.vstack([W, b]).astype(np.float32), last["gmax"] <= tol, int(res.nit), last["gmax"]


class LeakageError(SnellenError):
    """An image of one split is also in another that must stay apart."""


def check_disjoint(**splits: np.ndarray | None) -> None:
    """Digests (N x 16) of train, val and test: every pair must be disjoint. Names the first culprit."""
    names = [k for k, v in splits.items() if v is not None]
    sets = {k: {bytes(r) for r in splits[k]} for k in names}
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            both = sets[a] & sets[b]
            if both:
                first = next(j for j, r in enumerate(splits[b]) if bytes(r) in both)
                raise LeakageError(f"{len(both)} {b} image(s) are also {a} images (first: {b} #{first}); "
                                   f"a probe trained on them would be tested on what it saw")


def split_off_validation(keys: list[str], fraction: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(train indices, val indices): a seeded pick by item key, stable whatever the order or subset."""
    if not 0 < fraction < 1:
        raise SnellenError(f"validation fraction must be in (0, 1), got {fraction}")
    score = np.array([int.from_bytes(hashlib.sha256(f"{seed}\0{k}".encode()).digest()[:8], "big") for k in keys], dtype=np.uint64)
    cut = np.quantile(score.astype(np.float64), fraction)
    val = score.astype(np.float64) < cut
    return np.flatnonzero(~val), np.flatnonzero(val)


@dataclass
class LinearProbe:
    classes: np.ndarray
    C: float
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: np.ndarray
    val_accuracy: dict[float, float]
    n_train: int
    n_val: int
    notes: list[str] = field(default_factory=list)
    seen: frozenset = frozenset()  # digests of every training and validation image
    convergence: dict = field(default_factory=dict)  # C -> (L-BFGS-B iterations, max |gradient| at the fit)

    def check_unseen(self, digests: np.ndarray, what: str = "test") -> None:
        """Refuse images the probe trained or chose C on (LeakageError naming the first)."""
        for i, r in enumerate(digests):
            if bytes(r) in self.seen:
                raise LeakageError(f"{what} image #{i} is also a training or validation image of this probe")

    def identity(self) -> dict:
        return {"probe": "logistic-regression (L2, preconditioned L-BFGS-B)", "C": self.C, "standardise": "train mean/std", "selected_on": "validation",
                "Cs": sorted(self.val_accuracy)}

    def decision(self, X: np.ndarray) -> np.ndarray:
        return ((np.asarray(X, np.float32) - self.mean) / self.scale) @ self.coef.T + self.intercept

    def predict(self, X: np.ndarray) -> np.ndarray:
        return self.classes[np.argmax(self.decision(X), axis=1)]

    def accuracy(self, X: np.ndarray, y) -> float:
        return float(np.mean(self.predict(X) == np.asarray(y)))


def fit_linear_probe(X_train: np.ndarray, y_train, X_val: np.ndarray, y_val, Cs=DEFAULT_CS,
                     digests_train: np.ndarray | None = None, digests_val: np.ndarray | None = None,
                     digests_test: np.ndarray | None = None, max_iter: int = 500, tol: float = 1e-4) -> LinearProbe:  # tol: see SOLVER
    """Fit on train for each C, pick C on validation, return the train-fitted probe with that C.

    Pass the digests of all three splits (features.Features.digests) to have leakage refused. Converged means
    sklearn's test (max |gradient| of the mean objective <= tol, its default 1e-4); a C that stops short
    of it is named in `notes`."""
    if digests_train is None or digests_val is None:
        raise LeakageError("fit_linear_probe needs the train and validation image digests to prove the splits are apart")
    check_disjoint(train=digests_train, val=digests_val, test=digests_test)
    y_train, y_val = np.asarray(y_train), np.asarray(y_val)
    if len(X_train) != len(y_train) or len(X_val) != len(y_val):
        raise SnellenError("linear probe: features and labels differ in length")
    if len(np.unique(y_train)) < 2:
        raise SnellenError("linear probe: the training split has fewer than two classes")
    mean = X_train.mean(axis=0, dtype=np.float64).astype(np.float32)
    scale = X_train.std(axis=0, dtype=np.float64).astype(np.float32)
    scale[scale < 1e-6] = 1.0
    Z_train = (X_train - mean) / scale
    Z_val = (X_val - mean) / scale
    classes, y_tr = np.unique(y_train, return_inverse=True)
    lookup = {c: i for i, c in enumerate(classes)}
    y_va = np.array([lookup.get(c, -1) for c in y_val])
    fits, val_acc, notes, convergence = {}, {}, [], {}
    for C, W, converged, iterations, gmax in _fit_path(Z_train, y_tr, len(classes), sorted(Cs), tol, max_iter):
        if not converged:  # strong to weak regularisation, each warm-started from the last
            notes.append(f"C={C:g}: L-BFGS-B stopped after {iterations} iterations (max_iter={max_iter}) with max |gradient| "
                         f"{gmax:.1e} > tol {tol:g}: not converged")
        fits[C], convergence[C] = W, (iterations, gmax)
        val_acc[C] = float(np.mean(np.argmax(Z_val @ W[:-1] + W[-1], axis=1) == y_va))
    best = max(val_acc.values())
    C = min(c for c, a in val_acc.items() if a == best)
    coef, intercept = fits[C][:-1].T, fits[C][-1]
    return LinearProbe(classes, C, mean, scale, coef.astype(np.float32), intercept.astype(np.float32), val_acc,
                       len(y_train), len(y_val), notes,
                       frozenset(bytes(r) for r in digests_train) | frozenset(bytes(r) for r in digests_val), convergence)
