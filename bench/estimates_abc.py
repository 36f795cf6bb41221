#!/usr/bin/env python3
"""The time estimates of abc-min (core::require_time) against measured run times at moderate sizes per
subcommand; the estimate should lie within a factor of 4, erring high. By hand, never by ctest.

usage: bench/estimates_abc.py [BIN_DIR]   (default build/bin)
"""
from estimate_vs_measured import compare

CASES = [
    ("scaling", []),
    ("scaling", ["--samples", "40", "--sqrt-max", "10^17"]),
    ("gaps", []),
    ("gaps", ["--samples", "300"]),
]

if __name__ == "__main__":
    compare("abc-min", CASES)
