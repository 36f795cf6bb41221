# The Python module (build/python/mlderiv): make bench-python
BENCH_TARGETS += bench-python
.PHONY: bench-python

bench-python: ready bench-deps
	PYTHONPATH=$(BUILD)/python $(PYTHON) bench/python_module_bench.py $(BIN)
