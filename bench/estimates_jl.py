#!/usr/bin/env python3
"""The time estimates of jl-entropy (core::require_time) against measured run times at 2-3 moderate sizes per
subcommand; the estimate should lie within a factor of 4, erring high. By hand, never by ctest.

usage: bench/estimates_jl.py [BIN_DIR]   (default build/bin)
"""
from estimate_vs_measured import compare

CASES = [
    ("min-dim", ["--trials", "20"]),
    ("min-dim", ["--trials", "60", "--points", "100,300"]),
    ("norm-tail", ["--trials", "100000"]),
    ("norm-tail", ["--trials", "200000", "--n", "64,1024"]),
    ("ortho-tail", ["--trials", "50000"]),
    ("ortho-tail", ["--trials", "100000", "--n", "64,1024"]),
    ("entropy", ["--log2-to", "14"]),
    ("entropy", ["--log2-to", "16"]),
    ("entropy", ["--d", "256", "--log2-to", "12"]),
]

if __name__ == "__main__":
    compare("jl-entropy", CASES)
