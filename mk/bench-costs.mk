# Cost laws (issue 21): make bench-costs times each tool's main cost against its size parameter over two
# decades (one thread), fits the exponent with its 95% interval and gives the kernel's share of the machine's
# measured peak (bench-peak: lib/core/peak.hpp): results/bench/peak.csv and results/bench/TOOL.csv, each with
# a .meta.json; about 10 minutes on 2 cores. COST_LAWS_FLAGS=--certificate adds the RoPE certificate's law
# (slow: L = 32k .. 128k; --certificate-max L for more).
BENCH_TARGETS += bench-costs
.PHONY: bench-costs
COST_LAWS_FLAGS ?=

bench-costs: ready bench-deps
	$(PYTHON) bench/cost_laws.py $(BIN) --out results/bench $(COST_LAWS_FLAGS)
