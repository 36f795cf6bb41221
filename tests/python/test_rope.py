"""mlderiv.rope against attn-sweep rope-base."""
import math

import pytest

from conftest import floats, interrupted_within_a_second, raises_like_cli, run_tool
from mlderiv import rope


def test_rope_sum_is_the_sum_of_cosines():
    b, m, d = 10000.0, 777, 64
    assert rope.rope_sum(b, m, d) == pytest.approx(sum(math.cos(m * b ** (-2 * i / d)) for i in range(d // 2)),
                                                   rel=1e-12)


@pytest.mark.parametrize("base", [5000.0, 500000.0])
def test_rope_min_is_rope_base_with_a_base(base):
    got = rope.rope_min(base, [1024, 4096], d=128)
    csv = run_tool("attn-sweep", "rope-base", "--base", base, "--L", "1k,4k", "--d", 128)
    assert [g["L"] for g in got] == [int(x) for x in csv["L"]]
    assert [g["min_f"] for g in got] == floats(csv["min_f"])
    assert [g["argmin"] for g in got] == [int(x) for x in csv["argmin"]]
    assert [g["first_negative"] for g in got] == [int(x) for x in csv["first_negative_m"]]
    assert [g["feasible"] for g in got] == [x == "true" for x in csv["feasible"]]


def test_certify_is_rope_base_certified():
    got = rope.certify(1024, threads=2)
    csv = run_tool("attn-sweep", "rope-base", "--L", "1k", "--certify-max", 1024, "--threads", 2)
    for key in ("b_grid", "b_star_lo", "b_star_hi", "min_f_at_star_hi"):
        assert got[key] == float(csv[key][0]), key
    assert got["certified"] and csv["certified"][0] == "true"
    assert got["b_star_lo"] <= got["b_star_hi"] <= got["b_grid"]
    assert not rope.rope_min(got["b_star_lo"] * (1 - 1e-9), 1024)["feasible"]
    assert rope.rope_min(got["b_star_hi"], 1024)["feasible"]


def test_bad_arguments_raise_the_cli_message():
    raises_like_cli(ValueError, lambda: rope.rope_min(1000.0, 1024, d=7), "attn-sweep", "rope-base", "--base", 1000.0,
                    "--L", 1024, "--d", 7)
    raises_like_cli(ValueError, lambda: rope.rope_min(-1.0, 1024), "attn-sweep", "rope-base", "--base", -1.0, "--L",
                    1024)
    raises_like_cli(ValueError, lambda: rope.certify(2**25), "attn-sweep", "rope-base", "--L", 2**25)
    raises_like_cli(ValueError, lambda: rope.certify(1024, rel=0.5), "attn-sweep", "rope-base", "--L", 1024, "--rel",
                    0.5)
    with pytest.raises(TypeError, match="unexpected keyword argument 'seed'"):  # rope-base draws nothing
        rope.certify(1024, seed=2)


def test_ctrl_c_interrupts_a_long_certify_within_a_second():
    # L = 1M: a second into its grid search, which alone takes about 30 s (the certificate's walks poll
    # the same way: tests/rope/test_search.cpp).
    interrupted_within_a_second("from mlderiv import rope", "rope.certify(2**20, threads=2)")
