#!/usr/bin/env bash
# make fuzz: builds the libFuzzer targets of fuzz/ with Debian's clang into build-fuzz/ (every source
# instrumented, with AddressSanitizer and UndefinedBehaviorSanitizer) and runs each for FUZZ_SECONDS
# (default 60) from its committed corpus fuzz/corpus/TARGET. New inputs go to build-fuzz/corpus/TARGET;
# FUZZ_MERGE=1 merges the ones that add coverage into the committed corpus. A finding (crash, abort of a
# property, leak, timeout) stops that target with its input in build-fuzz/artifacts/ and fails the run.
# Usage: scripts/fuzz.sh [TARGET...]   (default: every target in fuzz/fuzz.cmake)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
build=${FUZZ_BUILD:-build-fuzz}
jobs=${JOBS:-$(nproc)}
scripts/install-deps.sh --fuzz
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
  read -r -a targets <<<"$(sed -n 's/^set(mlderiv_fuzz_targets \(.*\))$/\1/p' fuzz/fuzz.cmake)"
fi
flags="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_CXX_FLAGS="$flags" -DMLDERIV_FUZZ=ON -DBUILD_TESTING=OFF -DSUITE_CUDA=OFF >/dev/null
cmake --build "$build" -j "$jobs" --target "${targets[@]/#/fuzz_}"
mkdir -p "$build/artifacts"
status=0
for t in "${targets[@]}"; do
  mkdir -p "$build/corpus/$t"
  echo "fuzz: $t for ${seconds} s" >&2
  if ! "$build/bin/fuzz_$t" -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$build/artifacts/$t-" "$build/corpus/$t" "fuzz/corpus/$t" \
      2>"$build/fuzz-$t.log"; then
    echo "fuzz: $t FOUND a failing input (log: $build/fuzz-$t.log):" >&2
    ls "$build/artifacts/$t-"* >&2 || true
    status=1
  fi
  grep -E "stat::number_of_executed_units|stat::new_units_added" "$build/fuzz-$t.log" | sed "s/^/fuzz: $t /" >&2 || true
  if [[ "${FUZZ_MERGE:-0}" == 1 ]]; then
    "$build/bin/fuzz_$t" -merge=1 -max_len=4096 "fuzz/corpus/$t" "$build/corpus/$t" 2>>"$build/fuzz-$t.log"
  fi
done
exit $status
