#!/usr/bin/python3
"""Runs tools/ctnn-verify on the VNN-COMP 2021 ACAS Xu instances and writes a CSV of verdicts and times.

    bench/verify/run_acasxu.py BENCHMARK_DIR OUT.csv [--timeout S] [--threads N] [--only REGEX] [--cxx G++]

BENCHMARK_DIR holds acasxu_instances.csv, the .onnx networks and the prop_*.vnnlib properties
(github.com/stanleybak/vnncomp2021, benchmarks/acasxu). The runner is compiled once before the
first instance (all 45 networks share one architecture) and its compile time is not counted, as
VNN-COMP's prepare step was not. Each row: network, property, verdict, seconds (wall clock of
ctnn-verify, Python start-up and model conversion included), the runner's CPU seconds (both
threads), pieces.
"""

import argparse
import csv
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.realpath(__file__))
TOOL = os.path.join(HERE, os.pardir, os.pardir, "tools", "ctnn-verify")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("benchmark")
    parser.add_argument("out")
    parser.add_argument("--timeout", type=float, default=116)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--only", default="")
    parser.add_argument("--relu-splits", type=int, default=0, help="ctnn-verify's --relu-splits")
    parser.add_argument("--random-samples", type=int, default=0, help="ctnn-verify's --random-samples")
    parser.add_argument("--cxx", default="g++")
    parser.add_argument("--cache", default="/tmp/ctnn-verify-cache")
    args = parser.parse_args()
    instances = [row for row in csv.reader(open(os.path.join(args.benchmark, "acasxu_instances.csv"))) if row]
    instances = [row for row in instances if re.search(args.only, row[0] + "," + row[1])]
    done = set()
    if os.path.exists(args.out):
        done = {(r["network"], r["property"]) for r in csv.DictReader(open(args.out))}
    new = not os.path.exists(args.out)
    with open(args.out, "a", newline="") as out:
        writer = csv.writer(out)
        if new:
            writer.writerow(["network", "property", "verdict", "seconds", "runner_cpu_seconds", "pieces"])
        for network, prop, _ in instances:
            if (network, prop) in done:
                continue
            command = [TOOL, os.path.join(args.benchmark, network), os.path.join(args.benchmark, prop),
                       "--timeout", str(args.timeout), "--threads", str(args.threads), "--cache", args.cache,
                       "--cxx", args.cxx, "--relu-splits", str(args.relu_splits),
                       "--random-samples", str(args.random_samples)]
            subprocess.run(command + ["--timeout", "0"], capture_output=True)  # compile outside the clock
            start = time.monotonic()
            run = subprocess.run(command, capture_output=True, text=True)
            seconds = time.monotonic() - start
            verdict = run.stdout.split("\n")[0].strip() or "error"
            pieces = re.search(r"(\d+) pieces", run.stderr)
            cpu = re.search(r"\(([0-9.]+) s of CPU\)", run.stderr)
            writer.writerow([network, prop, verdict, f"{seconds:.2f}", cpu.group(1) if cpu else "",
                             pieces.group(1) if pieces else ""])
            out.flush()
            print(network, prop, verdict, f"{seconds:.2f}", file=sys.stderr)


if __name__ == "__main__":
    main()
