#!/usr/bin/env bash
# The promise on microcontrollers: the check programs of tests/mcu, built for the build machine
# (x86-64) and cross-compiled for bare-metal Cortex-M3 (no FPU), Cortex-M4 (single-precision FPU) and
# Cortex-M7 (double-precision FPU) with Debian's gcc-arm-none-eabi and picolibc, run under
# qemu-system-arm with semihosting, must print the same lines: the XOR, Iris and breast-cancer models
# trained by each compiler in a constant expression, trained again by each program when it runs, and
# the build machine's models emitted as headers (ctnn::emit_header) with their predictions; two float
# recipes the same way, and two scikit-learn models exported by ctnn-export (bench/mcu/models) with
# their predictions; and double and float arithmetic itself (tests/mcu/arithmetic.cpp). On Cortex-M3
# and M4 the programs link tests/mcu/soft_double.cpp in place of libgcc's double addition and
# subtraction, which misround (see there). The builds are tests/mcu/CMakeLists.txt, in build/mcu/.
#
#   CTNN_MCU_FLAGS="" bash scripts/cortex-m-check.sh   # flags for every program (default: no exceptions, no RTTI)
#   CTNN_MCU_TIMEOUT=300 bash scripts/cortex-m-check.sh                       # seconds per program (120)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/dependencies.sh
ctnn_require_packages g++ cmake ninja-build libboost-dev gcc-arm-none-eabi libstdc++-arm-none-eabi-picolibc \
  picolibc-arm-none-eabi qemu-system-arm

# The one place for the check programs' extra flags, on the build machine and on every core: by
# default what microcontroller builds use, no exceptions and no RTTI.
mcu_flags=${CTNN_MCU_FLAGS--fno-exceptions -fno-rtti}
timeout_seconds=${CTNN_MCU_TIMEOUT:-120}
cores="cortex-m3 cortex-m4 cortex-m7"
builds=build/mcu
mkdir -p "$builds"

# build <name> <cmake arguments...>: configures and builds tests/mcu in build/mcu/<name>.
build() {
  local name=$1
  shift
  echo "ctnn: cortex-m-check: building $name"
  cmake -S tests/mcu -B "$builds/$name" -G Ninja -D "CTNN_MCU_FLAGS=$mcu_flags" "$@" >"$builds/$name.configure.log" ||
    { cat "$builds/$name.configure.log" >&2; exit 1; }
  cmake --build "$builds/$name" -j2 >"$builds/$name.build.log" ||
    { tail -n 80 "$builds/$name.build.log" >&2; echo "ctnn: cortex-m-check: the $name build failed (log: $builds/$name.build.log)" >&2; exit 1; }
}
check_started=$SECONDS
build host -D CMAKE_BUILD_TYPE=Release -D CMAKE_CXX_COMPILER=g++
for core in $cores; do
  # -Os, as firmware is usually built; the bits must not depend on it.
  build "$core" -D CMAKE_BUILD_TYPE=MinSizeRel --toolchain "$PWD/cmake/toolchains/arm-none-eabi-$core.cmake" \
    -D "CTNN_MCU_HEADERS=$PWD/$builds/host/headers"
done
echo "ctnn: cortex-m-check: built in $((SECONDS - check_started)) s"

failed=0
fail() {
  echo "ctnn: cortex-m-check: $*" >&2
  failed=1
}

# run <build> <program> <machine>: runs it (under qemu unless the machine is "-"), output in
# build/mcu/<build>/<program>.out; false when it failed or timed out.
run() {
  local build=$1 program=$2 machine=$3
  local out=$builds/$build/$program.out
  local command=("$builds/$build/$program")
  if [ "$machine" != - ]; then
    # What the program writes through semihosting goes to the file; QEMU's own words to stderr.
    # shellcheck disable=SC2054  # the commas are QEMU's option syntax
    command=(qemu-system-arm -M "$machine" -nographic -monitor none -serial none -chardev "file,id=out,path=$out"
      -semihosting-config enable=on,target=native,chardev=out -kernel "$builds/$build/$program")
  fi
  rm -f "$out"
  local status=0
  timeout --kill-after=10 "$timeout_seconds" "${command[@]}" </dev/null >>"$out" 2>"$out.stderr" || status=$?
  if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
    fail "$program on $build ($machine) did not finish in $timeout_seconds s (CTNN_MCU_TIMEOUT)"
    return 1
  elif [ "$status" -ne 0 ]; then
    cat "$out" "$out.stderr" >&2
    fail "$program on $build ($machine) exited with status $status"
    return 1
  fi
}

# The check lines (not the '#' info lines) of every program on every core equal the build machine's.
while read -r program _; do
  run host "$program" - || continue
  reference=$(grep -v '^#' "$builds/host/$program.out")
  [ -n "$reference" ] || { fail "$program printed nothing on the build machine"; continue; }
  echo "ctnn: cortex-m-check: $program, x86-64:"
  printf '%s\n' "$reference" | sed 's/^/    /'
  for core in $cores; do
    machine=$(awk -v p="$program" '$1 == p { print $2 }' "$builds/$core/programs.txt")
    started=$SECONDS
    run "$core" "$program" "$machine" || continue
    lines=$(grep -v '^#' "$builds/$core/$program.out")
    size=$(arm-none-eabi-size "$builds/$core/$program" | awk 'NR == 2 { print $1 + $2 " B flash" }')
    info=$( (grep '^#' "$builds/$core/$program.out" || true) | sed 's/^# [^:]*: //' | tr '\n' ';' | sed 's/;/; /g')
    if [ "$lines" = "$reference" ]; then
      echo "ctnn: cortex-m-check: $program, $core ($machine): the same lines ($size; $info$((SECONDS - started)) s)"
    else
      diff <(printf '%s\n' "$reference") <(printf '%s\n' "$lines") >&2 || true
      fail "$program on $core ($machine) printed other lines than on x86-64 (above: < x86-64, > $core)"
    fi
  done
done <"$builds/host/programs.txt"

if [ "$failed" -ne 0 ]; then
  echo "ctnn: cortex-m-check: FAILED (outputs in $builds/)" >&2
  exit 1
fi
echo "ctnn: cortex-m-check: one set of bits on x86-64, Cortex-M3, Cortex-M4 and Cortex-M7 ($((SECONDS - check_started)) s)"
