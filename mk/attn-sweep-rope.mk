# attn-sweep's RoPE base (tools/attn_sweep_rope.cpp, lib/rope): make results-attn-rope writes
# results/attn-sweep/rope*.csv (joined into make results-attn, which also writes reproduce.csv and the
# plots); make bench-attn-rope runs the NumPy and Numba peers. ropebase.csv (d = 128), ropebase64.csv and
# ropebase256.csv certify b* for every L from 1k to 1M (the tool's default stops at 128k), ropebase4m.csv
# certifies L = 2M and 4M at d = 128; each is one process on JOBS threads (about 3 minutes in all on 2 cores,
# two of them for 2M and 4M, whose grid searches cross a wide stretch of infeasible bases above b*). For a
# table split over nodes, see README, "Running on a cluster" (scripts/shard-parallel.sh, scripts/slurm).
ATTN_RESULT_TARGETS += results-attn-rope
BENCH_TARGETS += bench-attn-rope
.PHONY: results-attn-rope bench-attn-rope

results-attn-rope: ready
	@mkdir -p results/attn-sweep
	for d in 128 64 256; do \
	  $(BIN)/attn-sweep rope-base --d $$d --certify-max 1048576 --threads $(JOBS) \
	    -o results/attn-sweep/ropebase$$([ $$d = 128 ] || echo $$d).csv || exit 1; \
	done
	$(BIN)/attn-sweep rope-base --L 2M,4M --certify-max 4194304 --threads $(JOBS) -o results/attn-sweep/ropebase4m.csv
	$(BIN)/attn-sweep rope-base --precision float --L 1k,2k,4k,8k,16k,32k,64k -o results/attn-sweep/ropefloat.csv
	$(BIN)/attn-sweep rope-base --base 500000 --L 8k -o results/attn-sweep/ropellama.csv
	$(BIN)/attn-sweep rope-curves -o results/attn-sweep/ropecurves.csv
	$(BIN)/attn-sweep rope-law --input results/attn-sweep/ropebase64.csv,results/attn-sweep/ropebase.csv,results/attn-sweep/ropebase256.csv \
	  -o results/attn-sweep/ropelaw.csv

bench-attn-rope: ready bench-deps
	$(PYTHON) bench/rope_base_bench.py $(BIN)/attn-sweep
