#!/usr/bin/env bash
# Builds and runs the XOR example (examples/xor.cpp) with GCC on Debian 12.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/dependencies.sh
ctnn_require_packages g++ cmake ninja-build libboost-dev
cmake --workflow --preset example
./build/example/examples/xor
