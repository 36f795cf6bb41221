"""mlderiv.w2: Bures against its closed forms, gaussian_bound against score-w2 gaussian."""
import numpy as np
import pytest

from conftest import floats, raises_like_cli, run_tool
from mlderiv import w2


def test_bures_in_one_dimension_and_for_commuting_covariances():
    assert w2.bures([[4.0]], [[9.0]], [1.0], [-2.0]) == pytest.approx(np.hypot(3, 1), rel=1e-14)
    a, b = np.diag([1.0, 4.0, 0.25]), np.diag([9.0, 1.0, 1.0])
    assert w2.bures(a, b) == pytest.approx(np.linalg.norm(np.sqrt(np.diag(a)) - np.sqrt(np.diag(b))), rel=1e-13)


def test_bures_is_the_trace_formula():
    rng = np.random.default_rng(3)
    x, y = rng.standard_normal((5, 5)), rng.standard_normal((5, 5))
    s1, s2 = x @ x.T + np.eye(5), y @ y.T + np.eye(5)
    w, v = np.linalg.eigh(s1)
    r = v @ np.diag(np.sqrt(w)) @ v.T
    c = np.linalg.eigvalsh(r @ s2 @ r)
    assert w2.bures(s1, s2) ** 2 == pytest.approx(np.trace(s1) + np.trace(s2) - 2 * np.sqrt(c).sum(), rel=1e-10)


def test_gaussian_bound_is_score_w2_gaussian():
    got = w2.gaussian_bound(dims=[1, 4], variances=["4", "0.1:4"], etas=[0.1], errors=["bias", "time_linear"])
    csv = run_tool("score-w2", "gaussian", "--dims", "1,4", "--variances", "4,0.1:4", "--etas", 0.1, "--errors",
                   "bias,time_linear")
    for key in ("W2", "W2_coupling", "W2_T", "bound_proof", "bound_backward", "bound_twosided", "growth_backward"):
        assert got[key].tolist() == floats(csv[key]), key
    assert got["variances"] == csv["variances"] and got["error"] == csv["error"]
    assert got["chain_holds"].all()


def test_errors():
    with pytest.raises(ValueError):
        w2.bures(np.eye(2), np.eye(3))
    with pytest.raises(ValueError):
        w2.bures([[1.0, 0.5], [0.0, 1.0]], np.eye(2))
    with pytest.raises(RuntimeError):
        w2.bures(np.diag([1.0, -1.0]), np.eye(2))
    raises_like_cli(ValueError, lambda: w2.gaussian_bound(dims=[65]), "score-w2", "gaussian", "--dims", 65)
    raises_like_cli(ValueError, lambda: w2.gaussian_bound(variances=["-1"]), "score-w2", "gaussian", "--variances",
                    "-1")
    raises_like_cli(ValueError, lambda: w2.gaussian_bound(beta_min=0.0), "score-w2", "gaussian", "--beta-min", 0.0)
