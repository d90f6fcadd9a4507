#!/usr/bin/env bash
# Builds and runs ctnn's tests against LLVM's libc++ (the standard library of macOS, iOS and Android):
# libc++ 16 with Debian's clang++-16 -stdlib=libc++, and libc++ 19 with clang++-19 and Debian's
# libc++-19 packages unpacked under build/libcxx19/root (apt cannot install them next to libc++-16).
# Each build runs the unit, static, compile-fail and package tests, compiles the README's plain Clang
# line, and checks that the XOR, Iris and breast-cancer examples print the fingerprints of a libstdc++
# build. Neither libc++ has floating-point std::from_chars, so CSV and model files are read by
# ctnn/detail/parse_number.hpp here.
#
#   bash scripts/libcxx-check.sh                      # libc++ 16 and 19, all four test labels
#   CTNN_LIBCXX_QUICK=1 bash scripts/libcxx-check.sh  # CI size: libc++ 16, examples and the text tests
#   CTNN_LIBCXX_VERSIONS=19 bash scripts/libcxx-check.sh  # one of them (also with CTNN_LIBCXX_QUICK=1)
#
# The libstdc++ fingerprints come from the build in CTNN_LIBCXX_REFERENCE (default build/clang, what
# scripts/run-tests.sh has just built), brought up to date, or from build/libcxx-reference.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/dependencies.sh
ctnn_require_packages clang-16 libc++-16-dev libc++abi-16-dev cmake ninja-build libboost-dev catch2
quick=${CTNN_LIBCXX_QUICK:-0}
jobs=${CTNN_JOBS:-2}
versions=${CTNN_LIBCXX_VERSIONS:-16 19}
[ "$quick" = 1 ] && versions=${CTNN_LIBCXX_VERSIONS:-16}
case " $versions " in *" 19 "*) ctnn_require_packages clang-19 ;; esac

# Debian's libCatch2WithMain.a is built against libstdc++ and does not link with libc++: each build
# gets a Catch2 package of its own, the same headers and a main compiled with its library.
make_catch2_package() {  # <directory> <compiler> <flags...>
  local dir=$1 compiler=$2
  shift 2
  mkdir -p "$dir"
  if [ ! -f "$dir/libCatch2WithMain.a" ]; then
    printf '#define CATCH_CONFIG_MAIN\n#include <catch2/catch.hpp>\n' >"$dir/catch_main.cpp"
    "$compiler" -std=c++20 -O2 "$@" -c "$dir/catch_main.cpp" -o "$dir/catch_main.o"
    ar rcs "$dir/libCatch2WithMain.a" "$dir/catch_main.o"
  fi
  cat >"$dir/Catch2ConfigVersion.cmake" <<EOF
set(PACKAGE_VERSION 2.13.10)
set(PACKAGE_VERSION_COMPATIBLE TRUE)
EOF
  cat >"$dir/Catch2Config.cmake" <<EOF
# Written by scripts/libcxx-check.sh: Catch2 v2 with a main built against this build's libc++.
list(APPEND CMAKE_MODULE_PATH /usr/lib/cmake/Catch2)
if(NOT TARGET Catch2::Catch2)
  add_library(Catch2::Catch2 INTERFACE IMPORTED)
  add_library(Catch2::Catch2WithMain STATIC IMPORTED)
  set_target_properties(Catch2::Catch2WithMain PROPERTIES
    IMPORTED_LOCATION $PWD/$dir/libCatch2WithMain.a INTERFACE_LINK_LIBRARIES Catch2::Catch2)
endif()
EOF
}

# fingerprints <build directory>: the examples' "fingerprint <hex>" lines, one per example and line.
fingerprints() {
  local example
  for example in xor iris breast_cancer; do
    "$1/examples/$example" | sed -n "s/.*fingerprint \([0-9a-f]*\)\$/$example \1/p"
  done
}

reference=${CTNN_LIBCXX_REFERENCE:-build/clang}
if [ ! -f "$reference/CMakeCache.txt" ]; then
  reference=build/libcxx-reference
  cmake -S . -B "$reference" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=clang++-16 \
    -DCTNN_WARNINGS_AS_ERRORS=ON -DCTNN_BUILD_TESTS=OFF >/dev/null
fi
cmake --build "$reference" -j "$jobs" --target xor iris breast_cancer
fingerprints "$reference" | sort -u >"$reference/libstdcxx-fingerprints.txt"

# check <name> <compiler> <compile flags> [<link flags>]: configure build/<name> with CXXFLAGS and
# LDFLAGS (the package tests' consumer projects inherit them from the environment), build, test,
# compare fingerprints.
check() {
  local name=$1 compiler=$2 flags=$3 link_flags=${4:-}
  local dir=build/$name
  # shellcheck disable=SC2086  # the flags are words
  make_catch2_package "$dir/catch2" "$compiler" $flags
  export CXXFLAGS="$flags" LDFLAGS="$link_flags"
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER="$compiler" \
    -DCMAKE_CXX_EXTENSIONS=OFF -DCTNN_WARNINGS_AS_ERRORS=ON -DCatch2_DIR="$PWD/$dir/catch2" >/dev/null
  if [ "$quick" = 1 ]; then
    # CI size: the examples, and the unit tests of what reads text (numbers, CSV files, model files)
    # as one small Catch program made of unit_tests' own objects.
    local unit=tests/CMakeFiles/unit_tests.dir/unit objects=()
    local test_file
    for test_file in parse_number_test csv_test model_file_test; do objects+=("$unit/$test_file.cpp.o"); done
    cmake --build "$dir" -j "$jobs" --target xor iris breast_cancer
    ninja -C "$dir" -j "$jobs" "${objects[@]}"
    # shellcheck disable=SC2086  # the flags are words
    (cd "$dir" && "$compiler" $flags $link_flags "${objects[@]}" catch2/libCatch2WithMain.a -o text_tests)
    (cd "$dir/tests" && ../text_tests)
  else
    # What the four labels need (the compile-fail and package tests build their own), not the docs,
    # embedded or interop programs.
    local static_targets
    static_targets=$(ninja -C "$dir" -t targets all | sed -n 's/^\(static\.[A-Za-z0-9_]*\): .*/\1/p' | sort -u)
    cmake --build "$dir" -j "$jobs" --target xor iris breast_cancer
    # shellcheck disable=SC2086  # one target a word
    cmake --build "$dir" -j "$jobs" --target unit_tests $static_targets
    ctest --test-dir "$dir" -L '^(unit|static|compile-fail|package)$' -j "$jobs" --output-on-failure --no-tests=error
    # The README's plain Clang line, with this library.
    local line
    line=$(grep -m1 '^clang++-16 -std=c++20 ' README.md)
    line=${line/clang++-16/$compiler $flags $link_flags}
    line=${line/path\/to\/ctnn\/include/include}
    line=${line/ readme.cpp/ examples\/readme.cpp -o $dir\/plain_readme}
    eval "$line"
    "$dir/plain_readme" >/dev/null
    echo "ctnn: $name: the README's plain compile line builds and runs"
  fi
  unset CXXFLAGS LDFLAGS
  fingerprints "$dir" | sort -u >"$dir/fingerprints.txt"
  if ! diff -u "$reference/libstdcxx-fingerprints.txt" "$dir/fingerprints.txt"; then
    echo "ctnn: $name: the examples' fingerprints differ from libstdc++'s ($reference)" >&2
    exit 1
  fi
  echo "ctnn: $name: same fingerprints as libstdc++: $(tr '\n' ' ' <"$dir/fingerprints.txt")"
}

case " $versions " in *" 16 "*) check libcxx16 clang++-16 "-stdlib=libc++" ;; esac
case " $versions " in *" 19 "*) ;; *) exit 0 ;; esac

# libc++ 19: Debian's packages unpacked (idempotent), headers and libraries given explicitly.
root=build/libcxx19/root
if [ ! -f "$root/usr/lib/llvm-19/include/c++/v1/version" ]; then
  mkdir -p build/libcxx19/debs
  (cd build/libcxx19/debs &&
    apt-get download libc++-19-dev libc++1-19 libc++abi-19-dev libc++abi1-19 libunwind-19 libunwind-19-dev)
  for deb in build/libcxx19/debs/*.deb; do dpkg -x "$deb" "$root"; done
fi
lib=$PWD/$root/usr/lib/llvm-19/lib
# -stdlib=libc++ only when linking: with -nostdinc++ the compiler would call it unused (an error under -Werror).
check libcxx19 clang++-19 "-nostdinc++ -isystem $PWD/$root/usr/lib/llvm-19/include/c++/v1" "-stdlib=libc++ -L$lib -Wl,-rpath,$lib"
