#!/usr/bin/python3
"""A markdown table of bench/verify/run_acasxu.py results, per property: verdict counts and times.

    bench/verify/summarize.py RESULTS.csv [RETRY.csv]

RETRY.csv (a later run of some instances with a longer time limit) replaces those rows.
"""

import collections
import csv
import sys


def main():
    rows = {(r["network"], r["property"]): r for r in csv.DictReader(open(sys.argv[1]))}
    for path in sys.argv[2:]:
        for r in csv.DictReader(open(path)):
            rows[(r["network"], r["property"])] = r
    per = collections.defaultdict(list)
    for (network, prop), r in rows.items():
        per[int(prop[5:-7])].append(r)
    print("| property | instances | holds | violated | timeout/unknown | wall s (decided) | runner CPU s (decided) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    totals = collections.Counter()
    for prop in sorted(per):
        group = per[prop]
        count = collections.Counter(r["verdict"] for r in group)
        decided = [r for r in group if r["verdict"] in ("holds", "violated")]
        wall = sum(float(r["seconds"]) for r in decided)
        cpu = sum(float(r["runner_cpu_seconds"] or 0) for r in decided)
        other = len(group) - count["holds"] - count["violated"]
        print(f"| {prop} | {len(group)} | {count['holds']} | {count['violated']} | {other} | {wall:.1f} | {cpu:.1f} |")
        totals.update({"n": len(group), "holds": count["holds"], "violated": count["violated"], "other": other})
        totals["wall"] += wall
        totals["cpu"] += cpu
    print(f"| all | {totals['n']} | {totals['holds']} | {totals['violated']} | {totals['other']} | "
          f"{totals['wall']:.1f} | {totals['cpu']:.1f} |")


if __name__ == "__main__":
    main()
