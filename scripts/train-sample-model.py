#!/usr/bin/python3
"""Train ONNX Lens's sample model and write it, with its data, to media/sample/.

    npm run gen:sample      (= /usr/bin/python3 scripts/train-sample-model.py)

What it makes:
  media/sample/digits-mlp.onnx   a small MLP (64 -> 64 -> 32 -> 10) for sklearn's 8x8 digits,
                                 taking raw pixel values 0..16; the standardisation is the
                                 first two nodes of the graph (/scaler/Sub, /scaler/Mul)
  media/sample/digits-test.csv   the held-out 25 % (stratified), header f0..f63,label
  media/sample/digits-train.csv  the 75 % it was trained on (for the over-fitting view)
  media/sample/labels.txt        one class name per line
  media/sample/README.md         provenance, accuracies, licence

Determinism: training is plain numpy in float64 with a fixed seed on a single BLAS thread
(set before numpy is imported), and the files are written byte-for-byte the same on every
run: running the script twice gives identical sha256 sums. sklearn is used only for the
bundled dataset and the stratified split, both of which are deterministic.

Needs the Debian packages python3-numpy, python3-sklearn and python3-onnx (onnx 1.12).
"""
import os

# One BLAS thread: multi-threaded reductions may sum in a different order from run to run.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import json  # noqa: E402
import sys  # noqa: E402

import numpy as np  # noqa: E402
import onnx  # noqa: E402
from onnx import TensorProto, helper, numpy_helper  # noqa: E402
from sklearn.datasets import load_digits  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, "media", "sample")
MODEL_FILE = "digits-mlp.onnx"

SPLIT_SEED = 0
TRAIN_SEED = 1234
TEST_FRACTION = 0.25
HIDDEN = (64, 32)
EPOCHS = 120
BATCH = 32
LEARNING_RATE = 1e-3
WEIGHT_DECAY = 1e-4  # L2 on weights (not biases)
OPSET = 17
IR_VERSION = 8  # onnxruntime 1.30 reads IR 3..10; 8 is what opset 17 exporters write
N_CLASSES = 10
N_FEATURES = 64


def load_split():
    digits = load_digits()
    x = digits.data.astype(np.int64)  # pixel counts 0..16, stored as float64 by sklearn
    y = digits.target.astype(np.int64)
    assert x.shape == (1797, N_FEATURES) and x.min() == 0 and x.max() == 16
    return train_test_split(x, y, test_size=TEST_FRACTION, stratify=y, random_state=SPLIT_SEED)


def fit_scaler(x_train):
    mean = x_train.mean(axis=0)
    std = x_train.std(axis=0)
    # Constant pixels (always 0 in the training split) would divide by zero; leave them unscaled.
    std[std == 0] = 1.0
    return mean.astype(np.float32), (1.0 / std).astype(np.float32)


def init_params(rng):
    sizes = (N_FEATURES,) + HIDDEN + (N_CLASSES,)
    params = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        # He initialisation; weights are stored [out, in] like torch.nn.Linear (Gemm transB=1).
        w = rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_out, fan_in))
        b = np.zeros(fan_out)
        params.append([w, b])
    return params


def forward(params, x):
    """Returns the activations of every layer; the last one holds logits."""
    acts = [x]
    h = x
    for i, (w, b) in enumerate(params):
        z = h @ w.T + b
        h = np.maximum(z, 0.0) if i < len(params) - 1 else z
        acts.append(h)
    return acts


def softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def train(x, y):
    """Mini-batch Adam on softmax cross-entropy, float64, fixed seed."""
    rng = np.random.default_rng(TRAIN_SEED)
    params = init_params(rng)
    moments = [[[np.zeros_like(p), np.zeros_like(p)] for p in layer] for layer in params]
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    onehot = np.eye(N_CLASSES)[y]
    step = 0
    for _ in range(EPOCHS):
        order = rng.permutation(len(x))
        for start in range(0, len(x), BATCH):
            idx = order[start:start + BATCH]
            acts = forward(params, x[idx])
            grad = (softmax(acts[-1]) - onehot[idx]) / len(idx)
            step += 1
            for i in range(len(params) - 1, -1, -1):
                w, b = params[i]
                gw = grad.T @ acts[i] + WEIGHT_DECAY * w
                gb = grad.sum(axis=0)
                if i > 0:
                    grad = (grad @ w) * (acts[i] > 0)
                for j, g in enumerate((gw, gb)):
                    m, v = moments[i][j]
                    m *= beta1
                    m += (1 - beta1) * g
                    v *= beta2
                    v += (1 - beta2) * g * g
                    m_hat = m / (1 - beta1 ** step)
                    v_hat = v / (1 - beta2 ** step)
                    params[i][j] = params[i][j] - LEARNING_RATE * m_hat / (np.sqrt(v_hat) + eps)
    return [(w.astype(np.float32), b.astype(np.float32)) for w, b in params]


def predict_like_the_graph(mean, inv_std, params, x_raw):
    """float32 forward pass mirroring the exported graph node by node (Sub, Mul, Gemm, Relu...)."""
    h = (x_raw.astype(np.float32) - mean) * inv_std
    for i, (w, b) in enumerate(params):
        h = h @ w.T + b
        if i < len(params) - 1:
            h = np.maximum(h, np.float32(0))
    return h.argmax(axis=1)


def build_model(mean, inv_std, params, train_acc, test_acc):
    inits = [
        numpy_helper.from_array(mean, "scaler.mean"),
        numpy_helper.from_array(inv_std, "scaler.inv_std"),
    ]
    nodes = [
        helper.make_node("Sub", ["input", "scaler.mean"], ["/scaler/Sub_output_0"], name="/scaler/Sub"),
        helper.make_node("Mul", ["/scaler/Sub_output_0", "scaler.inv_std"], ["/scaler/Mul_output_0"],
                         name="/scaler/Mul"),
    ]
    prev = "/scaler/Mul_output_0"
    for i, (w, b) in enumerate(params):
        scope = f"fc{i + 1}"
        inits.append(numpy_helper.from_array(w, f"{scope}.weight"))
        inits.append(numpy_helper.from_array(b, f"{scope}.bias"))
        out = f"/{scope}/Gemm_output_0"
        nodes.append(helper.make_node("Gemm", [prev, f"{scope}.weight", f"{scope}.bias"], [out],
                                      name=f"/{scope}/Gemm", alpha=1.0, beta=1.0, transB=1))
        prev = out
        if i < len(params) - 1:
            out = f"/{scope}/Relu_output_0"
            nodes.append(helper.make_node("Relu", [prev], [out], name=f"/{scope}/Relu"))
            prev = out
    # ArgMax reads the logits, not the probabilities: two close logits can round to the same
    # float32 probability, and then the label would depend on tie-breaking.
    nodes.append(helper.make_node("Softmax", [prev], ["probabilities"], name="/head/Softmax", axis=1))
    nodes.append(helper.make_node("ArgMax", [prev], ["label"], name="/head/ArgMax", axis=1, keepdims=0))

    for t in inits:
        assert t.HasField("raw_data"), t.name

    graph = helper.make_graph(
        nodes,
        "digits_mlp",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", N_FEATURES])],
        [
            helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["batch", N_CLASSES]),
            helper.make_tensor_value_info("label", TensorProto.INT64, ["batch"]),
        ],
        initializer=inits,
        doc_string="input: raw 8x8 pixel counts 0..16, row-major, as float32",
    )
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", OPSET)],
        producer_name="onnx-lens",
        producer_version="0.1.0",
        doc_string=(
            "Handwritten digit classifier (8x8 images, 64 raw pixel values 0..16) trained on the "
            "scikit-learn digits dataset. An MLP 64-64-32-10 with ReLU; input standardisation is "
            "folded into the graph as /scaler/Sub and /scaler/Mul. Outputs class probabilities "
            "and the predicted label."
        ),
        ir_version=IR_VERSION,
    )
    model.model_version = 1
    meta = {
        "labels": json.dumps([str(c) for c in range(N_CLASSES)]),
        "dataset": "sklearn digits (test split beside the model)",
        "task": "classification",
        "training_script": "scripts/train-sample-model.py",
        "train_accuracy": f"{train_acc:.6f}",
        "test_accuracy": f"{test_acc:.6f}",
    }
    helper.set_model_props(model, meta)
    onnx.checker.check_model(model, full_check=True)
    return model


def write_csv(path, x, y):
    header = ",".join([f"f{i}" for i in range(N_FEATURES)] + ["label"])
    lines = [header] + [",".join(str(int(v)) for v in row) + f",{int(t)}" for row, t in zip(x, y)]
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")


README = """# Sample model: handwritten digits MLP

`digits-mlp.onnx` is ONNX Lens's own demo model: a small multi-layer perceptron that reads an
8x8 image of a handwritten digit and says which digit (0-9) it is. It is made by
`scripts/train-sample-model.py` (`npm run gen:sample`); running that script again rewrites every
file here byte for byte identically.

| | |
|---|---|
| Input | `input`: float32 `[batch, 64]`, raw pixel counts 0..16 (row-major 8x8) |
| Outputs | `probabilities`: float32 `[batch, 10]` (Softmax); `label`: int64 `[batch]` (ArgMax) |
| Graph | `/scaler/Sub` -> `/scaler/Mul` -> `/fc1/Gemm` -> `/fc1/Relu` -> `/fc2/Gemm` -> `/fc2/Relu` -> `/fc3/Gemm` -> `/head/Softmax`, `/head/ArgMax` |
| Parameters | {params} ({size} bytes on disk) |
| Format | ONNX IR version {ir}, opset {opset}, weights as raw_data initializers |
| Train accuracy | {train_acc:.2%} ({train_ok}/{train_n}, `digits-train.csv`) |
| Test accuracy | {test_acc:.2%} ({test_ok}/{test_n}, `digits-test.csv`) |

How it was made: the 1797 samples of scikit-learn's bundled digits dataset
(`sklearn.datasets.load_digits()`, no download) are split 75/25, stratified by class
(`train_test_split(random_state={split_seed})`). Per-pixel mean and standard deviation of the
training split become the `/scaler/Sub` and `/scaler/Mul` constants, so the model takes raw pixel
values. The network (64 -> {h1} -> {h2} -> 10, ReLU) is trained with plain numpy: mini-batch Adam
(batch {batch}, learning rate {lr}, L2 {wd}) on softmax cross-entropy for {epochs} epochs, in float64
with seed {train_seed}, then stored as float32. The accuracies above are those of the exported
float32 graph; onnxruntime gives the same predictions.

Files:
- `digits-test.csv`, `digits-train.csv`: columns `f0`..`f63` (pixel values, integers) and `label`.
- `labels.txt`: class names, one per line (also in the model's `labels` metadata as JSON).

## Dataset licence

The data is a copy of the test set of the UCI Machine Learning Repository's *Optical Recognition
of Handwritten Digits* dataset (E. Alpaydin, C. Kaynak, 1998;
https://archive.ics.uci.edu/dataset/80/optical+recognition+of+handwritten+digits), as shipped
inside scikit-learn (`sklearn/datasets/descr/digits.rst` describes it but states no licence).
The UCI repository licenses this dataset under Creative Commons Attribution 4.0 International
(CC BY 4.0): reuse is allowed with attribution, which this file provides. The CSV files here and
the trained weights are derived from it.
"""


def main():
    x_train, x_test, y_train, y_test = load_split()
    mean, inv_std = fit_scaler(x_train)
    x_train_scaled = (x_train.astype(np.float64) - mean.astype(np.float64)) * inv_std.astype(np.float64)
    params = train(x_train_scaled, y_train)

    train_pred = predict_like_the_graph(mean, inv_std, params, x_train)
    test_pred = predict_like_the_graph(mean, inv_std, params, x_test)
    train_ok, test_ok = int((train_pred == y_train).sum()), int((test_pred == y_test).sum())
    train_acc, test_acc = train_ok / len(y_train), test_ok / len(y_test)

    model = build_model(mean, inv_std, params, train_acc, test_acc)
    os.makedirs(OUT_DIR, exist_ok=True)
    model_path = os.path.join(OUT_DIR, MODEL_FILE)
    with open(model_path, "wb") as f:
        f.write(model.SerializeToString())
    write_csv(os.path.join(OUT_DIR, "digits-test.csv"), x_test, y_test)
    write_csv(os.path.join(OUT_DIR, "digits-train.csv"), x_train, y_train)
    with open(os.path.join(OUT_DIR, "labels.txt"), "w", encoding="utf-8", newline="\n") as f:
        f.write("".join(f"{c}\n" for c in range(N_CLASSES)))

    n_params = int(mean.size + inv_std.size + sum(w.size + b.size for w, b in params))
    with open(os.path.join(OUT_DIR, "README.md"), "w", encoding="utf-8", newline="\n") as f:
        f.write(README.format(
            params=n_params, size=os.path.getsize(model_path), ir=IR_VERSION, opset=OPSET,
            train_acc=train_acc, train_ok=train_ok, train_n=len(y_train),
            test_acc=test_acc, test_ok=test_ok, test_n=len(y_test),
            split_seed=SPLIT_SEED, h1=HIDDEN[0], h2=HIDDEN[1], batch=BATCH, lr=LEARNING_RATE,
            wd=WEIGHT_DECAY, epochs=EPOCHS, train_seed=TRAIN_SEED,
        ))

    print(f"wrote {os.path.relpath(model_path, ROOT)} ({os.path.getsize(model_path)} bytes, {n_params} parameters)")
    print(f"train accuracy: {train_acc:.6f} ({train_ok}/{len(y_train)})")
    print(f"test accuracy:  {test_acc:.6f} ({test_ok}/{len(y_test)})")
    if test_acc < 0.95:
        print("error: test accuracy below 0.95", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
