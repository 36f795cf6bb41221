# The user's front door: `make results` reproduces every CSV, `make test` runs the test suite.
# Everything builds with CMake into build/; missing Debian packages are installed first.
BUILD ?= build
JOBS ?= $(shell nproc)
BIN := $(BUILD)/bin
CMAKE_FLAGS ?=

.PHONY: all build deps test results results-abc-min plots bench clean

all: build

deps:
	@scripts/install-deps.sh

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

results: results-abc-min

results-abc-min: build
	@mkdir -p results/abc-min
	$(BIN)/abc-min solve -o results/abc-min/solve.csv
	$(BIN)/abc-min sweep -o results/abc-min/sweep.csv
	$(BIN)/abc-min scaling -o results/abc-min/scaling.csv
	$(BIN)/abc-min gaps -o results/abc-min/gaps.csv

plots:
	@scripts/install-deps.sh
	scripts/plot.sh

bench: build
	python3 bench/abc_min_bench.py $(BIN)/abc-min

clean:
	rm -rf $(BUILD)
