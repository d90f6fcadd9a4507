#!/usr/bin/env bash
# Builds and runs every test (unit, static, compile-fail, example) with GCC and with Clang 16, the
# compile-fail tests with Clang 19, the examples and text tests with libc++, the cross-architecture and
# Cortex-M checks, the runtime tests again under AddressSanitizer + UndefinedBehaviorSanitizer, and
# fuzzes the model loader, the CSV reader and the number reader.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/dependencies.sh

# Each phase's wall time, printed when the next starts and summed at the end, so a CI log shows where
# the 30-minute budget goes.
phase_names=() phase_seconds=() phase_started=$SECONDS
phase() {
  if [ ${#phase_names[@]} -gt 0 ]; then
    phase_seconds+=($((SECONDS - phase_started)))
    echo "ctnn: phase '${phase_names[-1]}' took ${phase_seconds[-1]} s"
  fi
  [ "$1" = end ] && return 0
  phase_names+=("$1")
  phase_started=$SECONDS
}
phase_summary() {
  phase end
  local i
  echo "ctnn: phases (wall s):"
  for i in "${!phase_seconds[@]}"; do printf 'ctnn:   %5d  %s\n' "${phase_seconds[$i]}" "${phase_names[$i]}"; done
  echo "ctnn: total ${SECONDS} s"
}

phase "install packages"
# libclang-rt-16-dev: Clang 16's sanitizer and libFuzzer runtimes (only recommended by clang-16).
# g++-aarch64-linux-gnu, g++-s390x-linux-gnu (with their libc and libstdc++ as dependencies) and qemu-user:
# scripts/cross-check.sh's builds for other architectures and the emulators that run them.
# gcc-arm-none-eabi, libstdc++-arm-none-eabi-picolibc, picolibc-arm-none-eabi and qemu-system-arm:
# scripts/cortex-m-check.sh's bare-metal builds for Cortex-M3, M4 and M7 and the boards that run them.
# clang-19: the compile-fail tests on the newest Clang Debian offers.
ctnn_require_packages g++ clang-16 libclang-rt-16-dev cmake make ninja-build libboost-dev catch2 librsvg2-bin clang-format-16 \
  clang-19 python3-torch python3-sklearn python3-onnx g++-aarch64-linux-gnu g++-s390x-linux-gnu qemu-user \
  gcc-arm-none-eabi libstdc++-arm-none-eabi-picolibc picolibc-arm-none-eabi qemu-system-arm
phase "GCC build and tests"
cmake --workflow --preset gcc

# The plain path most people type first: no preset, no build type, Unix Makefiles. Its packaging
# tests and the compile-fail harness (a .ko test builds its target through the generator) are the ones
# that depend on the generator and the build type; the rest is the same code as in the preset build
# above, so three compile-fail pairs (a shape error, a constexpr misuse, the fast-math refusal) stand
# for the harness.
phase "plain CMake compile-fail and package tests"
cmake -S . -B build/plain
ctest --test-dir build/plain -L package --output-on-failure -j2
ctest --test-dir build/plain -R "^compile_fail[.](sanity|layer_input_mismatch|zero_epochs_in_constant_expression|fast_math)[.]" \
  --output-on-failure -j2

# The one-error promise on the newest Clang Debian offers, too (its -Wnan-infinity-disabled once
# added a second error after config.hpp's #error under fast math): GCC and Clang 16 run every
# compile-fail test; here one of each kind of error (shapes, data sets, constexpr misuse, custom
# parts, options, the math flags) keeps CI's time for the rest.
phase "Clang 19 compile-fail tests"
cmake -S . -B build/clang19 -G Ninja -DCMAKE_CXX_COMPILER=clang++-19 -DCMAKE_BUILD_TYPE=Release -DCTNN_WARNINGS_AS_ERRORS=ON
ctest --test-dir build/clang19 --output-on-failure -j2 -L compile-fail -R "[.](sanity|third_layer_mismatch|\
dataset_input_mismatch|zero_epochs_in_constant_expression|custom_loss_without_name|conv1d_groups_do_not_divide_channels|\
fast_math|finite_math_only)[.]"

# Clang's build doubles as the sanitizer build: Release (the flags users build with) with
# AddressSanitizer + UndefinedBehaviorSanitizer, every test run under them. (A separate Debug build
# for the sanitizers cost CI another full build of the unit tests; the asan-ubsan preset keeps it
# for debugging.) The sanitizers change no arithmetic: the fingerprints below compare its models
# with GCC's.
phase "Clang build (Release + ASan + UBSan)"
cmake --preset clang-sanitized
cmake --build --preset clang-sanitized

# The promise across compilers: each example model (XOR, Iris, the breast-cancer proof's recipe)
# trained by GCC and by Clang, each at compile time and at runtime, is one and the same set of bits
# (each example prints both fingerprints of its build).
for example in xor iris breast_cancer; do
  fingerprints=$( (./build/gcc/examples/$example; ./build/clang-sanitized/examples/$example) |
    sed -n 's/.*fingerprint \([0-9a-f]*\)$/\1/p' | sort -u)
  if [ "$(printf '%s\n' "$fingerprints" | wc -l)" -ne 1 ] || [ -z "$fingerprints" ]; then
    echo "ctnn: GCC and Clang trained different $example models (fingerprints: $(echo $fingerprints))" >&2
    exit 1
  fi
  echo "ctnn: GCC and Clang, compile time and runtime: one $example model, fingerprint $fingerprints"
done

# libc++ (macOS, Android): the examples' fingerprints (equal to libstdc++'s) and the number, CSV and
# model-file tests with clang++-16 -stdlib=libc++; the whole suite and libc++ 19: scripts/libcxx-check.sh.
phase "libc++ check (quick)"
CTNN_LIBCXX_QUICK=1 CTNN_LIBCXX_REFERENCE=build/clang-sanitized bash scripts/libcxx-check.sh

# The promise across architectures and flags: x86-64 at -O0, -O2 and -O3 -march=native, aarch64 and
# big-endian s390x under qemu-user give the same models, and read each other's model files.
phase "cross-check (x86-64 flags, aarch64, s390x)"
bash scripts/cross-check.sh

# The same promise on bare-metal Cortex-M3 (no FPU), M4 (single-precision FPU) and M7 (double), under
# qemu-system-arm: compile-time, device-trained and emitted-header models have x86-64's bits.
phase "Cortex-M check"
bash scripts/cortex-m-check.sh

# The model loader, the CSV reader and the number reader (against std::from_chars) fuzzed for a
# bounded time each (CTNN_FUZZ_SECONDS in all, split between them), after replaying their seed corpora (the fuzz preset's tests). libFuzzer adds what it
# finds to its first corpus directory, so each fuzzer gets a scratch copy of its seeds.
phase "fuzzers"
cmake --workflow --preset fuzz
fuzz_seconds=$(( ${CTNN_FUZZ_SECONDS:-60} / 3 ))
fuzz_scratch=$(mktemp -d)
trap 'rm -rf "$fuzz_scratch"' EXIT
mkdir -p build/fuzz/findings
for fuzzer in model_loader csv_reader parse_number; do
  mkdir "$fuzz_scratch/$fuzzer"
  cp tests/fuzz/corpus/$fuzzer/* "$fuzz_scratch/$fuzzer"/
  fuzz_log=build/fuzz/fuzz_$fuzzer.log
  echo "ctnn: fuzzing $fuzzer for ${fuzz_seconds} s (log: $fuzz_log)"
  if ! ./build/fuzz/tests/fuzz/fuzz_$fuzzer -max_total_time="$fuzz_seconds" -rss_limit_mb=2048 -timeout=10 \
    -print_final_stats=1 -dict=tests/fuzz/$fuzzer.dict -artifact_prefix=build/fuzz/findings/ "$fuzz_scratch/$fuzzer" \
    >"$fuzz_log" 2>&1; then
    tail -n 60 "$fuzz_log" >&2
    echo "ctnn: fuzz_$fuzzer found a crash, leak, timeout or broken property; the input is in build/fuzz/findings/" >&2
    echo "ctnn: reproduce with: build/fuzz/tests/fuzz/fuzz_$fuzzer build/fuzz/findings/<file>" >&2
    exit 1
  fi
  grep -E '^(#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|stat::average_exec_per_sec)' "$fuzz_log"
  echo "ctnn: fuzz_$fuzzer: no findings in ${fuzz_seconds} s"
done

# Clang's tests last, so the run ends with ctest's summary.
phase "Clang tests (under ASan + UBSan)"
ctest --preset clang-sanitized
phase_summary
