#!/usr/bin/env bash
# Compile-time cost of training in the compiler: compiles each workload translation unit with GCC and
# with Clang several times and reports CPU seconds (user + system: median and min-max), wall seconds,
# compiler peak memory (max RSS from /usr/bin/time) and evaluator throughput (training steps per
# second of compile time), and the ratios of workloads to their baselines (each round compiles every
# workload once, so the two sides of a ratio alternate).
#
#   bash bench/compile.sh [runs] [name-filter]   (default 5 rounds, all workloads)
#
# Flags are the ones the ctnn::ctnn target gives its users (read from cmake/CtnnTarget.cmake), at -O2.
# A run of all workloads writes bench/results/compile.md (with the date, commit, machine and
# compilers), which `bash bench/update-docs.sh` copies into README.md and bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/update-docs.sh
runs=${1:-5}
filter=${2:-}
command -v /usr/bin/time >/dev/null || { echo "bench/compile.sh needs /usr/bin/time (Debian package: time)" >&2; exit 1; }
python=$(command -v python3) || { echo "bench/compile.sh needs python3" >&2; exit 1; }

limit() { sed -n "s/^set($1 \([0-9]*\) .*/\1/p" cmake/CtnnTarget.cmake; }
# -c, not -fsyntax-only: GCC frees the constant evaluator's memory only when it finishes a function
# definition for code generation, which -fsyntax-only skips (the staged XOR proof relies on it).
common=(-std=c++20 -O2 -Iinclude -Iexamples -c -o /dev/null)
gcc_flags=(-ffp-contract=off -fno-trapping-math -fconstexpr-ops-limit="$(limit CTNN_GCC_CONSTEXPR_OPS_LIMIT)" -fconstexpr-loop-limit="$(limit CTNN_GCC_CONSTEXPR_LOOP_LIMIT)")
clang_flags=(-ffp-contract=off -fconstexpr-steps="$(limit CTNN_CLANG_CONSTEXPR_STEPS)")
clang=$(command -v clang++-16 || command -v clang++)
compilers=(g++ "$clang")
# examples/digits.cpp reads a header generated from data/digits.csv, the breast-cancer proof one that
# ctnn_add_dataset's generator makes from data/breast_cancer.csv.
generated=$(mktemp -d)
trap 'rm -rf "$generated"' EXIT
cmake -D CSV=data/digits.csv -D OUTPUT="$generated/digits_data.hpp" -P examples/digits_header.cmake
g++ -std=c++20 -O1 -Iinclude tools/ctnn_dataset_generator.cpp -o "$generated/generator"
"$generated/generator" --csv data/breast_cancer.csv --name breast_cancer --header sklearn --targets 1 --type double \
  --output "$generated/breast_cancer.hpp"
common+=(-I"$generated")

# workload name | source | training steps (samples x epochs) evaluated in the TU (0: a runtime
# program, which should cost the compiler no evaluation) | extra flags | compilers (default both) |
# "plain": only -std=c++20 -O2, none of ctnn::ctnn's flags
workloads=(
  "xor-2-3-1-15000-epochs|tests/static/xor_proof_test.cpp|60000"
  "dense-4-8-3-100-epochs|bench/workloads/dense_4_8_3.cpp|3000"
  "iris-4-8-3-adam-30-epochs|tests/static/iris_proof_test.cpp|3600"
  "breast-cancer-30-4-1-4-epochs|tests/static/breast_cancer_proof_test.cpp|1824"
  "readme-plain-flags|examples/readme.cpp|60000|||plain"
  "xor-hand-written-floor|bench/workloads/xor_hand_written.cpp|60000"
  "digits-64-16-10-2-epochs|examples/digits.cpp|2876"
  "digits-hand-written-floor|bench/workloads/digits_hand_written.cpp|2876"
  # Runtime programs calling ctnn on 784-32-10 with constant arguments (-const) and with one argument
  # from argc (-argc): GCC folds constexpr calls with constant arguments at -O2, so the two must cost
  # the same (Clang does not fold them). See bench/workloads/runtime_784_32_10.hpp.
  "runtime-init-const|bench/workloads/runtime_init_784_32_10.cpp|0|-DCTNN_CONSTANT_ARGUMENTS|g++"
  "runtime-init-argc|bench/workloads/runtime_init_784_32_10.cpp|0||g++"
  "runtime-fit-const|bench/workloads/runtime_fit_784_32_10.cpp|0|-DCTNN_CONSTANT_ARGUMENTS|g++"
  "runtime-fit-argc|bench/workloads/runtime_fit_784_32_10.cpp|0||g++"
  "runtime-evaluate-const|bench/workloads/runtime_evaluate_784_32_10.cpp|0|-DCTNN_CONSTANT_ARGUMENTS|g++"
  "runtime-evaluate-argc|bench/workloads/runtime_evaluate_784_32_10.cpp|0||g++"
  "runtime-predict-const|bench/workloads/runtime_predict_784_32_10.cpp|0|-DCTNN_CONSTANT_ARGUMENTS|g++"
  "runtime-predict-argc|bench/workloads/runtime_predict_784_32_10.cpp|0||g++"
)

# One line per compile: round, workload, compiler, steps, wall, user, system, peak KB.
measurements=$generated/measurements
: >"$measurements"
provenance=$(ctnn_bench_provenance "g++ $clang" "-std=c++20 -O2 -ffp-contract=off, GCC -fno-trapping-math, the evaluator budgets of cmake/CtnnTarget.cmake; readme-plain-flags: -std=c++20 -O2 only" "bash bench/compile.sh $runs")
for ((round = 1; round <= runs; ++round)); do
  for entry in "${workloads[@]}"; do
    IFS='|' read -r name source steps extra only plain <<<"$entry"
    [[ -n $filter && $name != *$filter* ]] && continue
    read -r -a extra_flags <<<"${extra:-}"
    for compiler in "${compilers[@]}"; do
      [[ -n ${only:-} && $(basename "$compiler") != "$only"* ]] && continue
      if [[ -n ${plain:-} ]]; then flags=()
      elif [[ $compiler == g++ ]]; then flags=("${gcc_flags[@]}")
      else flags=("${clang_flags[@]}"); fi
      /usr/bin/time -f "%e %U %S %M" -o "$generated/time" "$compiler" "${common[@]}" "${flags[@]}" "${extra_flags[@]}" "$source"
      echo "$round $name $(basename "$compiler") $steps $(cat "$generated/time")" >>"$measurements"
    done
  done
  echo "ctnn: bench/compile.sh: round $round of $runs done" >&2
done

results=""
[[ -z $filter ]] && results=bench/results/compile.md
"$python" - "$measurements" "$results" "$provenance" "$runs" <<'PY'
import collections, statistics, subprocess, sys

measurements, results, provenance, runs = sys.argv[1:]
# (workload, compiler) -> list of (round, wall, cpu, peak KB); steps per workload
rows = collections.OrderedDict()
steps = {}
for line in open(measurements):
    round_, name, compiler, step, wall, user, system, kb = line.split()
    rows.setdefault((name, compiler), []).append((int(round_), float(wall), float(user) + float(system), int(kb)))
    steps[name] = int(step)

def cpu_by_round(name, compiler):
    return {r: cpu for r, _, cpu, _ in rows.get((name, compiler), [])}

def span(values, digits=2):
    lo, hi = min(values), max(values)
    return f"{lo:.{digits}f}" if f"{lo:.{digits}f}" == f"{hi:.{digits}f}" else f"{lo:.{digits}f}–{hi:.{digits}f}"

# The terminal table, as before.
full = ["| workload | compiler | CPU s, median (min–max) | wall s, median (min–max) | peak MB | steps per CPU s |",
        "|---|---|---|---|---|---|"]
print(f"{'workload':<30} {'compiler':<10} {'cpu (s)':>8} {'min-max':>13} {'wall (s)':>9} {'peak MB':>8} {'steps/s':>9}")
for (name, compiler), runs_ in rows.items():
    cpus = [c for _, _, c, _ in runs_]
    walls = [w for _, w, _, _ in runs_]
    peak = max(k for *_, k in runs_) / 1024
    cpu = statistics.median(cpus)
    rate = f"{steps[name] / cpu:.0f}" if steps[name] else "–"
    print(f"{name:<30} {compiler:<10} {cpu:8.2f} {span(cpus):>13} {statistics.median(walls):9.2f} {peak:8.0f} {rate:>9}")
    full.append(f"| `{name}` | {compiler} | {cpu:.2f} ({span(cpus)}) | {statistics.median(walls):.2f} ({span(walls)}) "
                f"| {peak:.0f} | {rate} |")

def cell(name, compiler):
    runs_ = rows.get((name, compiler))
    if not runs_:
        return "–"
    cpus = [c for _, _, c, _ in runs_]
    return f"{span(cpus, 1)} s / {max(k for *_, k in runs_) / 1024 / 1024:.2f} GB"

compilers = []
for _, compiler in rows:
    if compiler not in compilers:
        compilers.append(compiler)
summary_rows = [
    ("xor-2-3-1-15000-epochs", "XOR proof (`tests/static/xor_proof_test.cpp`, 60 000 steps in 20 stages)", "≤ 4 s, ≤ 0.5 GB"),
    ("readme-plain-flags", "README example (`examples/readme.cpp`) with plain `-std=c++20 -O2`, no `-fconstexpr-*` flags", "compiles"),
    ("iris-4-8-3-adam-30-epochs", "Iris proof (4-8-3, Adam, 30 epochs)", ""),
    ("breast-cancer-30-4-1-4-epochs", "breast-cancer proof (30-4-1 on a `ctnn_add_dataset` header)", ""),
    ("digits-64-16-10-2-epochs", "digits (`examples/digits.cpp`, 64-16-10, 2 epochs in 20 stages)", "≤ 10 s, ≤ 0.5 GB"),
    ("digits-hand-written-floor", "digits hand-written floor (`bench/workloads/digits_hand_written.cpp`, plain loops, same bits)", ""),
    ("xor-hand-written-floor", "XOR hand-written floor (`bench/workloads/xor_hand_written.cpp`)", ""),
    ("dense-4-8-3-100-epochs", "4-8-3 tanh/sigmoid, 100 epochs (`bench/workloads/dense_4_8_3.cpp`)", ""),
]
summary = ["| compile, CPU seconds (min–max over the rounds) / peak memory | target | " + " | ".join(compilers) + " |",
           "|---|---|" + "---|" * len(compilers)]
for name, label, target in summary_rows:
    if any((name, c) in rows for c in compilers):
        summary.append(f"| {label} | {target} | " + " | ".join(cell(name, c) for c in compilers) + " |")

ratio_rows = [
    ("xor-2-3-1-15000-epochs", "xor-hand-written-floor", "XOR proof / its hand-written floor", 1.3),
    ("digits-64-16-10-2-epochs", "digits-hand-written-floor", "digits / its hand-written floor", None),
    ("runtime-init-const", "runtime-init-argc", "runtime TU calling `initialized<784-32-10>`: constant seed / seed from `argc`", 1.5),
    ("runtime-fit-const", "runtime-fit-argc", "the same for `fit`", 1.5),
    ("runtime-evaluate-const", "runtime-evaluate-argc", "the same for `evaluate` + `confusion_matrix`", 1.5),
    ("runtime-predict-const", "runtime-predict-argc", "the same for `predict`", 1.5),
]
ratios = ["| CPU time ratio, per round (min–max) | target | " + " | ".join(compilers) + " |",
          "|---|---|" + "---|" * len(compilers)]
for a, b, label, target in ratio_rows:
    cells = []
    for c in compilers:
        ra, rb = cpu_by_round(a, c), cpu_by_round(b, c)
        both = [ra[r] / rb[r] for r in ra if r in rb]
        if not both:
            cells.append("–")
        else:
            verdict = "" if target is None else (" (met)" if max(both) <= target else " (missed)")
            cells.append(span(both) + verdict)
    if any(x != "–" for x in cells):
        ratios.append(f"| {label} | {'≤ ' + str(target) if target else ''} | " + " | ".join(cells) + " |")
print()
print("\n".join(ratios))

if results:
    sections = ["summary", provenance + "\n\n" + "\n".join(summary),
                "ratios", provenance + "\n\n" + "\n".join(ratios),
                "full", provenance + "\n\n" + "\n".join(full)]
    subprocess.run(["bash", "-c", 'source bench/update-docs.sh && ctnn_bench_write_results "$@"', "bash", results] + sections,
                   check=True)
else:
    print("\n(a filtered run: bench/results/compile.md is written only by a run of every workload)")
PY
