#!/usr/bin/env python3
"""The time estimates of score-w2 (core::require_time) against measured run times at moderate sizes per
subcommand; the estimate should lie within a factor of 4, erring high. By hand, never by ctest.

usage: bench/estimates_w2.py [BIN_DIR]   (default build/bin)
"""
from estimate_vs_measured import compare

CASES = [
    ("mixture", []),
    ("mixture", ["--particles", "300000"]),
    ("sde", []),
    ("sde", ["--steps", "2000"]),
    ("dsm", ["--samples", "800000"]),
    ("clouds", ["--particles", "1000000"]),
]

if __name__ == "__main__":
    compare("score-w2", CASES)
