#!/usr/bin/env python3
"""The time estimates of rnn-fixpoint (core::require_time) against measured run times at 2-3 moderate sizes per
subcommand; the estimate should lie within a factor of 4, erring high. By hand, never by ctest.

usage: bench/estimates_rnn.py [BIN_DIR]   (default build/bin)
"""
from estimate_vs_measured import compare

CASES = [
    ("converge", []),
    ("converge", ["--d", "64", "--T", "2000"]),
    ("gru", ["--d", "32"]),
    ("sweep", ["--T-list", "100,1000,10000"]),
    ("sweep", ["--max-iter", "400", "--T-list", "1000", "--rho-list", "0.9,1.2", "--sigma-list", "0.1"]),
    ("scan-bench", ["--repeats", "1"]),
    ("scan-bench", ["--repeats", "2", "--T-list", "100000", "--d-list", "16,64"]),
    ("timing", []),
    ("timing", ["--T", "20000", "--d", "64", "--repeats", "2"]),
]

if __name__ == "__main__":
    compare("rnn-fixpoint", CASES)
