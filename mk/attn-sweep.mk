# attn-sweep: make results-attn-sweep (the softmax sweeps of mk/attn-sweep-softmax.mk, the RoPE base of
# mk/attn-sweep-rope.mk, and the tool's one reproduce.csv), make bench-attn-* (in those files).
RESULT_TARGETS += results-attn-sweep
.PHONY: results-attn-sweep

results-attn-sweep: $(ATTN_RESULT_TARGETS)
	@mkdir -p results/attn-sweep
	$(BIN)/attn-sweep reproduce -o results/attn-sweep/reproduce.csv
	@scripts/plot.sh attn-sweep
	@scripts/join-summary.sh

# The short names, kept: make results-attn.
.PHONY: results-attn
results-attn: results-attn-sweep
