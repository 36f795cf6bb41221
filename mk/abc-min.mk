# abc-min: make results-abc-min, make bench-abc-min
RESULT_TARGETS += results-abc-min
BENCH_TARGETS += bench-abc-min
.PHONY: results-abc-min bench-abc-min

results-abc-min: ready
	@mkdir -p results/abc-min
	$(BIN)/abc-min solve -o results/abc-min/solve.csv
	$(BIN)/abc-min sweep -o results/abc-min/sweep.csv
	$(BIN)/abc-min scaling -o results/abc-min/scaling.csv
	$(BIN)/abc-min gaps -o results/abc-min/gaps.csv
	$(BIN)/abc-min reproduce -o results/abc-min/reproduce.csv
	@scripts/plot.sh abc-min
	@scripts/join-summary.sh

bench-abc-min: ready bench-deps
	$(PYTHON) bench/abc_min_bench.py $(BIN)/abc-min
