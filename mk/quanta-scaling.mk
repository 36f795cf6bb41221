# quanta-scaling: make results-quanta-scaling, make bench-quanta-scaling
RESULT_TARGETS += results-quanta-scaling
BENCH_TARGETS += bench-quanta-scaling
.PHONY: results-quanta-scaling bench-quanta-scaling

results-quanta-scaling: ready
	@mkdir -p results/quanta-scaling
	$(BIN)/quanta-scaling curve -o results/quanta-scaling/curve.csv
	$(BIN)/quanta-scaling simulate --axis params -o results/quanta-scaling/simparams.csv
	$(BIN)/quanta-scaling simulate --axis data -o results/quanta-scaling/simdata.csv
	$(BIN)/quanta-scaling simulate --axis steps -o results/quanta-scaling/simsteps.csv
	$(BIN)/quanta-scaling emergence -o results/quanta-scaling/emergence.csv
	$(BIN)/quanta-scaling emergence --axis data -o results/quanta-scaling/emergencedata.csv
	$(BIN)/quanta-scaling fit -o results/quanta-scaling/fit.csv
	$(BIN)/quanta-scaling fit --table surface -o results/quanta-scaling/surface.csv
	$(BIN)/quanta-scaling allocate -o results/quanta-scaling/allocate.csv
	$(BIN)/quanta-scaling loss-scale -o results/quanta-scaling/lossscale.csv
	$(BIN)/quanta-scaling synthetic -o results/quanta-scaling/synthetic.csv
	$(BIN)/quanta-scaling isoflop -o results/quanta-scaling/isoflop.csv
	$(BIN)/quanta-scaling isoflop --table curves -o results/quanta-scaling/isoflopcurves.csv
	$(BIN)/quanta-scaling reproduce -o results/quanta-scaling/reproduce.csv
	@scripts/plot.sh quanta-scaling
	@scripts/join-summary.sh

bench-quanta-scaling: ready bench-deps
	$(PYTHON) bench/quanta_scaling_bench.py $(BIN)/quanta-scaling

# The short names, kept: make results-quanta, make bench-quanta.
.PHONY: results-quanta bench-quanta
results-quanta: results-quanta-scaling
bench-quanta: bench-quanta-scaling
