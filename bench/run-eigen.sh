#!/usr/bin/env bash
# ctnn against Eigen 3.4 at runtime: bench/eigen.cpp built twice with the flags of ctnn::ctnn
# (-ffp-contract=off, and -fno-trapping-math for GCC), once at -O2 and once at -O3 -march=native, each
# run once; each prints its table (ns per sample, ratio ctnn / Eigen, and whether the issue's target
# is met). Each program first checks that ctnn's runtime results have the bits of the plain scalar
# loops of the constant-evaluated path, and refuses to time anything otherwise.
#
#   bash bench/run-eigen.sh                 GCC (g++)
#   CXX=clang++-16 bash bench/run-eigen.sh  Clang
#
# Needs Debian libeigen3-dev. Builds into build/bench-eigen/.
set -euo pipefail
cd "$(dirname "$0")/.."

cxx=${CXX:-g++}
eigen=${EIGEN_INCLUDE:-/usr/include/eigen3}
[[ -f $eigen/Eigen/Core ]] || { echo "bench/run-eigen.sh needs Eigen 3: apt-get install -y libeigen3-dev" >&2; exit 1; }
mkdir -p build/bench-eigen
flags=(-std=c++20 -ffp-contract=off -Iinclude -isystem "$eigen" -Wall -Wextra -Wpedantic -Wconversion -Wshadow -Werror)
# GCC 12's AVX-512 intrinsics, inlined into Eigen, warn about their own undefined sources.
if [[ $($cxx --version) != *clang* ]]; then flags+=(-fno-trapping-math -Wno-maybe-uninitialized -Wno-uninitialized); fi

for level in "-O2" "-O3 -march=native"; do
  name=build/bench-eigen/eigen-$(basename "$cxx")${level// /}
  # shellcheck disable=SC2086 # $level is two flags on purpose
  "$cxx" "${flags[@]}" $level bench/eigen.cpp -o "$name"
  echo "== $cxx $level"
  "$name"
done
