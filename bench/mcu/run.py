"""ctnn against emlearn on Cortex-M4 and M7: flash bytes and instructions per prediction.

    /usr/bin/python3 bench/mcu/run.py EMLEARN_CHECKOUT [--out build/bench-mcu] [--cores m4 m7]
    (bash bench/mcu/run.sh EMLEARN_CHECKOUT installs the Debian packages first)

For each model of bench/mcu/train.py (trained again, into --out), each core and each side (ctnn's
model.predict, ctnn::for_inference(model).predict, emlearn's generated C), three bare-metal
programs built with -Os (predict_ctnn.cpp / predict_emlearn.c):
- the predict-only program: one prediction of an input it cannot see; its flash bytes (text + data,
  arm-none-eabi-size) and the same program with an empty predict_once() (the difference is what the
  model and its inference code cost);
- its instructions per prediction: the program runs under qemu-system-arm -singlestep -d exec,nochain
  (one translation block, so one log line, per executed instruction), and the lines from
  predict_once's first instruction up to the first one back in main() are counted, also per function;
- the outputs for the 64 benchmark inputs, against scikit-learn's float64 outputs.
CTNN_MCU_FLAGS (e.g. "-fno-exceptions -fno-rtti") goes to every ctnn program, as in
scripts/cortex-m-check.sh.
"""

import argparse
import collections
import os
import re
import shlex
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.normpath(os.path.join(here, "..", ".."))

CORES = {
    "m4": (["-mcpu=cortex-m4", "-mfpu=fpv4-sp-d16", "-mfloat-abi=hard"], "mps2-an386"),
    "m7": (["-mcpu=cortex-m7", "-mfpu=fpv5-d16", "-mfloat-abi=hard"], "mps2-an500"),
}
MODELS = {"sine": (1, 1), "classifier": (16, 4)}
# Each side: how its predict_ctnn.cpp is built (emlearn: predict_emlearn.c). "lean" takes the exported
# header with <ctnn/network.hpp>, <ctnn/dense.hpp> and <ctnn/activation.hpp> in place of its
# <ctnn/ctnn.hpp>: what ctnn-export will write once the inference headers are lean (issue 21, item 2).
SIDES = {
    "ctnn": [],
    "ctnn, lean includes": ["lean"],
    "ctnn inference form, lean": ["lean", "-DINFERENCE"],
    "plain loops (floor), lean": ["lean", "-DPLAIN_LOOPS"],
    "emlearn": None,
}
LEAN_INCLUDES = "#include <ctnn/network.hpp>\n#include <ctnn/dense.hpp>\n#include <ctnn/activation.hpp>\n"

parser = argparse.ArgumentParser()
parser.add_argument("emlearn", nargs="?", default=os.environ.get("EMLEARN_DIR"),
                    help="a checkout of github.com/emlearn/emlearn (or $EMLEARN_DIR)")
parser.add_argument("--out", default=os.path.join(root, "build", "bench-mcu"))
parser.add_argument("--cores", nargs="+", default=list(CORES), choices=list(CORES))
arguments = parser.parse_args()
if not arguments.emlearn or not os.path.isfile(os.path.join(arguments.emlearn, "emlearn", "eml_net.h")):
    sys.exit("run.py: give a checkout of github.com/emlearn/emlearn (its emlearn/eml_net.h), as argument or EMLEARN_DIR")
emlearn = os.path.abspath(arguments.emlearn)
out = os.path.abspath(arguments.out)
os.makedirs(out, exist_ok=True)
ctnn_flags = shlex.split(os.environ.get("CTNN_MCU_FLAGS", ""))


def run(command, **options):
    return subprocess.run(command, check=True, text=True, capture_output=True, **options).stdout


subprocess.run([sys.executable, os.path.join(here, "train.py"), "--out", out, "--emlearn", emlearn], check=True)
with open(os.path.join(emlearn, "emlearn", "VERSION.txt")) as file:
    emlearn_version = file.read().strip()
for model in MODELS:  # as examples/from_pytorch: the same training may round differently elsewhere
    with open(os.path.join(out, f"{model}_model.hpp")) as new, open(os.path.join(here, "models", f"{model}_model.hpp")) as old:
        print(f"{model}: the exported header equals bench/mcu/models/{model}_model.hpp: {'yes' if new.read() == old.read() else 'no'}")

# Boost (header-only) from the build machine through a directory that holds only it.
host_headers = os.path.join(out, "host_headers")
os.makedirs(host_headers, exist_ok=True)
if not os.path.exists(os.path.join(host_headers, "boost")):
    os.symlink("/usr/include/boost", os.path.join(host_headers, "boost"))


def build(core, model, side, variant):
    """Builds one program; returns its path."""
    cpu, _ = CORES[core]
    inputs, outputs = MODELS[model]
    program = os.path.join(out, f"{core}-{model}-{re.sub('[^a-z]+', '-', side)}-{variant}.elf")
    common = cpu + ["-mthumb", "-Os", "-ffunction-sections", "-fdata-sections", "--oslib=semihost", "--crt0=semihost",
                    "-T", os.path.join(root, "tests", "mcu", "boards", "mps2.ld"), "-I", out, "-o", program]
    defines = {"print": ["-DPRINT", f"-DBENCH_INPUTS={model}_inputs"], "stack": ["-DSTACK"], "baseline": ["-DBASELINE"],
               "count": []}[variant]
    if side == "emlearn":
        command = ["arm-none-eabi-gcc", "-std=c99", "--specs=picolibc.specs", f"-DMODEL={model}_emlearn",
                   f'-DMODEL_HEADER="{model}_emlearn.h"', f"-DINPUTS={inputs}", f"-DOUTPUTS={outputs}", "-I",
                   os.path.join(emlearn, "emlearn"), os.path.join(here, "predict_emlearn.c"), "-lm"]
    else:
        header = f"{model}_model.hpp"
        if "lean" in SIDES[side]:
            with open(os.path.join(out, header)) as file:
                text = file.read()
            header = f"{model}_model_lean.hpp"
            with open(os.path.join(out, header), "w") as file:
                file.write(text.replace("#include <ctnn/ctnn.hpp>\n", LEAN_INCLUDES))
        command = ["arm-none-eabi-g++", "-std=c++20", "--specs=picolibcpp.specs", "-ffp-contract=off",
                   "-fno-trapping-math", f"-DMODEL={model}_model", f'-DMODEL_HEADER="{header}"', "-I",
                   os.path.join(root, "include"), "-isystem", host_headers] + ctnn_flags + \
                  [flag for flag in SIDES[side] if flag != "lean"] + [os.path.join(here, "predict_ctnn.cpp")]
    run(command + common + defines)
    return program


def flash_and_ram(program):
    """Flash: text + data (arm-none-eabi-size); static RAM: data + bss, not the stack region."""
    text, data, _ = map(int, run(["arm-none-eabi-size", program]).splitlines()[1].split()[:3])
    sections = dict(line.split()[:2] for line in run(["arm-none-eabi-size", "-A", program]).splitlines()[2:] if line.strip())
    return text + data, sum(int(sections.get(name, 0)) for name in (".data", ".bss", ".tdata", ".tbss"))


def model_bytes(program, model):
    """The model's data in flash: its constexpr object (ctnn), its weight, bias and layer arrays and its
    handle (emlearn); not emlearn's two activation buffers, which are RAM."""
    total = 0
    for line in run(["arm-none-eabi-nm", "-S", "-C", program]).splitlines():
        fields = line.split(maxsplit=3)
        if len(fields) == 4 and fields[2] in "tTrRdDvV" and (
                fields[3] in (f"{model}_model", "(anonymous namespace)::model", f"{model}_emlearn")
                or re.fullmatch(f"{model}_emlearn_layers?(_\\d+_(weights|biases))?", fields[3])):
            total += int(fields[1], 16)
    return total


def symbol(program, name):
    for line in run(["arm-none-eabi-nm", "-S", "-C", program]).splitlines():
        fields = line.split(maxsplit=3)
        if len(fields) == 4 and fields[3] == name:
            return int(fields[0], 16), int(fields[1], 16)
    sys.exit(f"run.py: no {name} in {program}")


def instructions(program, machine):
    """Instructions from predict_once's entry to the first one back in main(), and per function."""
    entry, _ = symbol(program, "predict_once" if "-emlearn-" in program else "predict_once(float const*, float*)")
    main_start, main_size = symbol(program, "main")
    log = program + ".exec.log"
    subprocess.run(["timeout", "120", "qemu-system-arm", "-M", machine, "-nographic", "-monitor", "none", "-serial", "none",
                    "-semihosting-config", "enable=on,target=native", "-singlestep", "-d", "exec,nochain", "-D", log,
                    "-kernel", program], check=True, stdin=subprocess.DEVNULL, capture_output=True)
    trace = re.compile(r"^Trace \d+: 0x[0-9a-f]+ \[[0-9a-f]+/([0-9a-f]+)/[0-9a-f]+/[0-9a-f]+\] ?(.*)$")
    counting, count, by_function = False, 0, collections.Counter()
    with open(log) as file:
        for line in file:
            match = trace.match(line)
            if not match:
                continue
            pc = int(match.group(1), 16) & ~1
            if not counting:
                counting = pc == entry & ~1
            elif main_start <= pc < main_start + main_size:
                break
            if counting:
                count += 1
                by_function[match.group(2) or "?"] += 1
    os.remove(log)
    return count, by_function


def short_name(symbol_name):
    """A demangled function name without its template arguments and parameters."""
    name = run(["arm-none-eabi-c++filt", symbol_name]).strip()
    while True:
        shorter = re.sub(r"<[^<>]*>", "", re.sub(r"\([^()]*\)", "", name))
        if shorter == name:
            return re.sub(r"\s+", " ", name.replace("{lambda", "lambda").replace("}", "")).strip()
        name = shorter


def expected(model):
    """scikit-learn's float64 outputs from inputs.hpp."""
    with open(os.path.join(out, "inputs.hpp")) as file:
        text = file.read()
    block = text[text.index(f"{model}_expected"):]
    block = block[block.index("{") + 1:block.index("};")]
    return [[float.fromhex(v) for v in re.findall(r"[-0-9a-fx.p+]+", row)] for row in re.findall(r"\{([^}]*)\}", block)]


def program_output(program, machine):
    """What the program printed through semihosting, as lines."""
    subprocess.run(["timeout", "120", "qemu-system-arm", "-M", machine, "-nographic", "-monitor", "none", "-serial",
                    "none", "-chardev", f"file,id=out,path={program}.out", "-semihosting-config",
                    "enable=on,target=native,chardev=out", "-kernel", program],
                   check=True, stdin=subprocess.DEVNULL, capture_output=True)
    with open(program + ".out") as file:
        return [line for line in file.read().splitlines() if line.strip()]


rows = []
for core in arguments.cores:
    machine = CORES[core][1]
    for model in MODELS:
        reference = expected(model)
        results = {}
        for side in SIDES:
            program = build(core, model, side, "count")
            flash, ram = flash_and_ram(program)
            baseline, _ = flash_and_ram(build(core, model, side, "baseline"))
            count, by_function = instructions(program, machine)
            predictions = [[float.fromhex(value) for value in line.split()]
                           for line in program_output(build(core, model, side, "print"), machine)]
            stack = int(program_output(build(core, model, side, "stack"), machine)[0])
            error = max(abs(p - e) for got, want in zip(predictions, reference) for p, e in zip(got, want))
            results[side] = predictions
            top = ", ".join(f"{short_name(name)} {n:,}" for name, n in by_function.most_common(4))
            rows.append((core, model, side, flash, flash - baseline, model_bytes(program, model), ram, stack, count, error,
                         top))
        same = all(results[side] == results["ctnn"] for side in SIDES if side != "emlearn")
        differ = sum(a != b for x, y in zip(results["ctnn"], results["emlearn"]) for a, b in zip(x, y))
        print(f"{core} {model}: every ctnn side and the floor give the same outputs: {'yes' if same else 'NO'}; "
              f"ctnn and emlearn differ in {differ} of {sum(len(x) for x in results['ctnn'])} outputs")

print(f"\nemlearn {emlearn_version}; arm-none-eabi-gcc {run(['arm-none-eabi-gcc', '-dumpversion']).strip()}, -Os; "
      f"ctnn flags: {' '.join(ctnn_flags) or '(none)'}\n")
print("| core | model | side | flash B: program | flash B: model + inference | flash B: model data | RAM B: static | "
      "RAM B: predict's stack | instructions per predict | max abs error vs scikit-learn |")
print("|---|---|---|---|---|---|---|---|---|---|")
for core, model, side, flash, delta, data, ram, stack, count, error, _ in rows:
    print(f"| {core.upper()} | {model} | {side} | {flash:,} | {delta:,} | {data:,} | {ram:,} | {stack:,} | {count:,} | "
          f"{error:.2g} |")
print("\nWhere the instructions go (per prediction, the four largest functions):")
for core, model, side, *_, top in rows:
    print(f"- {core.upper()} {model}, {side}: {top}")
