#!/usr/bin/env bash
# Runtime benchmark: ctnn's training loop against a hand-written plain-loop trainer doing the same
# (bit-identical) arithmetic, and ctnn::math::exp against glibc's exp. Prints Google Benchmark's
# table (median of 5 repetitions) and then the ratio table, all from one process. The ratio table and
# a summary go to bench/results/runtime-<compiler>.md with the run's date, commit, machine and
# compiler; `bash bench/update-docs.sh` copies them into README.md and bench/README.md.
#
#   bash bench/run-runtime.sh [extra Google Benchmark flags]        GCC (g++)
#   CXX=clang++-16 bash bench/run-runtime.sh                          Clang
#
# Build dir: build/bench (GCC) or build/bench-<compiler> for any other CXX. Needs libbenchmark-dev;
# libeigen3-dev adds an Eigen column (not bit-identical: Eigen vectorizes the sums).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/update-docs.sh

cxx=${CXX:-g++}
command -v "$cxx" >/dev/null || { echo "bench/run-runtime.sh: compiler '$cxx' not found" >&2; exit 1; }
if [[ ! -f /usr/include/benchmark/benchmark.h && ! -f /usr/local/include/benchmark/benchmark.h ]]; then
  echo "bench/run-runtime.sh needs Google Benchmark: apt-get install -y libbenchmark-dev" >&2
  exit 1
fi
if [[ $cxx == g++ ]]; then build=build/bench; else build=build/bench-$(basename "$cxx"); fi
cxx_path=$(command -v "$cxx")
# A build dir configured with another compiler cannot be switched in place: start it afresh.
if [[ -f $build/CMakeCache.txt ]] &&
   ! grep -qx "CMAKE_CXX_COMPILER:[A-Z]*=$cxx_path" "$build/CMakeCache.txt"; then
  rm -rf "$build/CMakeCache.txt" "$build/CMakeFiles"
fi

cmake -S . -B "$build" -G Ninja \
  -DCMAKE_CXX_COMPILER="$cxx_path" \
  -DCMAKE_BUILD_TYPE=Release \
  -DCTNN_BUILD_BENCHMARKS=ON -DCTNN_BUILD_TESTS=OFF -DCTNN_BUILD_EXAMPLES=OFF >/dev/null
cmake --build "$build" --target runtime_bench

python=$(command -v python3) || { echo "bench/run-runtime.sh needs python3" >&2; exit 1; }
command="bash bench/run-runtime.sh${*:+ $*}"
[[ $cxx != g++ ]] && command="CXX=$cxx $command"
provenance=$(ctnn_bench_provenance "$cxx" "-O2 -ffp-contract=off$([[ $($cxx --version) != *clang* ]] && echo " -fno-trapping-math") -falign-loops=64" "$command")

# Repetitions are interleaved at random across benchmarks, so a burst of load on this shared
# machine hits every benchmark alike instead of all the repetitions of one.
"$build/bench/runtime_bench" \
  --benchmark_repetitions=5 \
  --benchmark_report_aggregates_only=true \
  --benchmark_enable_random_interleaving=true \
  "$@" | tee "$build/runtime_bench.out"

"$python" - "$build/runtime_bench.out" "$provenance" "bench/results/runtime-$(basename "$cxx").md" <<'PY'
import subprocess, sys

output, provenance, results = sys.argv[1:]
lines = open(output).read().splitlines()
start = next(i for i, line in enumerate(lines) if line.startswith("ctnn / hand-written, "))
table = lines[start:]
paired = {}
for line in table:
    parts = [p.strip() for p in line.split("|")]
    if len(parts) >= 3:
        values = parts[2].split()
        if len(values) == 3 and values[2].endswith("x"):
            paired[parts[0]] = (values[0], values[1], values[2].rstrip("x"))

rows = [
    ("xor 2-3-1, 1000 ep/fit", "training step, XOR 2-3-1, 1000 epochs per `fit` call, ctnn / hand-written loop", 1.05),
    ("xor 2-3-1, 1 epoch/fit", "the same, 1 epoch per `fit` call", None),
    ("64-128-10, 1 epoch/fit", "training step, 64-128-10, ctnn / hand-written loop", 1.0),
    ("latency", "`ctnn::math::exp` / glibc `exp`, latency", 1.2),
    ("throughput", "the same, throughput", None),
]
summary = ["| ctnn / baseline, `-O2` (paired: alternating runs, median of the rounds' ratios) | target | ctnn ns | baseline ns | ratio |",
           "|---|---|---|---|---|"]
for key, label, target in rows:
    if key not in paired:
        continue
    ctnn, base, ratio = paired[key]
    verdict = "" if target is None else (" (met)" if float(ratio) <= target else " (missed)")
    summary.append(f"| {label} | {'≤ ' + str(target) if target else ''} | {ctnn} | {base} | {float(ratio):.3f}{verdict} |")

subprocess.run(["bash", "-c", 'source bench/update-docs.sh && ctnn_bench_write_results "$@"', "bash", results,
                "summary", provenance + "\n\n" + "\n".join(summary),
                "full", provenance + "\n\n```text\n" + "\n".join(line.rstrip() for line in table).rstrip() + "\n```"], check=True)
PY
