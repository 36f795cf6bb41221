"""mlderiv.abc.min_sum against abc-min solve."""
import pytest

from conftest import raises_like_cli, run_tool
from mlderiv import abc


@pytest.mark.parametrize("n", [0, 1, 130, 10**24, 2**127 - 1])
def test_min_sum_is_abc_min_solve(n):
    got = abc.min_sum(n)
    csv = run_tool("abc-min", "solve", n)
    for key in ("N", "a", "b", "c", "S", "naive_S", "candidates"):
        assert got[key] == int(csv[key][0]), key
    assert got["method"] == csv["method"][0]
    assert isinstance(got["S"], int) and got["a"] * got["b"] + got["c"] == n


def test_a_sequence_gives_a_list_and_methods_agree():
    numbers = [5, 99, 12345]
    got = abc.min_sum(numbers, method="sqrt")
    assert [g["S"] for g in got] == [abc.min_sum(n, method="brute")["S"] for n in numbers]
    assert all(g["method"] == "sqrt" for g in got)


def test_bad_arguments_raise_the_cli_message():
    raises_like_cli(ValueError, lambda: abc.min_sum(2**127), "abc-min", "solve", 2**127)
    raises_like_cli(ValueError, lambda: abc.min_sum(-3), "abc-min", "solve", "-3")
    raises_like_cli(ValueError, lambda: abc.min_sum(10**10, method="brute"), "abc-min", "solve", "--method", "brute",
                    10**10)
    raises_like_cli(ValueError, lambda: abc.min_sum(7, method="fast"), "abc-min", "solve", "--method", "fast", 7)
    with pytest.raises(TypeError):
        abc.min_sum(7, methd="sqrt")
