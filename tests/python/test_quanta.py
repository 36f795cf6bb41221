"""mlderiv.quanta against quanta-scaling curve and fit; Ctrl-C and the GIL during a long fit."""
import csv
import os
import threading

import numpy as np
import pytest

from conftest import BIN, floats, interrupted_within_a_second, raises_like_cli, run_tool
from mlderiv import quanta


def chinchilla():
    with open(os.path.join(BIN, "..", "share", "mlderiv", "chinchilla_fig4.csv")) as f:
        rows = list(csv.DictReader(f))
    n = np.array([float(r["Model Size"]) for r in rows])
    c = np.array([float(r["Training FLOP"]) for r in rows])
    return n, c / (6 * n), np.array([float(r["loss"]) for r in rows])


def test_curve_and_zipf_tail_loss_are_quanta_scaling_curve():
    got = quanta.curve(gamma=[0.5, 2], points=12, a=0.5, b=3)
    cli = run_tool("quanta-scaling", "curve", "--gamma", "0.5,2", "--points", 12, "--a", 0.5, "--b", 3)
    for key in ("gamma", "n", "loss", "loss_asymptotic", "tail_ratio"):
        assert got[key].tolist() == floats(cli[key]), key
    n = np.array(floats(cli["n"][:12]))
    assert quanta.zipf_tail_loss(0.5, n, a=0.5, b=3).tolist() == floats(cli["loss"][:12])
    assert quanta.zipf_tail_loss(0.5, 1e9) / quanta.zipf_tail_loss(0.5, 4e9) == pytest.approx(2, rel=1e-8)  # n^-g


def test_fit_is_quanta_scaling_fit():
    N, D, loss = chinchilla()
    got = quanta.fit(N, D, loss, bootstrap=6, no_comparison=True, threads=2)
    cli = run_tool("quanta-scaling", "fit", "--bootstrap", 6, "--no-comparison", "--threads", 2)
    assert got["rows"] == int(cli["rows"][0]) and got["starts"] == int(cli["starts"][0])
    for i, name in enumerate(cli["parameter"]):
        e = got["estimates"][name]
        for key in ("estimate", "se", "lo95", "hi95"):
            assert e[key] == pytest.approx(float(cli[key][i]), rel=1e-12, nan_ok=True), (name, key)
    assert got["bootstrap"].shape == (6, 5) and got["parameters"] == ["a", "b", "e", "alpha", "beta"]


def test_bad_arguments_raise_the_cli_message():
    N, D, loss = chinchilla()
    raises_like_cli(ValueError, lambda: quanta.fit(N, D, loss, bootstrap=-1), "quanta-scaling", "fit", "--bootstrap",
                    -1)
    raises_like_cli(ValueError, lambda: quanta.fit(N, D, loss, form="cubic"), "quanta-scaling", "fit", "--form",
                    "cubic")
    raises_like_cli(ValueError, lambda: quanta.zipf_tail_loss(-0.5, 10.0), "quanta-scaling", "curve", "--gamma", -0.5)
    raises_like_cli(ValueError, lambda: quanta.zipf_tail_loss(0.5, 10.0, a=2, b=1), "quanta-scaling", "curve", "--a", 2,
                    "--b", 1)
    with pytest.raises(ValueError, match="expected a positive number"):
        quanta.fit(-N, D, loss)
    with pytest.raises(ValueError):
        quanta.fit(N[:3], D, loss)


def test_ctrl_c_interrupts_a_long_fit_within_a_second():
    interrupted_within_a_second(
        "import numpy as np\nfrom mlderiv import quanta\nrng = np.random.default_rng(0)\n"
        "N = 10 ** rng.uniform(7, 10, 200); D = 10 ** rng.uniform(9, 12, 200)\n"
        "loss = 1.7 + 400 / N**0.34 + 400 / D**0.28",
        "quanta.fit(N, D, loss, bootstrap=100000, no_comparison=True, threads=2)")


def test_the_gil_is_released_during_a_long_call():
    N, D, loss = chinchilla()
    worker = threading.Thread(target=quanta.fit, args=(N, D, loss), kwargs=dict(bootstrap=0, no_comparison=True,
                                                                               threads=1))
    count = 0
    worker.start()
    while worker.is_alive():
        count += 1
    worker.join()
    assert count > 10000
