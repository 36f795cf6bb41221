# attn-sweep's RoPE base (tools/attn_sweep_rope.cpp, lib/rope): make results-attn-rope writes
# results/attn-sweep/rope*.csv (joined into make results-attn, which also writes reproduce.csv and the
# plots); make bench-attn-rope runs the NumPy and Numba peers. ropebase.csv (d = 128), ropebase64.csv and
# ropebase256.csv certify b* for every L from 1k to 1M (the tool's default stops at 128k), each as
# ROPE_SHARDS shards (one thread each, --cert-parts ROPE_SHARDS: shard k takes part k of every L's
# certificate) run by GNU parallel on the local cores (scripts/shard-parallel.sh) and merged: the CSV a single
# process would write, byte for byte. About half an hour on 2 cores, d = 256 half of it (README, "Running on a
# cluster", for the measured times and how they split over nodes).
ROPE_SHARDS ?= 4
ATTN_RESULT_TARGETS += results-attn-rope
BENCH_TARGETS += bench-attn-rope
.PHONY: results-attn-rope bench-attn-rope

results-attn-rope: ready
	@mkdir -p results/attn-sweep
	for d in 128 64 256; do \
	  scripts/shard-parallel.sh -j $(JOBS) $(ROPE_SHARDS) results/attn-sweep/ropebase$$([ $$d = 128 ] || echo $$d).csv \
	    $(abspath $(BIN))/attn-sweep rope-base --d $$d --certify-max 1048576 --cert-parts $(ROPE_SHARDS) --threads 1 \
	    || exit 1; \
	done
	$(BIN)/attn-sweep rope-base --precision float --L 1k,2k,4k,8k,16k,32k,64k -o results/attn-sweep/ropefloat.csv
	$(BIN)/attn-sweep rope-base --base 500000 --L 8k -o results/attn-sweep/ropellama.csv
	$(BIN)/attn-sweep rope-curves -o results/attn-sweep/ropecurves.csv
	$(BIN)/attn-sweep rope-law --input results/attn-sweep/ropebase64.csv,results/attn-sweep/ropebase.csv,results/attn-sweep/ropebase256.csv \
	  -o results/attn-sweep/ropelaw.csv

bench-attn-rope: ready bench-deps
	$(PYTHON) bench/rope_base_bench.py $(BIN)/attn-sweep
