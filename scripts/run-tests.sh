#!/usr/bin/env bash
# Builds and runs every test (unit, static, compile-fail, example) with GCC and with Clang 16.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/dependencies.sh
ctnn_require_packages g++ clang-16 cmake ninja-build libboost-dev catch2 librsvg2-bin clang-format
cmake --workflow --preset gcc
cmake --preset clang
cmake --build --preset clang

# The promise across compilers: the XOR model trained by GCC and by Clang, each at compile time and at
# runtime, is one and the same set of bits (examples/xor prints both fingerprints of its build).
fingerprints=$( (./build/gcc/examples/xor; ./build/clang/examples/xor) | sed -n 's/.*fingerprint \([0-9a-f]*\)$/\1/p' | sort -u)
if [ "$(printf '%s\n' "$fingerprints" | wc -l)" -ne 1 ] || [ -z "$fingerprints" ]; then
  echo "ctnn: GCC and Clang trained different XOR models (fingerprints: $(echo $fingerprints))" >&2
  exit 1
fi
echo "ctnn: GCC and Clang, compile time and runtime: one XOR model, fingerprint $fingerprints"

# Clang's tests last, so the run ends with ctest's summary.
ctest --preset clang
