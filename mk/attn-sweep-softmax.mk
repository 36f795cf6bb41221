# attn-sweep's softmax sweeps (scale, sparsity, noise): make results-attn-softmax writes their CSVs into
# results/attn-sweep/ (part of make results-attn, which adds the tool's reproduce.csv and the plots);
# make bench-attn-softmax runs the engine against PyTorch and NumPy.
ATTN_RESULT_TARGETS += results-attn-softmax
BENCH_TARGETS += bench-attn-softmax
.PHONY: results-attn-softmax bench-attn-softmax

results-attn-softmax: ready
	@mkdir -p results/attn-sweep
	$(BIN)/attn-sweep scale -o results/attn-sweep/scale.csv
	$(BIN)/attn-sweep scale --curves --mc-every 250 --mc-rows 1000 -o results/attn-sweep/scalecurves.csv
	$(BIN)/attn-sweep sparsity -o results/attn-sweep/sparsity.csv
	$(BIN)/attn-sweep noise -o results/attn-sweep/noise.csv
	$(BIN)/attn-sweep noise --floor -o results/attn-sweep/floor.csv

bench-attn-softmax: ready bench-deps
	$(PYTHON) bench/attn_softmax_bench.py $(BIN)/attn-sweep
