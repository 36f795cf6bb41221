"""rnn: the error of each scheme's iterates against the sequential tanh RNN (d = 16, T = 1000).

    python3 examples/rnn_newton.py OUTDIR    (writes OUTDIR/rnn_newton.png)
"""
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from mlderiv import rnn

out = sys.argv[1] if len(sys.argv) > 1 else "."
A, u = rnn.random_model(d=16, T=1000)
r = rnn.solve(A, u, schemes=["fixed", "perturb", "first_order", "newton"])
fig, ax = plt.subplots(figsize=(7, 4))
for name, s in r["schemes"].items():
    ax.plot(s["iteration"], s["max_error"], ".-", label=f"{name}: {s['summary']}")
ax.set(yscale="log", xscale="log", xlabel="iteration n", ylabel="max_t |h_t^(n) - h_t|",
       title="h_t = tanh(A h_(t-1) + u_t) by parallel iteration (DEER)")
ax.legend(fontsize=8)
fig.savefig(f"{out}/rnn_newton.png", dpi=120)
