# Cost laws (issue 21): make bench-costs times each tool's main cost against its size parameter over two
# decades (one thread), fits the exponent with its 95% interval and gives the kernel's share of the machine's
# measured peak (bench-peak: lib/core/peak.hpp): results/bench/peak.csv and results/bench/TOOL.csv, each with
# a .meta.json; about 6 minutes on 2 cores. The RoPE certificate's law runs over L = 32k .. 1M;
# COST_LAWS_FLAGS="--certificate-max 4194304" takes it further (minutes a size), --certificate-max 0 skips it.
BENCH_TARGETS += bench-costs
.PHONY: bench-costs
COST_LAWS_FLAGS ?=

bench-costs: ready bench-deps
	$(PYTHON) bench/cost_laws.py $(BIN) --out results/bench $(COST_LAWS_FLAGS)
