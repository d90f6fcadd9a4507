#!/bin/sh
# Proves ACAS Xu property 4 on network 2_4 in a static_assert and reports the compile time.
#   bench/verify/acasxu_static.sh [COMPILER] [BENCHMARK_DIR]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
compiler=${1:-g++}
benchmark=${2:-/work/data/vnncomp2021/benchmarks/acasxu}
out=${TMPDIR:-/tmp}/ctnn_acasxu_static
mkdir -p "$out"
"$here/acasxu_header.py" "$benchmark/ACASXU_run2a_2_4_batch_2000.onnx" "$out/acasxu_2_4.hpp"
case $compiler in
  *clang*) limits="-fconstexpr-steps=4294967295" ;;
  *) limits="-fconstexpr-ops-limit=68719476736 -fconstexpr-loop-limit=2147483647" ;;
esac
# shellcheck disable=SC2086
/usr/bin/time -f "%e s wall, %U s user, %M KB" $compiler -std=c++20 -ffp-contract=off -fno-trapping-math $limits \
  -I "$here/../../include" -DACASXU_HEADER="\"$out/acasxu_2_4.hpp\"" -fsyntax-only "$here/acasxu_static.cpp"
