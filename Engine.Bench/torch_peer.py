#!/usr/bin/env python3
"""PyTorch peer of Engine.Bench's `scaling` and `wall` modes: the same jobs, timed the same way.

  torch_peer.py scaling ROWS EPOCHS CONFIG...   CONFIG = widths:batch, e.g. 256,256:128; prints
                                                "config,median_seconds_per_epoch" lines (random inputs, 784 → … → 10)
  torch_peer.py fashion TRAIN_CSV_GZ TEST_CSV_GZ EPOCHS OUT
                                                the `mlp train` job: load both files, standardize, 784-256-128-10 ReLU,
                                                SGD momentum 0.9 lr 0.01 batch 128, evaluate, save; prints JSON

One thread (torch.set_num_threads(1)): PyTorch 1.13's best on the 2-core machine this was written on.
Run with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset. Exits 3 with a message when torch is absent.
"""
import json
import sys
import time

try:
    import torch
    from torch import nn
except ImportError:
    print("torch_peer: PyTorch is not installed for this python; skipped", file=sys.stderr)
    sys.exit(3)

torch.set_num_threads(1)


def mlp(widths):
    layers, prev = [], 784
    for w in widths:
        layers += [nn.Linear(prev, w), nn.ReLU()]
        prev = w
    layers.append(nn.Linear(prev, 10))
    return nn.Sequential(*layers)


def epoch(model, opt, loss_fn, x, y, batch, gen):
    model.train()
    order = torch.randperm(x.shape[0], generator=gen)
    total, correct = 0.0, 0
    for start in range(0, x.shape[0], batch):
        idx = order[start:start + batch]
        xb, yb = x[idx], y[idx]
        out = model(xb)
        loss = loss_fn(out, yb)
        opt.zero_grad(set_to_none=False)
        loss.backward()
        opt.step()
        total += loss.item() * xb.shape[0]
        correct += (out.argmax(1) == yb).sum().item()
    return total / x.shape[0], correct / x.shape[0]


def scaling(rows, epochs, configs):
    gen = torch.Generator().manual_seed(1)
    x = torch.randn(rows, 784, generator=gen)
    y = torch.randint(0, 10, (rows,), generator=gen)
    for config in configs:
        widths_text, batch_text = config.split(":")
        widths = [int(w) for w in widths_text.split(",")]
        torch.manual_seed(1)
        model = mlp(widths)
        opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
        loss_fn = nn.CrossEntropyLoss()
        times = []
        for _ in range(epochs):
            t = time.perf_counter()
            epoch(model, opt, loss_fn, x, y, int(batch_text), gen)
            times.append(time.perf_counter() - t)
        times.sort()
        print(f"{config},{times[len(times) // 2]:.6f}", flush=True)


def fashion(train_path, test_path, epochs, out):
    import pandas as pd
    start = time.perf_counter()
    train = pd.read_csv(train_path).to_numpy(dtype="float32")
    test = pd.read_csv(test_path).to_numpy(dtype="float32")
    x, y = torch.from_numpy(train[:, 1:].copy()), torch.from_numpy(train[:, 0].astype("int64"))
    xt, yt = torch.from_numpy(test[:, 1:].copy()), torch.from_numpy(test[:, 0].astype("int64"))
    mean, std = x.mean(0), x.std(0, unbiased=False)
    std[std == 0] = 1
    x, xt = (x - mean) / std, (xt - mean) / std
    load = time.perf_counter() - start
    torch.manual_seed(1)
    model = mlp([256, 128])
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    gen = torch.Generator().manual_seed(1)
    times, loss = [], float("nan")
    for _ in range(epochs):
        t = time.perf_counter()
        loss, _ = epoch(model, opt, loss_fn, x, y, 128, gen)
        times.append(time.perf_counter() - t)
    model.eval()
    with torch.no_grad():
        accuracy = (model(xt).argmax(1) == yt).float().mean().item()
    torch.save(model.state_dict(), out)
    print(json.dumps({"load_seconds": load, "epoch_seconds": times, "train_loss": loss, "test_accuracy": accuracy}))


if __name__ == "__main__":
    if sys.argv[1] == "scaling":
        scaling(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:])
    elif sys.argv[1] == "fashion":
        fashion(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5])
    else:
        sys.exit(f"torch_peer: unknown job {sys.argv[1]}")
