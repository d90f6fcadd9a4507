#!/usr/bin/python3
"""Makes data/cars.csv from cars.json of the npm package vega-datasets 3.2.1 (see data/README.md).

    npm pack vega-datasets@3.2.1 && tar xzf vega-datasets-3.2.1.tgz
    /usr/bin/python3 data/make_cars_csv.py package/data/cars.json > data/cars.csv

The JSON file must be the one of that release (its SHA-256 is checked). Every record becomes a row,
in order; the columns keep the JSON names and order; numbers are written as Python writes them (the
JSON's own spelling: 18, 11.5), strings as they are (quoted by CSV's rules when needed), and a JSON
null, a missing value, as NA. Lines end with "\\n".
"""

import csv
import hashlib
import io
import json
import sys

EXPECTED_SHA256 = "f686a53678b21f4231e2f6a5ba7ce5761d9d39204fccdea1caa29fb8c460e319"
COLUMNS = ["Name", "Miles_per_Gallon", "Cylinders", "Displacement", "Horsepower", "Weight_in_lbs",
           "Acceleration", "Year", "Origin"]


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1], "rb") as source:
        raw = source.read()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != EXPECTED_SHA256:
        print("%s: SHA-256 %s, not vega-datasets 3.2.1's cars.json" % (sys.argv[1], digest), file=sys.stderr)
        return 1
    records = json.loads(raw)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for record in records:
        if list(record) != COLUMNS:
            raise ValueError("unexpected fields %s" % list(record))
        writer.writerow(["NA" if record[c] is None else record[c] for c in COLUMNS])
    sys.stdout.write(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
