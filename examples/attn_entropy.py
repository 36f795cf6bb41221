"""attn: the softmax entropy of cosine scores against the scale alpha, for several n (d = 128).

    python3 examples/attn_entropy.py OUTDIR  (writes OUTDIR/attn_entropy.png)
"""
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from mlderiv import attn

out = sys.argv[1] if len(sys.argv) > 1 else "."
alphas = np.logspace(0, 2, 21)
fig, ax = plt.subplots(figsize=(7, 4))
for n in [256, 4096, 65536]:
    s = attn.batch_stats(kind="cosine", d=128, n=n, queries=16, alphas=alphas)
    ax.plot(alphas, s["entropy"].mean(axis=0) / np.log(n), "o-", ms=3, label=f"n = {n}")
ax.set(xscale="log", xlabel="alpha", ylabel="entropy / ln n", title="Softmax entropy of cosine scores (d = 128)")
ax.legend()
fig.savefig(f"{out}/attn_entropy.png", dpi=120)
