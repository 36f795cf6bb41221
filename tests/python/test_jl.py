"""mlderiv.jl against jl-entropy norm-tail and ortho-tail."""
import math

import numpy as np
import pytest

from conftest import floats, raises_like_cli, run_tool
from mlderiv import jl


@pytest.mark.parametrize("kind", ["norm", "ortho"])
def test_tails_are_jl_entropy(kind):
    f = jl.norm_tail if kind == "norm" else jl.ortho_tail
    got = f([8, 64], [0.25, 0.5], trials=2000, seed=4)
    csv = run_tool("jl-entropy", kind + "-tail", "--n", "8,64", "--eps", "0.25,0.5", "--trials", 2000, "--seed", 4)
    for key in ("exact", "monte_carlo", "mc_stderr", "chernoff", "chernoff_via_norm", "bound"):
        assert got[key].tolist() == floats(csv[key]), key
    assert got["n"].tolist() == [int(x) for x in csv["n"]]
    assert got["bound_holds"].all()


def test_norm_tail_bound_is_the_lemma():
    got = jl.norm_tail(100, 0.3, trials=10)
    assert got["bound"][0] == pytest.approx(2 * math.exp(-0.3**2 * 100 / 8), rel=1e-14)
    assert got["exact"][0] <= got["chernoff"][0] <= got["bound"][0]


def test_results_do_not_depend_on_threads():
    one = jl.norm_tail([16, 32, 128], 0.5, trials=20000, threads=1)
    two = jl.norm_tail([16, 32, 128], 0.5, trials=20000, threads=2)
    assert np.array_equal(one["monte_carlo"], two["monte_carlo"])


def test_bad_arguments_raise_the_cli_message():
    raises_like_cli(ValueError, lambda: jl.norm_tail(8, 1.5), "jl-entropy", "norm-tail", "--n", 8, "--eps", 1.5)
    raises_like_cli(ValueError, lambda: jl.norm_tail(0, 0.5), "jl-entropy", "norm-tail", "--n", 0, "--eps", 0.5)
    raises_like_cli(ValueError, lambda: jl.ortho_tail(8, 0.5, trials=0), "jl-entropy", "ortho-tail", "--trials", 0)
    raises_like_cli(ValueError, lambda: jl.norm_tail(8, 0.5, seed=-1), "jl-entropy", "norm-tail", "--seed", -1)
