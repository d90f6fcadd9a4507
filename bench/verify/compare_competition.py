#!/usr/bin/env python3
"""Compares ctnn-verify's ACAS Xu verdicts with VNN-COMP 2021's: for each instance the majority of the
competition's tools that decided it (holds / violated), from the results CSVs of the repository
stanleybak/vnncomp2021_results (results_csv/*.csv: category, onnx, vnnlib, prepare time, result, time).

    compare_competition.py RESULTS_CSV_DIR ours.csv [more_ours.csv ...]   (later files override earlier)
"""
import collections
import csv
import glob
import os
import sys


def main():
    results_dir, ours_files = sys.argv[1], sys.argv[2:]
    votes = collections.defaultdict(collections.Counter)
    for path in glob.glob(os.path.join(results_dir, "*.csv")):
        for row in csv.reader(open(path)):
            if len(row) > 4 and row[0] == "acasxu" and row[4].strip() in ("holds", "violated"):
                votes[(os.path.basename(row[1]), os.path.basename(row[2]))][row[4].strip()] += 1
    ours = {}
    for path in ours_files:
        for row in csv.DictReader(open(path)):
            ours[(row["network"], row["property"])] = row["verdict"]
    counts = collections.Counter()
    for key, verdict in sorted(ours.items()):
        majority = votes[key].most_common(1)[0][0] if votes[key] else None
        if verdict not in ("holds", "violated"):
            counts["undecided"] += 1
        elif majority is None:
            counts["decided, no competition verdict"] += 1
        elif verdict == majority:
            counts["agree with the majority"] += 1
        else:
            counts["DISAGREE"] += 1
            print(f"disagree: {key[0]} {key[1]}: ctnn {verdict}, competition {dict(votes[key])}")
    for name, count in sorted(counts.items()):
        print(f"{name}: {count}")
    return 1 if counts["DISAGREE"] else 0


if __name__ == "__main__":
    sys.exit(main())
