# attn-sweep's RoPE base (tools/attn_sweep_rope.cpp, lib/rope): make results-attn-rope writes
# results/attn-sweep/rope*.csv (joined into make results-attn, which also writes reproduce.csv and the
# plots); make bench-attn-rope runs the NumPy and Numba peers. ropebase.csv certifies b* for every L up to
# 1M (the tool's default stops at 128k): about 7 minutes on 2 cores, 256k-1M most of it.
ATTN_RESULT_TARGETS += results-attn-rope
BENCH_TARGETS += bench-attn-rope
.PHONY: results-attn-rope bench-attn-rope

results-attn-rope: ready
	@mkdir -p results/attn-sweep
	$(BIN)/attn-sweep rope-base --certify-max 1048576 -o results/attn-sweep/ropebase.csv
	$(BIN)/attn-sweep rope-base --precision float --L 1k,2k,4k,8k,16k,32k,64k -o results/attn-sweep/ropefloat.csv
	$(BIN)/attn-sweep rope-base --base 500000 --L 8k -o results/attn-sweep/ropellama.csv
	$(BIN)/attn-sweep rope-curves -o results/attn-sweep/ropecurves.csv

bench-attn-rope: ready bench-deps
	$(PYTHON) bench/rope_base_bench.py $(BIN)/attn-sweep
