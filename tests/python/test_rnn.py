"""mlderiv.rnn against rnn-fixpoint converge; the states handed over without a copy."""
import numpy as np

from conftest import floats, raises_like_cli, run_tool
from mlderiv import rnn

SIZE = dict(d=8, T=300)


def test_solve_is_rnn_fixpoint_converge():
    A, u = rnn.random_model(**SIZE, seed=5)
    got = rnn.solve(A, u, schemes=["newton", "fixed"])
    csv = run_tool("rnn-fixpoint", "converge", "--d", 8, "--T", 300, "--schemes", "newton,fixed", "--seed", 5)
    for scheme in ("newton", "fixed"):
        rows = [i for i, s in enumerate(csv["scheme"]) if s == scheme]
        g = got["schemes"][scheme]
        assert g["iteration"].tolist() == [int(csv["iteration"][i]) for i in rows]
        assert g["max_error"].tolist() == floats(csv["max_error"][i] for i in rows)
        assert g["exact_prefix"].tolist() == [int(csv["exact_prefix"][i]) for i in rows]
        assert g["converged"]


def test_states_are_the_recurrence_and_not_copied():
    A, u = rnn.random_model(**SIZE, rho=0.7, sigma_u=0.5)
    r = rnn.solve(A, u)
    h, expected = np.zeros(8), []
    for t in range(u.shape[0]):
        h = np.tanh(A @ h + u[t])
        expected.append(h)
    np.testing.assert_allclose(r["states"], np.array(expected), rtol=0, atol=1e-13)
    assert r["states"].shape == u.shape and not r["states"].flags.owndata
    assert r["schemes"]["newton"]["max_error"][-1] <= 1e-12 * np.abs(r["states"]).max()


def test_results_do_not_depend_on_threads():
    A, u = rnn.random_model(d=4, T=5000)
    one = rnn.solve(A, u, scan="chunked", threads=1)
    two = rnn.solve(A, u, scan="chunked", threads=2)
    assert np.array_equal(one["schemes"]["newton"]["max_error"], two["schemes"]["newton"]["max_error"])


def test_bad_arguments_raise_the_cli_message():
    raises_like_cli(ValueError, lambda: rnn.random_model(d=0), "rnn-fixpoint", "converge", "--d", 0)
    raises_like_cli(ValueError, lambda: rnn.random_model(rho=-1.0), "rnn-fixpoint", "converge", "--rho", -1.0)
    A, u = rnn.random_model(**SIZE)
    raises_like_cli(ValueError, lambda: rnn.solve(A, u, scheme="jacobi"), "rnn-fixpoint", "converge", "--schemes",
                    "jacobi")
    raises_like_cli(ValueError, lambda: rnn.solve(A, u, tol=2.0), "rnn-fixpoint", "converge", "--tol", 2.0)
    try:
        rnn.solve(A, u[:, :3])
        assert False, "a u of the wrong width was accepted"
    except ValueError as e:
        assert "d x d matrix A and a T x d array u" in str(e)
