"""mlderiv.attn against attn-sweep stats; the scores read in place; results independent of threads."""
import numpy as np
import pytest

from conftest import floats, raises_like_cli, run_tool
import mlderiv
from mlderiv import attn

ARGS = dict(kind="gaussian", d=16, n=300, queries=5, alphas=[0.5, 2])


def cli_args(**kw):
    out = []
    for k, v in kw.items():
        out += ["--" + k.replace("_", "-"), ",".join(map(str, v)) if isinstance(v, list) else v]
    return out


def test_batch_stats_is_attn_sweep_stats():
    got = attn.batch_stats(**ARGS, seed=3)
    csv = run_tool("attn-sweep", "stats", *cli_args(**ARGS), "--seed", 3)
    for key in ("sum_p2", "entropy", "max_p", "mass", "max_score", "mean_score"):
        assert got[key].ravel().tolist() == floats(csv[key]), key
    assert got["keys"].shape == (300, 16) and got["queries"].shape == (5, 16)


def test_softmax_stats_of_the_batch_scores_is_the_batch():
    b = attn.batch_stats(**ARGS)
    scores = b["queries"] @ b["keys"].T
    got = attn.softmax_stats(scores, ARGS["alphas"])
    for key in ("sum_p2", "entropy", "max_p", "max_score", "mean_score"):
        np.testing.assert_allclose(got[key], b[key], rtol=1e-12, err_msg=key)
    p = np.exp(2 * (scores[0] - scores[0].max()))
    p /= p.sum()
    assert attn.softmax_stats(scores[0], 2.0)["entropy"] == pytest.approx(-(p * np.log(p)).sum(), rel=1e-12)


def test_scores_are_read_in_place_when_the_layout_allows():
    a = np.random.default_rng(1).standard_normal((4, 100))
    assert mlderiv._mlderiv._buffer_address(a) == a.ctypes.data  # C-contiguous float64: no copy
    strided = a[:, ::2]
    assert mlderiv._mlderiv._buffer_address(strided) != strided.ctypes.data  # converted
    b = attn.batch_stats(**ARGS)
    assert not b["keys"].flags.owndata and b["keys"].base is not None  # the library's buffer, handed over


def test_results_do_not_depend_on_threads():
    one, two = attn.batch_stats(**ARGS, threads=1), attn.batch_stats(**ARGS, threads=2)
    assert all(np.array_equal(one[k], two[k]) for k in ("entropy", "sum_p2", "max_p"))
    s = np.random.default_rng(2).standard_normal((64, 500))
    assert np.array_equal(attn.softmax_stats(s, [1, 3], threads=1)["entropy"],
                          attn.softmax_stats(s, [1, 3], threads=2)["entropy"])


def test_bad_arguments_raise_the_cli_message():
    raises_like_cli(ValueError, lambda: attn.batch_stats(d=3), "attn-sweep", "stats", "--d", 3)
    raises_like_cli(ValueError, lambda: attn.softmax_stats(np.ones(5), -1.0), "attn-sweep", "stats", "--alphas",
                    -1.0)
    raises_like_cli(ValueError, lambda: attn.batch_stats(kind="uniform"), "attn-sweep", "stats", "--kind", "uniform")
    raises_like_cli(ValueError, lambda: attn.batch_stats(threads=0), "attn-sweep", "stats", "--threads", 0)
    with pytest.raises(ValueError):
        attn.softmax_stats(np.ones((2, 0)), 1.0)
