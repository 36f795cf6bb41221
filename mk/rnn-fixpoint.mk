# rnn-fixpoint: make results-rnn-fixpoint, make bench-rnn-fixpoint
RESULT_TARGETS += results-rnn-fixpoint
BENCH_TARGETS += bench-rnn-fixpoint
.PHONY: results-rnn-fixpoint bench-rnn-fixpoint

results-rnn-fixpoint: ready
	@mkdir -p results/rnn-fixpoint
	$(BIN)/rnn-fixpoint converge -o results/rnn-fixpoint/converge.csv
	$(BIN)/rnn-fixpoint gru -o results/rnn-fixpoint/gru.csv
	$(BIN)/rnn-fixpoint sweep -o results/rnn-fixpoint/sweep.csv
	$(BIN)/rnn-fixpoint scan-bench -o results/rnn-fixpoint/scanbench.csv
	$(BIN)/rnn-fixpoint reproduce -o results/rnn-fixpoint/reproduce.csv
	@scripts/plot.sh rnn-fixpoint
	@scripts/join-summary.sh

bench-rnn-fixpoint: ready bench-deps
	$(PYTHON) bench/rnn_fixpoint_bench.py $(BIN)/rnn-fixpoint

# The short names, kept: make results-rnn, make bench-rnn.
.PHONY: results-rnn bench-rnn
results-rnn: results-rnn-fixpoint
bench-rnn: bench-rnn-fixpoint
