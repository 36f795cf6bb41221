"""jl: P(| |u|^2 - 1 | >= eps) exactly, its Chernoff form and the bound 2 exp(-eps^2 n / 8), against n.

    python3 examples/jl_tails.py OUTDIR      (writes OUTDIR/jl_tails.png)
"""
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from mlderiv import jl

out = sys.argv[1] if len(sys.argv) > 1 else "."
dims = [2**k for k in range(1, 12)]
t = jl.norm_tail(dims, 0.25, trials=2000)
fig, ax = plt.subplots(figsize=(7, 4))
for key, label in [("exact", "exact (chi-squared)"), ("chernoff", "Chernoff"), ("bound", "2 exp(-eps^2 n/8)"),
                   ("monte_carlo", "Monte Carlo, 2000 draws")]:
    ax.plot(t["n"], t[key], "o-" if key != "monte_carlo" else "x", label=label)
ax.set(xscale="log", yscale="log", ylim=(1e-12, 3), xlabel="n", ylabel="P(| |u|^2 - 1 | >= 0.25)",
       title="Johnson-Lindenstrauss: the norm tail lemma")
ax.legend()
fig.savefig(f"{out}/jl_tails.png", dpi=120)
