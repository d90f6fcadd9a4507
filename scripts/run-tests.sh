#!/usr/bin/env bash
# Builds and runs every test (unit, static, compile-fail, example) with GCC and with Clang 16.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/dependencies.sh
ctnn_require_packages g++ clang-16 cmake ninja-build libboost-dev catch2 librsvg2-bin clang-format
cmake --workflow --preset gcc
cmake --workflow --preset clang
