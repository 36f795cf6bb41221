# The user's front door: `make results` reproduces every CSV, `make test` runs the test suite.
# Everything builds with CMake into build/; missing Debian packages are installed first.
# Each topic adds its targets in mk/<tool>.mk: results-<topic> (CSVs, reproduce.csv, PNGs) appended to
# RESULT_TARGETS, bench-<topic> appended to BENCH_TARGETS.
BUILD ?= build
JOBS ?= $(shell nproc)
BIN := $(BUILD)/bin
CMAKE_FLAGS ?=
# Debian's interpreter, the one that sees python3-numpy, -scipy, -torch (the first python3 on PATH may not).
PYTHON := /usr/bin/python3
RESULT_TARGETS :=
BENCH_TARGETS :=

.PHONY: all build deps bench-deps test results plots bench clean summary

all: build

include $(sort $(wildcard mk/*.mk))

deps:
	@scripts/install-deps.sh

bench-deps:
	@scripts/install-deps.sh --bench

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# Every topic's CSVs and PNGs, then results/summary.csv from every results/*/reproduce.csv.
results: $(RESULT_TARGETS)
	@scripts/join-summary.sh

# Joins the reproduce.csv files that exist into results/summary.csv (one header).
summary:
	@scripts/join-summary.sh

plots:
	@scripts/install-deps.sh
	scripts/plot.sh

bench: $(BENCH_TARGETS)

clean:
	rm -rf $(BUILD)
