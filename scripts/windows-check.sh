#!/usr/bin/env bash
# Windows, as far as this machine can check it: the XOR, Iris and breast-cancer examples, the dataset
# generator and the unit tests cross-compiled with Debian's MinGW-w64 GCC 12 (x86_64-w64-mingw32-g++-posix,
# -static) and run under wine64, against the same programs built for Linux with g++:
#   - the examples print the Linux fingerprints (compile time and runtime);
#   - the breast-cancer example reads the CSV file with "\n" and with "\r\n" line ends alike, and the
#     model file it saves under Windows is byte-identical to the Linux one and loads on Linux;
#   - emit_header writes the same header under Windows as on Linux, from either model file;
#   - the dataset generator writes the same header from the CSV file with either line end;
#   - a model file with "\r\n" line ends loads on both as the same model;
#   - the diabetes example (CSV header of names) scores the same from "\n" and "\r\n" CSV files;
#   - every runtime unit test file (tests/unit/*.cpp, one Catch program) passes under wine. None is left
#     out: none needs a POSIX-only call, and CTNN_DATA_DIR is given as a wine path (Z:/...).
# Everything goes to build/windows (the wine prefix too). CTNN_WINDOWS_UNIT=0 skips the unit tests.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/dependencies.sh
ctnn_require_packages g++ g++-mingw-w64-x86-64-posix wine64 libboost-dev catch2
out=build/windows
mkdir -p "$out/linux" "$out/windows" "$out/include" "$out/objects"
# The cross compiler does not search /usr/include; Boost.Hana and Catch2 are header-only.
ln -sfn /usr/include/boost "$out/include/boost"
ln -sfn /usr/include/catch2 "$out/include/catch2"

flags=(-std=c++20 -O2 -ffp-contract=off -fno-trapping-math -fconstexpr-ops-limit=68719476736
  -fconstexpr-loop-limit=2147483647 -Wall -Wextra -Wpedantic -Werror -Iinclude)
linux_cxx=(g++ "${flags[@]}")
windows_cxx=(x86_64-w64-mingw32-g++-posix "${flags[@]}" -I"$out/include" -static)
export WINEPREFIX=$PWD/$out/wineprefix WINEDEBUG=-all
wine=/usr/lib/wine/wine64
windows_path() { echo "Z:$PWD/$1"; }  # wine's drive Z: is the Linux root

# build <linux|windows> <output> <sources and flags...>, only when a source or a header is newer.
build() {
  local platform=$1 output=$2
  shift 2
  local compiler=("${linux_cxx[@]}")
  [ "$platform" = windows ] && compiler=("${windows_cxx[@]}")
  if [ -f "$output" ] && [ -z "$(find include examples tools tests "$out"/*.cpp -newer "$output" -name '*.[ch]pp' | head -1)" ]; then
    return
  fi
  echo "ctnn: building $output"
  "${compiler[@]}" "$@" -o "$output"
}

# The dataset generator; the breast-cancer example's header made by each from the CSV file, and by
# the Windows one from a copy with "\r\n" line ends.
sed 's/$/\r/' data/breast_cancer.csv >"$out/breast_cancer_crlf.csv"
generate=(--label data/breast_cancer.csv --name breast_cancer --header sklearn --targets 1 --type double)
build linux "$out/linux/generator" tools/ctnn_dataset_generator.cpp
build windows "$out/windows/generator.exe" tools/ctnn_dataset_generator.cpp
"$out/linux/generator" --csv data/breast_cancer.csv "${generate[@]}" --output "$out/linux/breast_cancer.hpp"
$wine "$out/windows/generator.exe" --csv "$(windows_path data/breast_cancer.csv)" "${generate[@]}" \
  --output "$(windows_path "$out/windows/breast_cancer.hpp")"
$wine "$out/windows/generator.exe" --csv "$(windows_path "$out/breast_cancer_crlf.csv")" "${generate[@]}" \
  --output "$(windows_path "$out/windows/breast_cancer_crlf.hpp")"
cmp "$out/linux/breast_cancer.hpp" "$out/windows/breast_cancer.hpp"
cmp "$out/linux/breast_cancer.hpp" "$out/windows/breast_cancer_crlf.hpp"
echo "ctnn: the dataset generator writes the same header on Linux and Windows, from \\n and \\r\\n CSV files"

# A small program of this check: loads a breast-cancer model file, prints its fingerprint, and
# emits its header.
cat >"$out/model_tool.cpp" <<'EOF'
// Written by scripts/windows-check.sh: model_tool <model file> <header to write>
#include <cinttypes>
#include <cstdio>
#include <exception>

#include <ctnn/ctnn.hpp>

using Model = ctnn::Network<ctnn::Standardize<30>, ctnn::Dense<30, 8, ctnn::Tanh>, ctnn::Dense<8, 1, ctnn::Sigmoid>>;

int main(int argc, char** argv)
{
  if (argc != 3) return 2;
  try {
    const Model model = ctnn::load<Model>(argv[1]);
    std::printf("fingerprint %016" PRIx64 "\n", ctnn::parameter_fingerprint(model));
    ctnn::emit_header(model, argv[2], "breast_cancer_model");
  } catch (const std::exception& e) {
    std::printf("%s\n", e.what());
    return 1;
  }
  return 0;
}
EOF
build linux "$out/linux/model_tool" "$out/model_tool.cpp"
build windows "$out/windows/model_tool.exe" "$out/model_tool.cpp"

# The examples.
for example in xor iris breast_cancer; do
  build linux "$out/linux/$example" examples/$example.cpp -Iexamples -I"$out/linux" "-DCTNN_DATA_DIR=\"$PWD/data\""
  build windows "$out/windows/$example.exe" examples/$example.cpp -Iexamples -I"$out/windows" \
    "-DCTNN_DATA_DIR=\"$(windows_path data)\""
done
fingerprints() { sed -n 's/.*fingerprint \([0-9a-f]*\)\r*$/\1/p'; }
for example in xor iris; do
  linux=$("$out/linux/$example" | fingerprints | tr '\n' ' ')
  windows=$($wine "$out/windows/$example.exe" | fingerprints | tr '\n' ' ')
  [ "$linux" = "$windows" ] || { echo "ctnn: $example: Linux fingerprints $linux, Windows $windows" >&2; exit 1; }
  echo "ctnn: $example: the same fingerprints on Linux and Windows: $linux"
done
linux=$("$out/linux/breast_cancer" data/breast_cancer.csv "$out/linux/breast_cancer.model" | fingerprints | tr '\n' ' ')
for csv in data/breast_cancer.csv "$out/breast_cancer_crlf.csv"; do
  windows=$($wine "$out/windows/breast_cancer.exe" "$(windows_path "$csv")" \
    "$(windows_path "$out/windows/breast_cancer.model")" | fingerprints | tr '\n' ' ')
  [ "$linux" = "$windows" ] || { echo "ctnn: breast_cancer on $csv: Linux $linux, Windows $windows" >&2; exit 1; }
done
echo "ctnn: breast_cancer: the same fingerprints on Linux and Windows, from \\n and \\r\\n CSV files: $linux"

# Diabetes: a CSV file with a header line of names, read at runtime and trained for 30 epochs; its
# held-out scores (printed to 3 and 1 decimals) on Linux, and on Windows from "\n" and "\r\n" files.
sed 's/$/\r/' data/diabetes.csv >"$out/diabetes_crlf.csv"
build linux "$out/linux/diabetes" examples/diabetes.cpp "-DCTNN_DATA_DIR=\"$PWD/data\""
build windows "$out/windows/diabetes.exe" examples/diabetes.cpp "-DCTNN_DATA_DIR=\"$(windows_path data)\""
scores() { tr -d '\r' | grep 'R²'; }
linux=$("$out/linux/diabetes" data/diabetes.csv | scores)
for csv in data/diabetes.csv "$out/diabetes_crlf.csv"; do
  windows=$($wine "$out/windows/diabetes.exe" "$(windows_path "$csv")" | scores)
  [ "$linux" = "$windows" ] || { echo "ctnn: diabetes on $csv: Linux $linux, Windows $windows" >&2; exit 1; }
done
echo "ctnn: diabetes: the same scores on Linux and Windows, from \\n and \\r\\n CSV files: $(echo "$linux" | tr '\n' ' ')"

# Model files and headers across the two.
cmp "$out/linux/breast_cancer.model" "$out/windows/breast_cancer.model"
echo "ctnn: the model file saved under Windows is byte-identical to the Linux one"
linux=$("$out/linux/model_tool" "$out/windows/breast_cancer.model" "$out/linux/header_from_windows_model.hpp")
windows=$($wine "$out/windows/model_tool.exe" "$(windows_path "$out/linux/breast_cancer.model")" \
  "$(windows_path "$out/windows/header_from_linux_model.hpp")" | tr -d '\r')
[ "$linux" = "$windows" ] || { echo "ctnn: model_tool: Linux says $linux, Windows $windows" >&2; exit 1; }
cmp "$out/linux/header_from_windows_model.hpp" "$out/windows/header_from_linux_model.hpp"
echo "ctnn: each loads the other's model file ($linux) and emits the same header"
sed 's/$/\r/' "$out/linux/breast_cancer.model" >"$out/breast_cancer_crlf.model"
linux_crlf=$("$out/linux/model_tool" "$out/breast_cancer_crlf.model" "$out/linux/unused.hpp")
windows_crlf=$($wine "$out/windows/model_tool.exe" "$(windows_path "$out/breast_cancer_crlf.model")" \
  "$(windows_path "$out/windows/unused.hpp")" | tr -d '\r')
[ "$linux_crlf" = "$linux" ] && [ "$windows_crlf" = "$linux" ] ||
  { echo "ctnn: CRLF model file: Linux says $linux_crlf, Windows $windows_crlf, expected $linux" >&2; exit 1; }
echo "ctnn: a model file with \\r\\n line ends loads as the same model on both ($linux)"

# The unit tests, one object per file (rebuilt when it or a header changed), run under wine.
if [ "${CTNN_WINDOWS_UNIT:-1}" = 1 ]; then
  objects=()
  for source in tests/unit/*.cpp; do
    object=$out/objects/$(basename "$source" .cpp).o
    build windows "$object" -c "$source" -Itests "-DCTNN_DATA_DIR=\"$(windows_path data)\""
    objects+=("$object")
  done
  printf '#define CATCH_CONFIG_MAIN\n#include <catch2/catch.hpp>\n' >"$out/catch_main.cpp"
  build windows "$out/objects/catch_main.o" -c "$out/catch_main.cpp"
  "${windows_cxx[@]}" "${objects[@]}" "$out/objects/catch_main.o" -o "$out/windows/unit_tests.exe"
  if ! (cd "$out/windows" && $wine unit_tests.exe) >"$out/unit_tests.log" 2>&1; then
    tr -d '\r' <"$out/unit_tests.log" | tail -n 80 >&2
    echo "ctnn: the unit tests fail under wine (log: $out/unit_tests.log)" >&2
    exit 1
  fi
  echo "ctnn: the unit tests pass under wine: $(tr -d '\r' <"$out/unit_tests.log" | grep -E '^(All tests passed|test cases)')"
fi
