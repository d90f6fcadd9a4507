#!/usr/bin/python3
"""PyTorch's side of bench/cnn_pytorch: the same CNN as examples/digits_cnn_recipe.hpp (Conv2d 1->4,
3x3, padding 1, ReLU, MaxPool2d 2, Flatten, Linear 64->10, softmax in the loss), the same data
(data/digits.csv / 16, every fifth image held out), per-sample SGD at learning rate 0.05 for two
epochs in data-set order, on one thread, float64 as ctnn's double; then single images classified one
by one under no_grad. Prints one line in ctnn_cnn's format."""
import sys
import time

import torch

torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)
torch.manual_seed(2024)

rows = [list(map(int, line.split(","))) for line in open(sys.argv[1])]
images = torch.tensor([r[:64] for r in rows], dtype=torch.float64).reshape(-1, 1, 8, 8) / 16
labels = torch.tensor([r[64] for r in rows])
test = [i for i in range(len(rows)) if i % 5 == 4]
train = [i for i in range(len(rows)) if i % 5 != 4]


def model():
    return torch.nn.Sequential(torch.nn.Conv2d(1, 4, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                               torch.nn.Flatten(), torch.nn.Linear(64, 10))


def train_once():
    net = model()
    optimizer = torch.optim.SGD(net.parameters(), lr=0.05)
    loss = torch.nn.CrossEntropyLoss()
    for _ in range(2):
        for i in train:
            optimizer.zero_grad()
            loss(net(images[i:i + 1]), labels[i:i + 1]).backward()
            optimizer.step()
    return net


runs = 3
start = time.perf_counter()
for _ in range(runs):
    net = train_once()
training = (time.perf_counter() - start) / runs
with torch.no_grad():
    accuracy = (net(images[test]).argmax(1) == labels[test]).double().mean().item()
    rounds = 5
    checksum = 0.0
    start = time.perf_counter()
    for r in range(rounds):
        for i in test:
            checksum += net(images[i:i + 1])[0, r % 10].item()
    inference = time.perf_counter() - start
print(f"pytorch train {training:.4f} s per run ({2 * len(train) / training:.0f} samples/s), held-out accuracy "
      f"{accuracy:.4f}, inference {rounds * len(test) / inference:.0f} images/s (checksum {checksum:.3f})")
