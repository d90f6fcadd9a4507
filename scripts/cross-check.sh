#!/usr/bin/env bash
# The promise across architectures and optimisation flags: the XOR and Iris examples, built with
# ctnn::ctnn's flags for x86-64 at -O0, -O2 and -O3 -march=native and cross-compiled (-O2) for
# aarch64 and big-endian s390x (run under qemu-user), and the breast-cancer example at -O2 on each
# architecture, all print the same fingerprints, at compile time and at runtime; the unit tests
# that check bits pass on aarch64 and s390x (x86-64's presets run them all; the files of scalar code
# are compiled at -O1, see tests/cross/CMakeLists.txt); and a model file
# written on any of the three architectures loads on every other with the bits it was saved with.
# The builds are tests/cross/CMakeLists.txt, in build/cross/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/dependencies.sh
ctnn_require_packages g++ cmake ninja-build libboost-dev catch2 g++-aarch64-linux-gnu g++-s390x-linux-gnu qemu-user

builds=build/cross
mkdir -p "$builds"

# name, how to run its programs, targets, then cmake's arguments.
names=()
declare -A runner targets
build() {
  local name=$1
  runner[$name]=$2
  targets[$name]=$3
  shift 3
  names+=("$name")
  echo "ctnn: cross-check: building $name (${targets[$name]})"
  cmake -S tests/cross -B "$builds/$name" -G Ninja -D CMAKE_BUILD_TYPE= "$@" >"$builds/$name.configure.log" ||
    { cat "$builds/$name.configure.log" >&2; exit 1; }
  # shellcheck disable=SC2086  # the targets are words
  cmake --build "$builds/$name" --target ${targets[$name]} -j2 >"$builds/$name.build.log" ||
    { tail -n 80 "$builds/$name.build.log" >&2; echo "ctnn: cross-check: the $name build failed (log: $builds/$name.build.log)" >&2; exit 1; }
}
toolchain() { echo "--toolchain=$PWD/cmake/toolchains/$1-linux-gnu.cmake"; }

# Breast cancer (its data read from the CSV file at runtime, and for the compile-time model from a
# header that the build's own ctnn_dataset_generator writes, under qemu on the other architectures)
# only once per architecture, to save time.
examples="xor iris breast_cancer"
build x86-64-O2 "" "$examples model_exchange" -D CMAKE_CXX_FLAGS=-O2
build x86-64-O0 "" "xor iris" -D CMAKE_CXX_FLAGS=-O0
build x86-64-O3-native "" "xor iris" -D "CMAKE_CXX_FLAGS=-O3 -march=native"
build aarch64-O2 "qemu-aarch64 -L /usr/aarch64-linux-gnu" "$examples cross_unit_tests model_exchange" \
  "$(toolchain aarch64)" -D CMAKE_CXX_FLAGS=-O2
build s390x-O2 "qemu-s390x -L /usr/s390x-linux-gnu" "$examples cross_unit_tests model_exchange" \
  "$(toolchain s390x)" -D CMAKE_CXX_FLAGS=-O2

failed=0
fail() {
  echo "ctnn: cross-check: $*" >&2
  failed=1
}
# The program of a build, with its runner (none on x86-64), word-split on purpose.
run() {
  local name=$1 program=$2
  shift 2
  # shellcheck disable=SC2086
  ${runner[$name]} "$builds/$name/$program" "$@"
}
# Lines of "<model> <fingerprint>" as one line, for a message.
one_line() { printf '%s' "$1" | tr '\n' ' '; }
has_target() { [[ " ${targets[$1]} " == *" $2 "* ]]; }

# The examples: every build's compile-time and runtime fingerprints equal x86-64 -O2's.
for example in $examples; do
  reference=""
  for name in "${names[@]}"; do
    has_target "$name" "$example" || continue
    output=$(run "$name" "ctnn/examples/$example") || fail "$example ($name) exited with status $?"
    compile_time=$(printf '%s\n' "$output" | sed -n 's/^compile-time model: *fingerprint \([0-9a-f]*\)$/\1/p')
    runtime=$(printf '%s\n' "$output" | sed -n 's/^runtime model: *fingerprint \([0-9a-f]*\)$/\1/p')
    [ -n "$reference" ] || reference=$runtime
    echo "ctnn: cross-check: $example $name: compile time $compile_time, runtime $runtime"
    if [ -z "$reference" ] || [ "$compile_time" != "$reference" ] || [ "$runtime" != "$reference" ]; then
      fail "$example $name trained a different model than x86-64 -O2 (fingerprint ${reference:-none})"
    fi
  done
done

# The unit tests that check bits, once per build that has them, the emulators side by side.
declare -A unit_pid
for name in "${names[@]}"; do
  if has_target "$name" cross_unit_tests; then
    run "$name" cross_unit_tests >"$builds/$name.unit.log" 2>&1 &
    unit_pid[$name]=$!
  fi
done
for name in "${names[@]}"; do
  [ -n "${unit_pid[$name]:-}" ] || continue
  if wait "${unit_pid[$name]}"; then
    echo "ctnn: cross-check: unit tests $name: $(tail -n 2 "$builds/$name.unit.log" | tr -d '\n')"
  else
    tail -n 60 "$builds/$name.unit.log" >&2
    fail "unit tests $name failed (log: $builds/$name.unit.log)"
  fi
done

# Model files: each architecture writes the models, and reads what each architecture wrote. Every
# writer and every reader prints the reference's fingerprints, and the files are byte for byte the same.
models=$builds/models
rm -rf "$models"
failed_before_models=$failed
failed=0
writers=()
for name in "${names[@]}"; do has_target "$name" model_exchange && writers+=("$name"); done
reference=""
for writer in "${writers[@]}"; do
  mkdir -p "$models/$writer"
  written=$(run "$writer" model_exchange write "$models/$writer") || fail "model_exchange write ($writer) failed"
  [ -n "$reference" ] || { reference=$written; reference_dir=$models/$writer; }
  [ "$written" = "$reference" ] || fail "$writer wrote models with other fingerprints: $(one_line "$written")"
  for file in "$reference_dir"/*.model; do
    cmp -s "$file" "$models/$writer/$(basename "$file")" || fail "$writer wrote $(basename "$file") differently"
  done
done
for writer in "${writers[@]}"; do
  for reader in "${writers[@]}"; do
    loaded=$(run "$reader" model_exchange read "$models/$writer") || fail "$reader could not load $writer's models"
    [ "$loaded" = "$reference" ] || fail "$reader loaded $writer's models with other fingerprints: $(one_line "$loaded")"
  done
done
[ "$failed" -ne 0 ] || echo "ctnn: cross-check: model files written and read on ${writers[*]}: $(one_line "$reference")"
[ "$failed_before_models" -eq 0 ] || failed=1

if [ "$failed" -ne 0 ]; then
  echo "ctnn: cross-check: FAILED (logs in $builds/)" >&2
  exit 1
fi
echo "ctnn: cross-check: one set of bits on x86-64 (-O0, -O2, -O3 -march=native), aarch64 and s390x"
