# The user's front door: `make results` reproduces every CSV, `make test` runs the test suite.
# Everything builds with CMake into build/. `make test`, `make results` (and results-*, plots, bench-*)
# install the missing Debian packages once first (make deps; a stamp in build/ remembers it until
# scripts/install-deps.sh changes); `make` alone only builds.
# Each topic adds its targets in mk/<tool>.mk: results-<topic> (CSVs, reproduce.csv, PNGs) appended to
# RESULT_TARGETS, bench-<topic> appended to BENCH_TARGETS.
BUILD ?= build
JOBS ?= $(shell nproc)
BIN := $(BUILD)/bin
CMAKE_FLAGS ?=
PREFIX ?= /usr/local
DEPS_STAMP := $(BUILD)/.deps-installed
# Debian's interpreter, the one that sees python3-numpy, -scipy, -torch (the first python3 on PATH may not).
PYTHON := /usr/bin/python3
RESULT_TARGETS :=
BENCH_TARGETS :=

.PHONY: all build ready deps bench-deps test test-cluster results plots bench clean summary install uninstall deb deb-install asan fuzz

all: build

include $(sort $(wildcard mk/*.mk))

deps:
	@scripts/install-deps.sh
	@mkdir -p $(BUILD) && touch $(DEPS_STAMP)

$(DEPS_STAMP): scripts/install-deps.sh
	@scripts/install-deps.sh
	@mkdir -p $(BUILD) && touch $@

bench-deps:
	@scripts/install-deps.sh --bench

define cmake_build
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) >/dev/null || \
	  { echo "make: the configure failed; 'make deps' installs the Debian packages it needs" >&2; exit 1; }
	@cmake --build $(BUILD) -j $(JOBS)
endef

build:
	$(cmake_build)

# build, after the missing Debian packages are installed (once): what test, results and plots start from.
ready: $(DEPS_STAMP)
	$(cmake_build)

test: ready
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# Every topic's CSVs and PNGs, then results/summary.csv from every results/*/reproduce.csv.
results: $(RESULT_TARGETS)
	@scripts/join-summary.sh

# Joins the reproduce.csv files that exist into results/summary.csv (one header).
summary:
	@scripts/join-summary.sh

plots: $(DEPS_STAMP)
	scripts/plot.sh

bench: $(BENCH_TARGETS)

# The tools, libraries, headers, CMake package, mlderiv.pc, data, man pages and bash completion under
# $(PREFIX) (DESTDIR=... stages them). build/installed-files.txt keeps every file installed (CMake's own
# install_manifest.txt is rewritten by each install, the tests' too), which uninstall removes.
install: build
	cmake --install $(BUILD) --prefix $(PREFIX)
	@cat $(BUILD)/install_manifest.txt >>$(BUILD)/installed-files.txt

uninstall:
	@test -f $(BUILD)/installed-files.txt || { echo "make: nothing installed from $(BUILD)" >&2; exit 1; }
	sort -u $(BUILD)/installed-files.txt | xargs -r -d '\n' rm -f --
	@grep -o '^.*/mlderiv/' $(BUILD)/installed-files.txt | sort -u | \
	  xargs -r -d '\n' -I{} find {} -depth -type d -empty -delete 2>/dev/null || true
	@rm -f $(BUILD)/installed-files.txt

# The Debian package (CPack): build/deb/mlderiv_VERSION_ARCH.deb; apt install ./build/deb/mlderiv_*.deb.
deb: ready
	cd $(BUILD) && cpack -G DEB

# Installs that package with apt, runs the tools from / and removes it again (needs root; skipped otherwise).
deb-install: deb
	tests/install/deb-install.sh $(BUILD)/deb/mlderiv_*.deb

# The whole test suite built with AddressSanitizer and UndefinedBehaviorSanitizer (CMake preset asan, into
# build-asan/; -O1 -g1: 40% less compile time than -O2 -g, with function names and lines in reports); any
# report fails the test that triggered it. Left to the release build (CMakePresets.json):
# the packaging tests (install:, deb:; an install of a RelWithDebInfo build holds source paths by design), the
# GNU parallel run (cluster:; the shard and merge code it drives runs under ASan in test_shards) and
# two slow independent references whose code under test the other tests also run (w2's piecewise quadrature
# of every default row, 164 s under ASan; rope's brute-force grid search, 136 s).
asan: $(DEPS_STAMP)
	@cmake --preset asan $(CMAKE_FLAGS) >/dev/null
	@cmake --build build-asan -j $(JOBS)
	ctest --preset asan -j $(JOBS)

# A real one-node Slurm cluster on this machine (scripts/slurm/local-cluster.sh: munged, slurmctld, slurmd as
# root, in a temporary directory, stopped and removed at the end): a sweep as a 4-task job array with its merge
# job chained by --dependency=afterok, then a task killed mid-run, merge refusing, the task requeued
# (tests/cluster/slurm.sh). Installs slurm-wlm and munge first. CI runs it after make test.
test-cluster: ready
	@scripts/install-deps.sh --cluster
	tests/cluster/slurm.sh $(BIN)

# The libFuzzer targets of fuzz/ (clang, installed if missing), each for FUZZ_SECONDS from its committed
# corpus; FUZZ_MERGE=1 adds what grew the coverage to fuzz/corpus/ (scripts/fuzz.sh).
FUZZ_SECONDS ?= 60
fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) JOBS=$(JOBS) scripts/fuzz.sh

clean:
	rm -rf $(BUILD)
