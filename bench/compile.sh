#!/usr/bin/env bash
# Compile-time cost of training in the compiler: compiles each workload translation unit with GCC and
# with Clang several times and reports wall seconds (median, min-max), compiler peak memory (max RSS
# from /usr/bin/time -v) and evaluator throughput (training steps per second of compile time).
#
#   bash bench/compile.sh [runs]        (default 5 runs per compiler and workload)
#
# Flags are the ones the ctnn::ctnn target gives its users (read from cmake/CtnnTarget.cmake), at -O2.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
command -v /usr/bin/time >/dev/null || { echo "bench/compile.sh needs /usr/bin/time (Debian package: time)" >&2; exit 1; }

limit() { sed -n "s/^set($1 \([0-9]*\) .*/\1/p" cmake/CtnnTarget.cmake; }
# -c, not -fsyntax-only: GCC frees the constant evaluator's memory only when it finishes a function
# definition for code generation, which -fsyntax-only skips (the staged XOR proof relies on it).
common=(-std=c++20 -O2 -ffp-contract=off -Iinclude -Iexamples -c -o /dev/null)
gcc_flags=(-fno-trapping-math -fconstexpr-ops-limit="$(limit CTNN_GCC_CONSTEXPR_OPS_LIMIT)" -fconstexpr-loop-limit="$(limit CTNN_GCC_CONSTEXPR_LOOP_LIMIT)")
clang_flags=(-fconstexpr-steps="$(limit CTNN_CLANG_CONSTEXPR_STEPS)")
clang=$(command -v clang++-16 || command -v clang++)

# workload name | source | training steps (samples x epochs) evaluated in the TU
workloads=(
  "xor-2-3-1-15000-epochs|tests/static/xor_proof_test.cpp|60000"
  "dense-4-8-3-100-epochs|bench/workloads/dense_4_8_3.cpp|3000"
  "iris-4-8-3-adam-30-epochs|tests/static/iris_proof_test.cpp|3600"
  "xor-hand-written-floor|bench/workloads/xor_hand_written.cpp|60000"
)

printf "%-24s %-10s %8s %17s %10s %14s\n" workload compiler median "min-max (s)" "peak MB" "steps/s"
for entry in "${workloads[@]}"; do
  IFS='|' read -r name source steps <<<"$entry"
  for compiler in g++ "$clang"; do
    if [[ $compiler == g++ ]]; then flags=("${gcc_flags[@]}"); else flags=("${clang_flags[@]}"); fi
    times=() peak=0
    for ((r = 0; r < runs; ++r)); do
      /usr/bin/time -f "%e %M" -o /tmp/ctnn_bench_time "$compiler" "${common[@]}" "${flags[@]}" "$source"
      read -r seconds kb </tmp/ctnn_bench_time
      times+=("$seconds")
      ((kb > peak)) && peak=$kb
    done
    python3 - "$name" "$(basename "$compiler")" "$steps" "$peak" "${times[@]}" <<'PY'
import statistics, sys
name, compiler, steps, peak, *times = sys.argv[1:]
t = sorted(float(x) for x in times)
median = statistics.median(t)
print(f"{name:<24} {compiler:<10} {median:8.2f} {t[0]:8.2f}-{t[-1]:<8.2f} {int(peak)/1024:10.0f} {int(steps)/median:14.0f}")
PY
  done
done
