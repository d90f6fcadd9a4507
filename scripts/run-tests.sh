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
# libc++-16-dev, libc++abi-16-dev: scripts/libcxx-check.sh's libc++ builds.
# What GCC's unit tests need first; the rest installs in the background while they compile (on a fresh
# machine the packages take minutes, mostly download and unpacking, which the compiler does not need).
ctnn_require_packages g++ cmake ninja-build libboost-dev catch2
mkdir -p build
(ctnn_require_packages clang-16 libclang-rt-16-dev make librsvg2-bin clang-format-16 clang-19 python3-torch \
  python3-sklearn python3-onnx g++-aarch64-linux-gnu g++-s390x-linux-gnu qemu-user gcc-arm-none-eabi \
  libstdc++-arm-none-eabi-picolibc picolibc-arm-none-eabi qemu-system-arm libc++-16-dev libc++abi-16-dev) \
  >build/install-packages.log 2>&1 &
install_pid=$!

phase "GCC build and tests"
cmake --preset gcc >build/gcc-first-configure.log || { cat build/gcc-first-configure.log >&2; exit 1; }
cmake --build --preset gcc --target unit_tests
phase "GCC build and tests (after waiting for the packages)"
wait "$install_pid" || { cat build/install-packages.log >&2; echo "ctnn: installing the packages failed" >&2; exit 1; }
# Configured again now that Python with torch, clang-format and rsvg-convert are there.
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

# Clang's build doubles as the sanitizer build: AddressSanitizer + UndefinedBehaviorSanitizer at -O1
# (the unit tests at -O0, the SIMD sweeps at -O3 without them; the compile time is the optimiser's under
# the sanitizers), every test it builds run under them; the documents', interop, package, format and
# header-alone tests, which no compiler changes, run in GCC's build only. (A separate Debug build for the
# sanitizers cost CI another full build of the unit tests; the asan-ubsan preset keeps it for
# debugging.) The sanitizers change no arithmetic: the fingerprints below compare its models with GCC's.
phase "Clang build (-O1 + ASan + UBSan)"
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
# The three run side by side (each its own time; the machine's cores shared), then each is judged.
fuzzers=(model_loader csv_reader parse_number)
declare -A fuzz_pid
for fuzzer in "${fuzzers[@]}"; do
  mkdir "$fuzz_scratch/$fuzzer"
  cp tests/fuzz/corpus/$fuzzer/* "$fuzz_scratch/$fuzzer"/
  echo "ctnn: fuzzing $fuzzer for ${fuzz_seconds} s (log: build/fuzz/fuzz_$fuzzer.log)"
  ./build/fuzz/tests/fuzz/fuzz_$fuzzer -max_total_time="$fuzz_seconds" -rss_limit_mb=2048 -timeout=10 \
    -print_final_stats=1 -dict=tests/fuzz/$fuzzer.dict -artifact_prefix=build/fuzz/findings/ "$fuzz_scratch/$fuzzer" \
    >"build/fuzz/fuzz_$fuzzer.log" 2>&1 &
  fuzz_pid[$fuzzer]=$!
done
for fuzzer in "${fuzzers[@]}"; do
  fuzz_log=build/fuzz/fuzz_$fuzzer.log
  if ! wait "${fuzz_pid[$fuzzer]}"; then
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
