# score-w2: make results-score-w2, make bench-score-w2
RESULT_TARGETS += results-score-w2
BENCH_TARGETS += bench-score-w2
.PHONY: results-score-w2 bench-score-w2

results-score-w2: ready
	@mkdir -p results/score-w2
	$(BIN)/score-w2 gaussian -o results/score-w2/gaussian.csv
	$(BIN)/score-w2 mixture -o results/score-w2/mixture.csv
	$(BIN)/score-w2 sde -o results/score-w2/sde.csv
	$(BIN)/score-w2 dsm -o results/score-w2/dsm.csv
	$(BIN)/score-w2 integrand -o results/score-w2/integrand.csv
	$(BIN)/score-w2 clouds -o results/score-w2/clouds.csv
	$(BIN)/score-w2 reproduce -o results/score-w2/reproduce.csv
	@scripts/plot.sh score-w2
	@scripts/join-summary.sh

bench-score-w2: ready bench-deps
	$(PYTHON) bench/score_w2_bench.py $(BIN)/score-w2

# The short names, kept: make results-w2, make bench-w2.
.PHONY: results-w2 bench-w2
results-w2: results-score-w2
bench-w2: bench-score-w2
