# jl-entropy: make results-jl-entropy (CSVs, reproduce.csv, PNGs), make bench-jl-entropy (scikit-learn, PyTorch and NumPy peers).
RESULT_TARGETS += results-jl-entropy
BENCH_TARGETS += bench-jl-entropy
.PHONY: results-jl-entropy bench-jl-entropy

JL_OUT := results/jl-entropy

results-jl-entropy: ready
	@mkdir -p $(JL_OUT)
	$(BIN)/jl-entropy project -o $(JL_OUT)/project.csv
	$(BIN)/jl-entropy min-dim -o $(JL_OUT)/mindim.csv
	$(BIN)/jl-entropy norm-tail -o $(JL_OUT)/normtail.csv
	$(BIN)/jl-entropy ortho-tail -o $(JL_OUT)/orthotail.csv
	$(BIN)/jl-entropy entropy -o $(JL_OUT)/entropy.csv
	$(BIN)/jl-entropy entropy --needle -o $(JL_OUT)/needle.csv
	$(BIN)/jl-entropy positions -o $(JL_OUT)/positions.csv
	$(BIN)/jl-entropy dims -o $(JL_OUT)/dims.csv
	$(BIN)/jl-entropy reproduce -o $(JL_OUT)/reproduce.csv
	@scripts/plot.sh jl-entropy
	@scripts/join-summary.sh

bench-jl-entropy: ready bench-deps
	$(PYTHON) bench/jl_entropy_bench.py $(BIN)/jl-entropy

# The short names, kept: make results-jl, make bench-jl.
.PHONY: results-jl bench-jl
results-jl: results-jl-entropy
bench-jl: bench-jl-entropy
