#!/usr/bin/env python3
"""PyTorch side of the digit-recognition benchmark: the kit's `cnn` / `cnn-deep` architectures on MNIST's
official split, Adam, the same batch size and epochs, 2 threads. Prints one JSON object per architecture.

Usage: torch_bench.py MNIST_FOLDER ARCH EPOCHS [TRAIN_LIMIT]
"""
import gzip, json, os, statistics, struct, sys, time
import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from thread_report import thread_report  # noqa: E402

torch.set_num_threads(2)
torch.manual_seed(0)

def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack(">I", data[:4])[0]
    rank = magic & 0xFF
    dims = struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)

def model(arch):
    if arch == "cnn":
        return nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                             nn.Linear(32 * 13 * 13, 128), nn.ReLU(), nn.Linear(128, 10))
    if arch == "cnn-deep":
        return nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
                             nn.Dropout(0.25), nn.Flatten(), nn.Linear(64 * 12 * 12, 128), nn.ReLU(), nn.Dropout(0.5),
                             nn.Linear(128, 10))
    raise SystemExit(f"unknown architecture {arch}")

folder, arch, epochs = sys.argv[1], sys.argv[2], int(sys.argv[3])
limit = int(sys.argv[4]) if len(sys.argv) > 4 else 60000
x_train = torch.from_numpy(idx(f"{folder}/train-images-idx3-ubyte.gz")[:limit].astype(np.float32) / 255).unsqueeze(1)
y_train = torch.from_numpy(idx(f"{folder}/train-labels-idx1-ubyte.gz")[:limit].astype(np.int64))
x_test = torch.from_numpy(idx(f"{folder}/t10k-images-idx3-ubyte.gz").astype(np.float32) / 255).unsqueeze(1)
y_test = torch.from_numpy(idx(f"{folder}/t10k-labels-idx1-ubyte.gz").astype(np.int64))

net = model(arch)
optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
batch = 128
epoch_seconds = []
for epoch in range(epochs):
    net.train()
    order = torch.randperm(len(x_train))
    started = time.perf_counter()
    for start in range(0, len(order), batch):
        rows = order[start:start + batch]
        optimizer.zero_grad()
        loss = loss_fn(net(x_train[rows]), y_train[rows])
        loss.backward()
        optimizer.step()
    epoch_seconds.append(time.perf_counter() - started)

net.eval()
def infer():
    predictions = []
    with torch.no_grad():
        for start in range(0, len(x_test), 256):
            predictions.append(net(x_test[start:start + 256]).argmax(1))
    return torch.cat(predictions)
infer()  # warm-up
runs = []
for _ in range(3):
    started = time.perf_counter()
    predicted = infer()
    runs.append(time.perf_counter() - started)
accuracy = (predicted == y_test).float().mean().item()
print(json.dumps({"library": f"pytorch {torch.__version__}", "arch": arch, "epochs": epochs, "training_images": len(x_train),
                  "epoch_seconds": epoch_seconds, "median_epoch_seconds": statistics.median(epoch_seconds),
                  "inference_images_per_second": len(x_test) / statistics.median(runs), "test_accuracy": accuracy,
                  "threads": thread_report()}))
