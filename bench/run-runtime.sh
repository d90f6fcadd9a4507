#!/usr/bin/env bash
# Runtime benchmark: ctnn's training loop against a hand-written plain-loop trainer doing the same
# (bit-identical) arithmetic, and ctnn::math::exp against glibc's exp. Prints Google Benchmark's
# table (median of 5 repetitions) and then the ratio table, all from one process.
#
#   bash bench/run-runtime.sh [extra Google Benchmark flags]        GCC (g++)
#   CXX=clang++-16 bash bench/run-runtime.sh                          Clang
#
# Build dir: build/bench (GCC) or build/bench-<compiler> for any other CXX. Needs libbenchmark-dev;
# libeigen3-dev adds an Eigen column (not bit-identical: Eigen vectorizes the sums).
set -euo pipefail
cd "$(dirname "$0")/.."

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

# Repetitions are interleaved at random across benchmarks, so a burst of load on this shared
# machine hits every benchmark alike instead of all the repetitions of one.
"$build/bench/runtime_bench" \
  --benchmark_repetitions=5 \
  --benchmark_report_aggregates_only=true \
  --benchmark_enable_random_interleaving=true \
  "$@"
