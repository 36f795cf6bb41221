#!/usr/bin/env bash
# GPU against CPU: builds with CUDA into build-cuda/ and runs every scripts/gpu-check.d/*.sh, each of
# which compares a tool's --device cuda output with its --device cpu output on a fixed grid and exits
# non-zero when they differ by more than its stated tolerance. Needs nvcc and a CUDA device.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_CUDA:-build-cuda}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DSUITE_CUDA=ON ${CUDA_ARCH:+-DCMAKE_CUDA_ARCHITECTURES=$CUDA_ARCH} >/dev/null
cmake --build "$build" -j "$(nproc)" --target abc-min attn-sweep rnn-fixpoint jl-entropy 2>&1 | tail -n 3
export BIN="$PWD/$build/bin"
status=0
for check in scripts/gpu-check.d/*.sh; do
  [[ -e "$check" ]] || continue
  echo "== $check"
  if bash "$check"; then echo "== $check: ok"; else echo "== $check: FAILED"; status=1; fi
done
exit $status
