"""w2: W2[p_0, q_0] and its score-matching bound against the score error eta (Gaussian data, d = 8).

    python3 examples/w2_bound.py OUTDIR      (writes OUTDIR/w2_bound.png)
"""
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from mlderiv import w2

out = sys.argv[1] if len(sys.argv) > 1 else "."
etas = np.logspace(-3, 0, 7)
r = w2.gaussian_bound(dims=[8], variances=["0.1:4"], errors=["bias"], priors=["exact"], etas=etas)
fig, ax = plt.subplots(figsize=(7, 4))
ax.plot(r["eta"], r["W2"], "o-", label="W2[p_0, q_0] (Bures)")
ax.plot(r["eta"], r["bound_backward"], "s--", label="bound, L_t of -g_t")
ax.plot(r["eta"], r["bound_proof"], "^:", label="bound, L_t of g_t (as the proof states it)")
ax.set(xscale="log", yscale="log", xlabel="score error eta", ylabel="W2",
       title="Score matching bounds W2 (d = 8, Sigma eigenvalues 0.1 .. 4)")
ax.legend()
fig.savefig(f"{out}/w2_bound.png", dpi=120)
