#!/usr/bin/env python3
"""The time estimates of attn-sweep (core::require_time) against measured run times at moderate sizes per
subcommand; the estimate should lie within a factor of 4, erring high. By hand, never by ctest.

usage: bench/estimates_attn.py [BIN_DIR]   (default build/bin)
"""
from estimate_vs_measured import compare

CASES = [
    ("scale", []),
    ("scale", ["--mc-rows", "100", "--d", "1024"]),
    ("sparsity", ["--samples", "800000"]),
    ("noise", []),
    ("noise", ["--trials", "400"]),
    ("stats", ["--d", "1024"]),
    ("rope-base", ["--L", "64k,256k"]),
    ("rope-curves", []),
]

if __name__ == "__main__":
    compare("attn-sweep", CASES)
