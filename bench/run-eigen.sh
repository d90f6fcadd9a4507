#!/usr/bin/env bash
# ctnn against Eigen 3.4 at runtime: bench/eigen.cpp built twice with the flags of ctnn::ctnn
# (-ffp-contract=off, and -fno-trapping-math for GCC), once at -O2 and once at -O3 -march=native, each
# run once; each prints its table (ns per sample, ratio ctnn / Eigen, and whether the issue's target
# is met). Each program first checks that ctnn's runtime results have the bits of the plain scalar
# loops of the constant-evaluated path, and refuses to time anything otherwise. The two tables and a
# summary go to bench/results/eigen-<compiler>.md with the run's date, commit, machine and compiler;
# `bash bench/update-docs.sh` copies them into README.md and bench/README.md.
#
#   bash bench/run-eigen.sh                 GCC (g++)
#   CXX=clang++-16 bash bench/run-eigen.sh  Clang
#
# Needs Debian libeigen3-dev. Builds into build/bench-eigen/.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/update-docs.sh

cxx=${CXX:-g++}
eigen=${EIGEN_INCLUDE:-/usr/include/eigen3}
[[ -f $eigen/Eigen/Core ]] || { echo "bench/run-eigen.sh needs Eigen 3: apt-get install -y libeigen3-dev" >&2; exit 1; }
python=$(command -v python3) || { echo "bench/run-eigen.sh needs python3" >&2; exit 1; }
mkdir -p build/bench-eigen
flags=(-std=c++20 -ffp-contract=off -Iinclude -isystem "$eigen" -Wall -Wextra -Wpedantic -Wconversion -Wshadow -Werror)
# GCC 12's AVX-512 intrinsics, inlined into Eigen, warn about their own undefined sources.
if [[ $($cxx --version) != *clang* ]]; then flags+=(-fno-trapping-math -Wno-maybe-uninitialized -Wno-uninitialized); fi
command="bash bench/run-eigen.sh"
[[ $cxx != g++ ]] && command="CXX=$cxx $command"
provenance=$(ctnn_bench_provenance "$cxx" "-std=c++20 -ffp-contract=off$([[ $($cxx --version) != *clang* ]] && echo " -fno-trapping-math"), -O2 | -O3 -march=native" "$command")

outputs=()
for level in "-O2" "-O3 -march=native"; do
  name=build/bench-eigen/eigen-$(basename "$cxx")${level// /}
  # shellcheck disable=SC2086 # $level is two flags on purpose
  "$cxx" "${flags[@]}" $level bench/eigen.cpp -o "$name"
  echo "== $cxx $level"
  "$name" | tee "$name.out"
  outputs+=("$name.out")
done

"$python" - "${outputs[@]}" "$provenance" "bench/results/eigen-$(basename "$cxx").md" <<'PY'
import subprocess, sys

o2, native, provenance, results = sys.argv[1:]

def rows(path):
    table = {}
    for line in open(path):
        words = line.split()
        if len(words) < 8 or words[-1] not in ("met", "MISSED"):
            continue
        n, scalar, act, ctnn, eigen, ratio, verdict = words[-7:]
        what = " ".join(words[:-7])
        table[(what, int(n), scalar, act)] = (float(ctnn), float(eigen), float(ratio), verdict == "met")
    return table

levels = {"-O2": rows(o2), "-O3 -march=native": rows(native)}
keys = list(levels["-O2"])

def cell(row):
    if row is None:
        return "–"
    ctnn, eigen, ratio, met = row
    text = f"{ctnn:.1f} / {eigen:.1f}, {ratio:.2f}"
    return text if met else f"**{text}**"

full = ["| what | N | type | act | -O2: ctnn ns / Eigen ns, ratio | -O3 -march=native: ctnn ns / Eigen ns, ratio |",
        "|---|---|---|---|---|---|"]
for key in keys:
    full.append(f"| {key[0]} | {key[1]} | {key[2]} | {key[3]} | " +
                " | ".join(cell(levels[level].get(key)) for level in levels) + " |")

labels = [
    (("frozen single", "identity"), "Dense N×N identity, one sample, inference form (`for_inference(net).predict`)", "1.0"),
    (("single", "identity"), "the same, `net.predict`", "1.0"),
    (("batch", "identity"), "Dense N×N identity, batch of 256 (`predict_batch`)", "1.0"),
    (("frozen batch", "identity"), "the same, inference form (`for_inference(net).predict_batch`)", "1.0"),
    (("frozen single", "tanh"), "Dense N×N tanh, one sample, inference form", "1.5"),
    (("single", "tanh"), "the same, `net.predict`", "1.5"),
    (("batch", "tanh"), "Dense N×N tanh, batch of 256", "1.5"),
    (("frozen batch", "tanh"), "the same, inference form", "1.5"),
    (("train", "sigmoid"), "training step 64-128-10 (per-sample SGD), ctnn / hand-written Eigen trainer", "1.0"),
]

def span(values):
    lo, hi = f"{min(values):.2f}", f"{max(values):.2f}"
    return lo if lo == hi else f"{lo}–{hi}"

def group(table, what, act):
    parts = []
    for scalar in ("float", "double"):
        found = sorted((k[1], v) for k, v in table.items() if k[0] == what and k[3] == act and k[2] == scalar)
        if not found:
            continue
        text = span([v[2] for _, v in found])
        missed = [str(n) for n, v in found if not v[3]]
        if missed:
            text += f" (missed at N = {', '.join(missed)})" if len(missed) < len(found) else " (missed)"
        parts.append(f"{scalar} {text}" if what != "train" else text)
    return ", ".join(parts) or "–"

summary = ["| ctnn / Eigen 3.4, ratio (range over N = 4, 8, 16, 32, 64) | target | `-O2` | `-O3 -march=native` |",
           "|---|---|---|---|"]
for (what, act), label, target in labels:
    summary.append(f"| {label} | {target} | " + " | ".join(group(levels[level], what, act) for level in levels) + " |")

subprocess.run(["bash", "-c", 'source bench/update-docs.sh && ctnn_bench_write_results "$@"', "bash", results,
                "summary", provenance + "\n\n" + "\n".join(summary),
                "full", provenance + " Each cell: ns per sample (per training step for `train`) of ctnn and of "
                "Eigen, then the ratio; **bold** where the target (identity 1.0, tanh 1.5, training 1.0) is missed."
                "\n\n" + "\n".join(full)], check=True)
PY
