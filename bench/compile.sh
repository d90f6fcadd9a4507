#!/usr/bin/env bash
# Compile-time cost of training in the compiler: compiles each workload translation unit with GCC and
# with Clang several times and reports wall seconds (median, min-max), compiler peak memory (max RSS
# from /usr/bin/time -v) and evaluator throughput (training steps per second of compile time).
#
#   bash bench/compile.sh [runs] [name-filter]   (default 5 runs per compiler and workload, all workloads)
#
# Flags are the ones the ctnn::ctnn target gives its users (read from cmake/CtnnTarget.cmake), at -O2.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
filter=${2:-}
command -v /usr/bin/time >/dev/null || { echo "bench/compile.sh needs /usr/bin/time (Debian package: time)" >&2; exit 1; }

limit() { sed -n "s/^set($1 \([0-9]*\) .*/\1/p" cmake/CtnnTarget.cmake; }
# -c, not -fsyntax-only: GCC frees the constant evaluator's memory only when it finishes a function
# definition for code generation, which -fsyntax-only skips (the staged XOR proof relies on it).
common=(-std=c++20 -O2 -ffp-contract=off -Iinclude -Iexamples -c -o /dev/null)
gcc_flags=(-fno-trapping-math -fconstexpr-ops-limit="$(limit CTNN_GCC_CONSTEXPR_OPS_LIMIT)" -fconstexpr-loop-limit="$(limit CTNN_GCC_CONSTEXPR_LOOP_LIMIT)")
clang_flags=(-fconstexpr-steps="$(limit CTNN_CLANG_CONSTEXPR_STEPS)")
clang=$(command -v clang++-16 || command -v clang++)
# examples/digits.cpp reads a header generated from data/digits.csv.
generated=$(mktemp -d)
trap 'rm -rf "$generated"' EXIT
cmake -D CSV=data/digits.csv -D OUTPUT="$generated/digits_data.hpp" -P examples/digits_header.cmake
common+=(-I"$generated")

# workload name | source | training steps (samples x epochs) evaluated in the TU (0: a runtime
# program, which should cost the compiler no evaluation) | extra flags | compilers (default both)
workloads=(
  "xor-2-3-1-15000-epochs|tests/static/xor_proof_test.cpp|60000"
  "dense-4-8-3-100-epochs|bench/workloads/dense_4_8_3.cpp|3000"
  "iris-4-8-3-adam-30-epochs|tests/static/iris_proof_test.cpp|3600"
  "xor-hand-written-floor|bench/workloads/xor_hand_written.cpp|60000"
  "digits-64-16-10-2-epochs|examples/digits.cpp|2876"
  "digits-hand-written-floor|bench/workloads/digits_hand_written.cpp|2876"
  # Runtime programs calling ctnn on 784-32-10 with constant arguments (-const) and with one argument
  # from argc (-argc): GCC folds constexpr calls with constant arguments at -O2, so the two must cost
  # the same (Clang does not fold them). See bench/workloads/runtime_784_32_10.hpp.
  "runtime-init-const|bench/workloads/runtime_init_784_32_10.cpp|0|-DCTNN_CONSTANT_ARGUMENTS|g++"
  "runtime-init-argc|bench/workloads/runtime_init_784_32_10.cpp|0||g++"
  "runtime-fit-const|bench/workloads/runtime_fit_784_32_10.cpp|0|-DCTNN_CONSTANT_ARGUMENTS|g++"
  "runtime-fit-argc|bench/workloads/runtime_fit_784_32_10.cpp|0||g++"
  "runtime-evaluate-const|bench/workloads/runtime_evaluate_784_32_10.cpp|0|-DCTNN_CONSTANT_ARGUMENTS|g++"
  "runtime-evaluate-argc|bench/workloads/runtime_evaluate_784_32_10.cpp|0||g++"
  "runtime-predict-const|bench/workloads/runtime_predict_784_32_10.cpp|0|-DCTNN_CONSTANT_ARGUMENTS|g++"
  "runtime-predict-argc|bench/workloads/runtime_predict_784_32_10.cpp|0||g++"
)

printf "%-26s %-10s %8s %17s %8s %10s %10s\n" workload compiler median "min-max (s)" "cpu (s)" "peak MB" "steps/s"
for entry in "${workloads[@]}"; do
  IFS='|' read -r name source steps extra only <<<"$entry"
  [[ -n $filter && $name != *$filter* ]] && continue
  read -r -a extra_flags <<<"${extra:-}"
  for compiler in g++ "$clang"; do
    [[ -n ${only:-} && $(basename "$compiler") != "$only"* ]] && continue
    if [[ $compiler == g++ ]]; then flags=("${gcc_flags[@]}"); else flags=("${clang_flags[@]}"); fi
    times=() cpus=() peak=0
    for ((r = 0; r < runs; ++r)); do
      /usr/bin/time -f "%e %U %S %M" -o /tmp/ctnn_bench_time "$compiler" "${common[@]}" "${flags[@]}" "${extra_flags[@]}" "$source"
      read -r seconds user system kb </tmp/ctnn_bench_time
      times+=("$seconds")
      cpus+=("$(python3 -c "print($user + $system)")")
      ((kb > peak)) && peak=$kb
    done
    python3 - "$name" "$(basename "$compiler")" "$steps" "$peak" "${times[*]}" "${cpus[*]}" <<'PY'
import statistics, sys
name, compiler, steps, peak, times, cpus = sys.argv[1:]
t = sorted(float(x) for x in times.split())
cpu = statistics.median(float(x) for x in cpus.split())
median = statistics.median(t)
rate = f"{int(steps)/median:10.0f}" if int(steps) else f"{'-':>10}"
print(f"{name:<26} {compiler:<10} {median:8.2f} {t[0]:8.2f}-{t[-1]:<8.2f} {cpu:8.2f} {int(peak)/1024:10.0f} {rate}")
PY
  done
done
