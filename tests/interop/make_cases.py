"""Build step of the interop tests: makes PyTorch and scikit-learn models (random and trained, float and
double, every supported activation), converts each with ctnn-export's command line (in this process,
to import torch once) into OUT/<name>.hpp with --check, and writes OUT/cases_<group>.hpp: 1000 inputs
per model, the source framework's outputs for them and the tolerance, for runner.cpp to compare with
ctnn's predict at run time.

    python3 make_cases.py TOOLS_DIR DATA_DIR OUT_DIR GROUP...      (groups: shapes, standardize, onnx)

The onnx group (needs python3-onnx) converts the ONNX models of onnx_models.py; their expected
outputs are PyTorch's or NumPy formulas', never ctnn-export's own evaluator.
"""

import os
import sys
import warnings

import numpy as np
import torch

tools_dir, data_dir, out_dir, *groups = sys.argv[1:]
sys.path.insert(0, tools_dir)
import ctnn_interop as ci  # noqa: E402

import cli  # noqa: E402  (next to this file)

CASES = 1000
CHECK = 8
nn = torch.nn
warnings.filterwarnings("ignore")  # scikit-learn's ConvergenceWarning: a few iterations are enough here
export_cli = cli.load(tools_dir, "ctnn-export")


def run_export(*arguments):
    return cli.run(export_cli, *arguments)


def read_csv(name, skip_count_line=True):
    rows = np.loadtxt(os.path.join(data_dir, name), delimiter=",", skiprows=1)
    return rows[:, :-1], rows[:, -1]


def standardized(x):
    return (x - x.mean(axis=0)) / x.std(axis=0)


def train_torch(model, x, y, loss, epochs=60, rate=0.05):
    optimizer = torch.optim.Adam(model.parameters(), lr=rate)
    dtype = next(model.parameters()).dtype
    x = torch.as_tensor(x, dtype=dtype)
    y = torch.as_tensor(y)
    for _ in range(epochs):
        optimizer.zero_grad()
        loss(model(x), y).backward()
        optimizer.step()
    return model


def scaled(model, factor):
    """The model with every Linear's weights multiplied by factor (to reach large pre-activations)."""
    with torch.no_grad():
        for m in model:
            if isinstance(m, nn.Linear):
                m.weight.mul_(factor)
    return model


def shape_models():
    """name -> (model, low, high, extra arguments): three shapes, each in float and double."""
    torch.manual_seed(13)
    iris_x, iris_y = read_csv("iris.csv")
    cancer_x, cancer_y = read_csv("breast_cancer.csv")
    diabetes = np.loadtxt(os.path.join(data_dir, "diabetes.csv"), delimiter=",", skiprows=1)
    diabetes_x, diabetes_y = diabetes[:, :-1], diabetes[:, -1]
    from sklearn.neural_network import MLPClassifier, MLPRegressor

    models = {}
    # Shape A: 4 -> 8 -> 6 -> 3.
    models["a_torch_random_float"] = (nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 6), nn.LeakyReLU(0.01),
                                                    nn.Linear(6, 3), nn.Softmax(dim=-1)), -2, 2, [])
    models["a_torch_random_double"] = (nn.Sequential(nn.Linear(4, 8), nn.Sigmoid(), nn.Linear(8, 6), nn.ReLU(),
                                                     nn.Linear(6, 3), nn.Identity()).double(), -2, 2, [])
    iris = torch.as_tensor(standardized(iris_x))
    models["a_torch_trained_float"] = (train_torch(
        nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 6), nn.Tanh(), nn.Linear(6, 3)),
        iris.float(), torch.as_tensor(iris_y, dtype=torch.long), nn.CrossEntropyLoss()), -3, 3, [])
    models["a_sklearn_classifier_double"] = (MLPClassifier((8, 6), activation="tanh", max_iter=300, random_state=1)
                                             .fit(standardized(iris_x), iris_y), -3, 3, [])
    # Shape B: 30 -> 16 -> 1.
    cancer = torch.as_tensor(standardized(cancer_x))
    models["b_torch_trained_float"] = (train_torch(
        nn.Sequential(nn.Linear(30, 16), nn.ReLU(), nn.Linear(16, 1), nn.Sigmoid()), cancer.float(),
        torch.as_tensor(cancer_y[:, None], dtype=torch.float32), nn.BCELoss()), -3, 3, [])
    models["b_torch_random_double_softplus"] = (scaled(nn.Sequential(nn.Linear(30, 16), nn.Softplus(),
                                                                     nn.Linear(16, 1)).double(), 12.0), -2, 2, [])
    models["b_torch_double_as_float"] = (nn.Sequential(nn.Linear(30, 16), nn.LeakyReLU(0.2), nn.Linear(16, 1),
                                                       nn.Sigmoid()).double(), -2, 2, ["--type", "float"])
    models["b_sklearn_binary_double"] = (MLPClassifier((16,), activation="relu", max_iter=200, random_state=2)
                                         .fit(standardized(cancer_x), cancer_y), -3, 3, [])
    # Shape C: 10 -> 12 -> 8 -> 2.
    targets = np.stack([diabetes_y / 100, -diabetes_y / 200 + 1], axis=1)
    models["c_sklearn_regressor_double"] = (MLPRegressor((12, 8), activation="logistic", max_iter=400, random_state=3)
                                            .fit(standardized(diabetes_x), targets), -3, 3, [])
    labels = np.stack([diabetes_y > 140, diabetes_x[:, 1] > 1.5], axis=1).astype(int)
    models["c_sklearn_multilabel_float"] = (MLPClassifier((12, 8), activation="identity", max_iter=200, random_state=4)
                                            .fit(standardized(diabetes_x), labels), -3, 3, ["--type", "float"])
    models["c_torch_random_double"] = (scaled(nn.Sequential(
        nn.Linear(10, 12), nn.Softplus(threshold=5), nn.Linear(12, 8), nn.LeakyReLU(1 / 3), nn.Linear(8, 2),
        nn.Sigmoid()).double(), 3.0), -2, 2, [])
    models["c_torch_random_float_no_bias"] = (nn.Sequential(nn.Linear(10, 12, bias=False), nn.Tanh(),
                                                            nn.Linear(12, 8), nn.Linear(8, 2)), -2, 2, [])
    # Shape E: 6 -> 8 -> 4 -> 3 with BatchNorm1d (folded), Dropout and Flatten (skipped), saved in training mode.
    generator = torch.Generator().manual_seed(16)

    def batch_norm(features):
        layer = nn.BatchNorm1d(features)
        with torch.no_grad():
            layer.running_mean.copy_(torch.randn(features, generator=generator))
            layer.running_var.copy_(torch.rand(features, generator=generator) + 0.25)
            layer.weight.copy_(torch.randn(features, generator=generator))
            layer.bias.copy_(torch.randn(features, generator=generator))
        return layer

    for scalar, torch_type in (("float", torch.float32), ("double", torch.float64)):
        models[f"e_torch_batchnorm_dropout_{scalar}"] = (nn.Sequential(
            nn.Flatten(), nn.Linear(6, 8), batch_norm(8), nn.Dropout(0.3), nn.ReLU(), nn.Linear(8, 4), batch_norm(4),
            nn.Sigmoid(), nn.Dropout(0.1), nn.Linear(4, 3), nn.Softmax(dim=1)).to(torch_type).train(), -2, 2, [])
    return models


def standardize_models():
    """Models that begin with a Standardize layer: scikit-learn Pipelines and ctnn_interop.Standardize."""
    from sklearn.neural_network import MLPClassifier, MLPRegressor
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    cancer_x, cancer_y = read_csv("breast_cancer.csv")
    iris_x, iris_y = read_csv("iris.csv")
    diabetes = np.loadtxt(os.path.join(data_dir, "diabetes.csv"), delimiter=",", skiprows=1)
    diabetes_x, diabetes_y = diabetes[:, :-1], diabetes[:, -1]
    low, high = "data", "data"
    models = {}
    models["d_pipeline_binary_double"] = (make_pipeline(StandardScaler(), MLPClassifier(
        (8,), max_iter=200, random_state=5)).fit(cancer_x, cancer_y), low, high, [])
    # A constant column: StandardScaler's scale_ is 1 there. Without the mean, as a float model.
    with_constant = np.hstack([diabetes_x, np.full((len(diabetes_x), 1), 7.0)])
    models["d_pipeline_regressor_no_mean_float"] = (make_pipeline(StandardScaler(with_mean=False), MLPRegressor(
        (6,), activation="tanh", max_iter=300, random_state=6)).fit(with_constant, diabetes_y / 100), low, high,
        ["--type", "float"])
    models["d_pipeline_no_std_double"] = (make_pipeline(StandardScaler(with_std=False), MLPClassifier(
        (5,), activation="logistic", max_iter=300, random_state=7)).fit(iris_x, iris_y), low, high, [])
    torch.manual_seed(14)
    mean, deviation = iris_x.mean(axis=0), iris_x.std(axis=0)
    module = nn.Sequential(ci.Standardize(torch.as_tensor(mean, dtype=torch.float32),
                                          torch.as_tensor(deviation, dtype=torch.float32)),
                           nn.Linear(4, 6), nn.Tanh(), nn.Linear(6, 3), nn.Softmax(dim=1))
    models["d_torch_standardize_float"] = (train_torch(module, torch.as_tensor(iris_x, dtype=torch.float32),
                                                       torch.as_tensor(iris_y, dtype=torch.long),
                                                       lambda p, y: nn.functional.nll_loss(torch.log(p), y)),
                                           low, high, [])
    return models


def onnx_models():
    """The ONNX models of onnx_models.py, as name -> (case, low, high, extra arguments)."""
    import onnx_models as models

    return {name: (case, -2, 2, []) for name, case in models.cases().items()}


def save_source(name, model):
    if type(model).__name__ == "Case":  # an ONNX model of onnx_models.py
        return model.save(os.path.join(out_dir, "sources", name + ".onnx"))
    if isinstance(model, nn.Module):
        path = os.path.join(out_dir, "sources", name + ".pt")
        torch.save(model, path)
    else:
        import joblib

        path = os.path.join(out_dir, "sources", name + ".joblib")
        joblib.dump(model, path)
    return path


def literal_rows(array):
    return ",\n".join("    {" + ", ".join(ci.cpp_literal(v) for v in row) + "}" for row in array)


def write_group(group, models):
    blocks, names = [], []
    for index, (name, (model, low, high, extra)) in enumerate(models.items()):
        source = save_source(name, model)
        header = os.path.join(out_dir, name + ".hpp")
        status, message = run_export(source, "-o", header, "--check", str(CHECK), *extra)
        if status != 0:
            sys.exit(f"make_cases: ctnn-export {name} failed ({status}): {message}")
        status, message = run_export(source, "-o", os.path.join(out_dir, name + ".ctnn"), *extra)
        if status != 0:
            sys.exit(f"make_cases: ctnn-export {name} to a model file failed ({status}): {message}")
        converted, reference, framework, notes = ci.convert(ci.load_source(source),
                                                            ci.SCALARS[extra[1]] if extra else None)
        if low == "data":
            low, high, _ = export_cli.check_range(converted)
        else:
            low, high = np.full(converted.inputs, float(low)), np.full(converted.inputs, float(high))
        inputs = ci.check_inputs(CASES, low, high, seed=100 + index).astype(converted.dtype)
        if type(model).__name__ == "Case":
            reference = model.expected  # PyTorch's outputs or a NumPy formula's, not the converter's evaluator
            framework = f"ONNX from {model.source}"
        expected = np.asarray(reference(inputs), dtype=converted.dtype).reshape(CASES, converted.outputs)
        tolerance, _ = ci.check_tolerance(converted)
        scalar = ci.scalar_name(converted.dtype)
        blocks.append(f'#include "{name}.hpp"\n'
                      f"inline constexpr {scalar} {name}_inputs[{CASES}][{converted.inputs}] = {{\n"
                      f"{literal_rows(inputs)}}};\n"
                      f"inline constexpr {scalar} {name}_expected[{CASES}][{converted.outputs}] = {{\n"
                      f"{literal_rows(expected)}}};\n"
                      f"inline constexpr double {name}_tolerance = {ci.cpp_literal(np.float64(tolerance))};\n"
                      f'inline constexpr const char {name}_framework[] = "{framework}";\n')
        names.append(name)
    text = ("#pragma once\n// Generated by tests/interop/make_cases.py. Do not edit.\n// clang-format off\n"
            + "\n".join(blocks)
            + "#define CTNN_INTEROP_CASES(X) " + " ".join(f"X({n})" for n in names) + "\n")
    ci.write_atomically(os.path.join(out_dir, f"cases_{group}.hpp"), text.encode("ascii"))


def write_miswired():
    """miswired.hpp: a model converted wrongly (its Tanh became a Sigmoid) with PyTorch's check data, as a
    converter bug would make it. Its fingerprint is consistent; only the check can catch it."""
    torch.manual_seed(15)
    module = nn.Sequential(nn.Linear(3, 5), nn.Tanh(), nn.Linear(5, 2))
    model, reference, framework, _ = ci.convert(module)
    model.layers[0].activation = "sigmoid"
    inputs = ci.check_inputs(CHECK, np.full(3, -2.0), np.full(3, 2.0)).astype(model.dtype)
    tolerance, note = ci.check_tolerance(model)
    check = {"inputs": inputs, "expected": reference(inputs), "tolerance": tolerance, "tolerance_note": note,
             "framework": framework, "note": "a deliberately wrong conversion"}
    text = ci.model_header(model, "miswired", "make_cases.py", check)
    ci.write_atomically(os.path.join(out_dir, "miswired.hpp"), text.encode("ascii"))


os.makedirs(os.path.join(out_dir, "sources"), exist_ok=True)
if "shapes" in groups:
    write_miswired()
for group in groups:
    write_group(group, {"shapes": shape_models, "standardize": standardize_models, "onnx": onnx_models}[group]())
