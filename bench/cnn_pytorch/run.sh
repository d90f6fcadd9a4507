#!/bin/sh
# The digits CNN in ctnn (runtime, GCC and Clang) and in PyTorch (one thread), in one run:
# training throughput (per-sample SGD, two epochs) and single-image inference, with the ratios.
# Usage: bench/cnn_pytorch/run.sh   (from the repository root; needs g++, clang++-16, /usr/bin/python3 with torch)
set -eu
out=${TMPDIR:-/tmp}/ctnn_cnn_bench
mkdir -p "$out"
cmake -D CSV=data/digits.csv -D OUTPUT="$out/digits_data.hpp" -P examples/digits_header.cmake
flags="-std=c++20 -O2 -march=native -ffp-contract=off -fno-trapping-math -DNDEBUG -Iinclude -Iexamples -I$out"
g++ $flags bench/cnn_pytorch/ctnn_cnn.cpp -o "$out/ctnn_cnn_gcc"
clang++-16 $flags bench/cnn_pytorch/ctnn_cnn.cpp -o "$out/ctnn_cnn_clang"
gcc_line=$("$out/ctnn_cnn_gcc")
clang_line=$("$out/ctnn_cnn_clang")
torch_line=$(/usr/bin/python3 bench/cnn_pytorch/torch_cnn.py data/digits.csv)
echo "GCC:   $gcc_line"
echo "Clang: $clang_line"
echo "       $torch_line"
rate() { echo "$1" | sed -n "s/.*($2\([0-9]*\) samples\/s).*/\1/p"; }
infer() { echo "$1" | sed -n 's/.*inference \([0-9]*\) images\/s.*/\1/p'; }
for name in GCC Clang; do
  if [ $name = GCC ]; then line=$gcc_line; else line=$clang_line; fi
  echo "$name / PyTorch: training $(echo "scale=1; $(rate "$line" "") / $(rate "$torch_line" "")" | bc)x," \
       "single-image inference $(echo "scale=1; $(infer "$line") / $(infer "$torch_line")" | bc)x"
done
