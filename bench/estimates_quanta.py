#!/usr/bin/env python3
"""The time estimates of quanta-scaling (core::require_time) against measured run times at 2-3 moderate sizes per
subcommand; the estimate should lie within a factor of 4, erring high. By hand, never by ctest.

usage: bench/estimates_quanta.py [BIN_DIR]   (default build/bin)
"""
from estimate_vs_measured import compare

CASES = [
    ("simulate", []),
    ("simulate", ["--points", "100"]),
    ("simulate", ["--seeds", "100", "--axis", "steps"]),
    ("fit", ["--bootstrap", "0", "--no-comparison"]),
    ("fit", ["--bootstrap", "1000", "--max-iterations", "300"]),
    ("fit", ["--bootstrap", "500", "--perturbations", "10", "--no-comparison", "--form", "power"]),
]

if __name__ == "__main__":
    compare("quanta-scaling", CASES)
