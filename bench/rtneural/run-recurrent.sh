#!/usr/bin/env bash
# ctnn's streaming GRU and LSTM against RTNeural built from source (its ModelT; Eigen, xsimd and STL
# backends), float, one sample per call, N inputs = N units. RTNeural's source: a checkout at $RTNEURAL
# (default /tmp/rtn; see README.md). Both sides -O2, no -march; ctnn's file with ctnn's -ffp-contract=off.
# Eigen's stack limit is lifted (EIGEN_STACK_ALLOCATION_LIMIT=0): its 64-unit LSTM exceeds it; the models are static.
#
#   bash bench/rtneural/run-recurrent.sh [g++|clang++-16] [samples] [rounds]
set -euo pipefail
cd "$(dirname "$0")/../.."
cxx=${1:-g++}
samples=${2:-100000}
rounds=${3:-5}
rtn=${RTNEURAL:-/tmp/rtn}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
rtn_flags=(-std=c++17 -O2 -I"$rtn" -I"$rtn/RTNeural" -I"$rtn/modules/Eigen" -I/usr/include
           -I"$rtn/modules/json" -DRTNEURAL_DEFAULT_ALIGNMENT=16 -DEIGEN_STACK_ALLOCATION_LIMIT=0 -w -Ibench/rtneural)
"$cxx" "${rtn_flags[@]}" -DRTNEURAL_USE_EIGEN=1 -DRTNEURAL_NAMESPACE=RTNeuralEigen -DBACKEND=rtneural_eigen \
  -c bench/rtneural/recurrent_rtneural.cpp -o "$out/eigen.o"
"$cxx" "${rtn_flags[@]}" -DRTNEURAL_USE_XSIMD=1 -include bench/rtneural/xsimd8_compat.hpp -DRTNEURAL_NAMESPACE=RTNeuralXsimd -DBACKEND=rtneural_xsimd \
  -c bench/rtneural/recurrent_rtneural.cpp -o "$out/xsimd.o"
"$cxx" "${rtn_flags[@]}" -DRTNEURAL_NAMESPACE=RTNeuralStl -DBACKEND=rtneural_stl \
  -c bench/rtneural/recurrent_rtneural.cpp -o "$out/stl.o"
ctnn_flags=(-std=c++20 -O2 -ffp-contract=off -Iinclude -Ibench/rtneural)
[[ $("$cxx" --version) != *clang* ]] && ctnn_flags+=(-fno-trapping-math)
"$cxx" "${ctnn_flags[@]}" -c bench/rtneural/recurrent_ctnn.cpp -o "$out/ctnn.o"
"$cxx" -std=c++20 -O2 -Ibench/rtneural bench/rtneural/recurrent_main.cpp "$out"/*.o -o "$out/recurrent_bench"
echo "$cxx: $("$cxx" --version | head -1); RTNeural $(cd "$rtn" && cat .git-commit 2>/dev/null || echo "(source at $rtn)")"
"$out/recurrent_bench" "$samples" "$rounds"
