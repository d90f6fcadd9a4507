#!/usr/bin/env bash
# Copies the benchmark tables from bench/results/ into README.md and bench/README.md, between their
# <!-- ctnn:results FILE#SECTION --> and <!-- ctnn:end-results --> markers, so that every figure in
# the documents is one that a benchmark script measured and wrote down with its provenance. The
# test docs.bench_results fails when the documents and the files differ.
#
#   bash bench/update-docs.sh           rewrite the tables in the documents
#   bash bench/update-docs.sh --check   only say whether they are up to date (exit status 1 if not)
#
# The benchmark scripts (bench/compile.sh, bench/run-eigen.sh, bench/run-runtime.sh) source this file
# for the two functions below, which write a results file.

# ctnn_bench_provenance <compilers> <flags> <command>: one line saying when, where and how a run was
# made: date, commit (and whether the tree had changes), CPU model and cores, load, compilers, flags.
ctnn_bench_provenance() {
  local compilers=$1 flags=$2 command=$3
  local commit="an unknown commit" cpu cores load isa=SSE2 versions="" compiler
  if git rev-parse --short HEAD >/dev/null 2>&1; then
    commit="commit $(git rev-parse --short HEAD)"
    # Changes to what is measured; not to the documents, the scripts or bench/results/.
    if [ -n "$(git status --porcelain -- include examples tests/static tools cmake/CtnnTarget.cmake \
      'bench/*.cpp' 'bench/*.hpp' bench/CMakeLists.txt bench/workloads 2>/dev/null)" ]; then
      commit+=" with uncommitted changes"
    fi
  fi
  cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
  grep -q ' avx2' /proc/cpuinfo 2>/dev/null && isa=AVX2
  grep -q ' avx512f' /proc/cpuinfo 2>/dev/null && isa=AVX-512
  cores=$(nproc 2>/dev/null || echo "?")
  load=$(cut -d ' ' -f 1 /proc/loadavg 2>/dev/null || echo "?")
  for compiler in $compilers; do
    versions+="${versions:+, }$("$compiler" --version | head -n 1)"
  done
  printf '%s\n' "Measured $(date -u '+%Y-%m-%d %H:%M UTC') at $commit, on ${cpu:-an unknown CPU} ($isa), $cores cores, load average $load at the start; $versions; flags \`$flags\`; \`$command\`."
}

# ctnn_bench_write_results <file> <section> <text> [<section> <text>]...: writes a results file of
# named sections (bench/update-docs.sh copies them into the documents).
ctnn_bench_write_results() {
  local file=$1
  shift
  mkdir -p "$(dirname "$file")"
  {
    echo "<!-- Written by a benchmark script (bench/README.md): run it again rather than edit this file. -->"
    while [ $# -ge 2 ]; do
      printf '\n<!-- ctnn:section %s -->\n\n%s\n' "$1" "$2"
      shift 2
    done
  } >"$file"
  echo "ctnn: wrote $file; \`bash bench/update-docs.sh\` copies it into README.md and bench/README.md"
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  set -euo pipefail
  cd "$(dirname "$0")/.."
  mode=write
  case "${1:-}" in
    "") ;;
    --check) mode=check ;;
    *) echo "usage: bash bench/update-docs.sh [--check]" >&2; exit 2 ;;
  esac
  cmake -D MODE=$mode -D "SOURCE_DIR=$PWD" -P tests/docs/bench_results.cmake
fi
