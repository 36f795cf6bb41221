"""rope: the certified smallest RoPE base b*(L) against L (d = 128), with the paper's table and L / x0.

    python3 examples/rope_base.py OUTDIR     (writes OUTDIR/rope_base.png)
"""
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from mlderiv import rope

out = sys.argv[1] if len(sys.argv) > 1 else "."
rows = rope.certify([1024, 2048, 4096, 8192, 16384])
L = [r["L"] for r in rows]
fig, ax = plt.subplots(figsize=(7, 4))
ax.plot(L, [r["b_star_hi"] for r in rows], "o-", label="b* certified (this library)")
ax.plot(L, [r["paper_b"] for r in rows], "s--", label="Men et al. 2024, Table")
ax.plot(L, [r["ci_estimate"] for r in rows], ":", label="d -> inf: L / x0")
ax.set(xscale="log", yscale="log", xlabel="context length L", ylabel="base b",
       title="The smallest RoPE base with f_b(m) >= 0 for all m < L")
ax.legend()
fig.savefig(f"{out}/rope_base.png", dpi=120)
