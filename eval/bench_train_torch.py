#!/usr/bin/python3
"""bench_train_torch.py — the PyTorch reference of eval/bench-train.sh.

Trains, in PyTorch, the network an `asr train` run trained, on the same
features, cut into the same batches, with the same loss and optimizer, and
prints its training throughput as one JSON object:
  {"frames_per_s": F, "epoch_frames_per_s": [...], "frames": N, "batches": K,
   "threads": T, "torch": VERSION}
F is the best epoch after the first (as bench-train.sh reads asr's log.tsv);
frames are the utterances' input frames (padding not counted), as asr counts.

usage: bench_train_torch.py --config EXP/config --model EXP/final.mdl
           --feats TRAIN.ark --text TRAIN/text [--epochs 3] [--threads N]

What is the same as asr's run:
  - the features: TRAIN.ark, written by `asr features` with the run's
    feature configuration (the container format of src/base/model_file.h;
    sections "dim" and "utt:ID" as src/recognizer/feats_ark.h says);
  - the network: EXP/config's "layer =" lines, each kind as src/nn/*.h
    define it: conv (frames beyond an utterance's end are zeros to the
    taps, as conv1d.h has it: masked before each conv), relu CEIL (a
    clamp), layernorm, dropout, affine, gru N, bigru N (N/2 units each way;
    packed sequences, so padding never enters the recurrence and the reverse
    direction starts at each utterance's own last frame, as in gru.h), a
    trailing "residual" (output = input + layer(input));
  - the outputs: the symbols of EXP/final.mdl, the targets each transcript's
    characters among them;
  - the batches: utterances sorted by length, cut greedily to at most
    batch_frames padded frames and max_batch utterances
    (train_batches_make in src/nn/trainer.c), in a shuffled order;
  - the step: CTC (blank 0) summed over the batch and divided by its size,
    backward, global-norm clipping at `clip`, Adam at `lr`;
  - the threads: torch.set_num_threads(THREADS).
What is not: SpecAugment (asr masks features every step; PyTorch does not,
which only favours PyTorch), the learning-rate warm-up and decay (no cost),
the split of a batch into shards (asr's way to be deterministic on any
number of threads; PyTorch runs each batch whole).
"""
import argparse
import json
import random
import struct
import sys
import time
import zlib

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def read_container(path):
    """The sections of an asr model file or feature archive, by name."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24 or data[:8] != b"ASRMODEL":
        sys.exit(f"{path}: not an asr model file or feature archive")
    if zlib.crc32(data[:-4]) != struct.unpack_from("<I", data, len(data) - 4)[0]:
        sys.exit(f"{path}: checksum mismatch")
    _version, _probe, count = struct.unpack_from("<III", data, 8)
    pos, sections = 20, {}
    for _ in range(count):
        (nlen,) = struct.unpack_from("<I", data, pos)
        name = data[pos + 4 : pos + 4 + nlen].decode()
        (dlen,) = struct.unpack_from("<Q", data, pos + 4 + nlen)
        start = pos + 12 + nlen
        sections[name] = data[start : start + dlen]
        pos = start + dlen
    return sections


def read_features(path):
    """{utterance id: float32 array [T][dim]} of a feature archive."""
    sec = read_container(path)
    (dim,) = struct.unpack("<I", sec["dim"])
    feats = {}
    for name, blob in sec.items():
        if name.startswith("utt:"):
            (T,) = struct.unpack_from("<I", blob)
            feats[name[4:]] = np.frombuffer(blob, np.float32, T * dim, 4).reshape(T, dim)
    return feats, dim


def read_config(path):
    """EXP/config: {key: [values]} (a key given more than once, like layer, keeps all)."""
    conf = {}
    with open(path) as f:
        for line in f:
            if "=" in line and not line.lstrip().startswith("#"):
                key, value = line.split("=", 1)
                conf.setdefault(key.strip(), []).append(value.strip())
    return conf


class Layer(nn.Module):
    """One line of an asr network description."""

    def __init__(self, line, in_dim, out_dim):
        super().__init__()
        words = line.split()
        self.residual = len(words) > 1 and words[-1] == "residual"
        if self.residual:
            words = words[:-1]
        self.kind, args = words[0], words[1:]
        self.stride, self.out = 1, in_dim

        def width(s):
            return out_dim if s == "out" else int(s)

        if self.kind == "conv":
            oc, k, self.stride, d = width(args[0]), int(args[1]), int(args[2]), int(args[3])
            self.op = nn.Conv1d(in_dim, oc, k, self.stride, padding=(k - 1) // 2 * d, dilation=d)
            self.out = oc
        elif self.kind == "affine":
            self.out = width(args[0])
            self.op = nn.Linear(in_dim, self.out)
        elif self.kind == "relu":
            self.ceil = float(args[0]) if args else 20.0
        elif self.kind == "layernorm":
            self.op = nn.LayerNorm(in_dim)
        elif self.kind == "dropout":
            self.op = nn.Dropout(float(args[0]) if args else 0.1)
        elif self.kind in ("gru", "bigru"):
            bi = self.kind == "bigru"
            self.out = int(args[0])
            self.op = nn.GRU(in_dim, self.out // 2 if bi else self.out, batch_first=True,
                             bidirectional=bi)
        else:
            sys.exit(f"bench_train_torch.py: no PyTorch form of the layer '{line}'")

    def forward(self, x, lens):
        """x [B][T][C], lens the valid frames (a CPU int64 tensor)."""
        if self.kind == "conv":
            valid = torch.arange(x.shape[1])[None, :, None] < lens[:, None, None]
            y = self.op((x * valid).transpose(1, 2)).transpose(1, 2)
            lens = (lens + self.stride - 1) // self.stride
        elif self.kind == "relu":
            y = torch.clamp(x, 0.0, self.ceil)
        elif self.kind in ("gru", "bigru"):
            packed = nn.utils.rnn.pack_padded_sequence(x, lens, batch_first=True,
                                                       enforce_sorted=False)
            y, _ = self.op(packed)
            y, _ = nn.utils.rnn.pad_packed_sequence(y, batch_first=True, total_length=x.shape[1])
        else:
            y = self.op(x)
        return (x + y if self.residual else y), lens


class Net(nn.Module):
    def __init__(self, layers, in_dim, out_dim):
        super().__init__()
        mods, c = [], in_dim
        for line in layers:
            mods.append(Layer(line, c, out_dim))
            c = mods[-1].out
        self.layers = nn.ModuleList(mods)

    def forward(self, x, lens):
        for layer in self.layers:
            x, lens = layer(x, lens)
        return x, lens


def load_weights(net, arena):
    """Set NET's parameters from an asr weight arena (network.h: layer after
    layer, each laid out as its kind's file says)."""
    pos = 0

    def take(*shape):
        nonlocal pos
        n = int(np.prod(shape))
        t = torch.from_numpy(arena[pos : pos + n].copy()).reshape(shape)
        pos += n
        return t

    with torch.no_grad():
        for L in net.layers:
            if L.kind == "conv":  # W[OC][K][C] (conv1d.h), then the bias
                oc, c, k = L.op.weight.shape
                L.op.weight.copy_(take(oc, k, c).permute(0, 2, 1))
                L.op.bias.copy_(take(oc))
            elif L.kind == "affine":
                L.op.weight.copy_(take(*L.op.weight.shape))
                L.op.bias.copy_(take(*L.op.bias.shape))
            elif L.kind == "layernorm":
                L.op.weight.copy_(take(*L.op.weight.shape))
                L.op.bias.copy_(take(*L.op.bias.shape))
            elif L.kind in ("gru", "bigru"):  # gru.h: PyTorch's layout, forward first
                for sfx in ("", "_reverse")[: 1 + (L.kind == "bigru")]:
                    for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
                        p = getattr(L.op, f"{name}_l0{sfx}")
                        p.copy_(take(*p.shape))
    if pos != len(arena):
        sys.exit(f"bench_train_torch.py: {len(arena)} weights in the model, the network has {pos}")


def greedy(logits, olens, symbols):
    """Greedy CTC: the best symbol of every frame, repeats merged, blanks dropped."""
    out = []
    for row, n in zip(logits.argmax(-1), olens):
        prev, chars = 0, []
        for s in row[:n].tolist():
            if s != prev and s != 0:
                chars.append(" " if symbols[s] == "<space>" else symbols[s])
            prev = s
        out.append(" ".join("".join(chars).split()))
    return out


def make_batches(lengths, batch_frames, max_batch):
    """train_batches_make: indices sorted by length, cut greedily."""
    idx = sorted(range(len(lengths)), key=lambda i: (lengths[i], i))
    batches, i = [], 0
    while i < len(idx):
        k = 1
        while (i + k < len(idx) and k < max_batch
               and (k + 1) * lengths[idx[i + k]] <= batch_frames):
            k += 1
        batches.append(idx[i : i + k])
        i += k
    return batches


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--config", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--feats", required=True)
    ap.add_argument("--text", required=True)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--hyp", help="asr decode --beam 1's hypotheses of the same utterances: "
                    "count how many the PyTorch network with the model's weights also gives")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    conf = read_config(a.config)
    symbols = read_container(a.model)["symbols"].rstrip(b"\0").decode().splitlines()
    sym = {s: i for i, s in enumerate(symbols) if i > 0}
    feats, dim = read_features(a.feats)
    ids, targets = [], []
    with open(a.text) as f:
        for line in f:
            uid, _, words = line.rstrip("\n").partition(" ")
            if uid in feats:
                ids.append(uid)
                chars = ["<space>" if c == " " else c for c in words.lower()]
                targets.append([sym[c] for c in chars if c in sym])
    net = Net(conf["layer"], dim, len(symbols))
    opt = torch.optim.Adam(net.parameters(), lr=float(conf["lr"][0]))
    clip = float(conf["clip"][0])
    lengths = [feats[u].shape[0] for u in ids]
    batches = make_batches(lengths, int(conf["batch_frames"][0]), int(conf["max_batch"][0]))
    # Padded inputs and targets made once: the timed loop is the training step.
    data = []
    for b in batches:
        T = max(lengths[i] for i in b)
        x = np.zeros((len(b), T, dim), np.float32)
        for j, i in enumerate(b):
            x[j, : lengths[i]] = feats[ids[i]]
        data.append((torch.from_numpy(x), torch.tensor([lengths[i] for i in b]),
                     torch.tensor([s for i in b for s in targets[i]]),
                     torch.tensor([len(targets[i]) for i in b]), sum(lengths[i] for i in b)))
    result = {}
    if a.hyp:
        net.eval()
        load_weights(net, np.frombuffer(read_container(a.model)["weights"], np.float32))
        with open(a.hyp) as f:
            want = dict((line.rstrip("\n").partition(" ")[::2]) for line in f)
        same = 0
        with torch.no_grad():
            for x, lens, _, _, _ in data:
                logits, olens = net(x, lens)
                same += sum(h == " ".join(want.get(ids[i], "").split())
                            for h, i in zip(greedy(logits, olens, symbols), batches.pop(0)))
        result = {"same_hypotheses": same, "utterances": len(ids)}
    net.train()
    rates = []
    for epoch in range(a.epochs):
        random.Random(epoch).shuffle(data)
        frames, t0 = 0, time.perf_counter()
        for x, lens, y, ylens, n in data:
            logits, olens = net(x, lens)
            logp = F.log_softmax(logits, dim=-1).transpose(0, 1)
            loss = F.ctc_loss(logp, y, olens, ylens, blank=0, reduction="sum",
                              zero_infinity=True) / x.shape[0]
            opt.zero_grad()
            loss.backward()
            if clip > 0:
                nn.utils.clip_grad_norm_(net.parameters(), clip)
            opt.step()
            frames += n
        rates.append(frames / (time.perf_counter() - t0))
    result.update({"frames_per_s": max(rates[1:] or rates), "epoch_frames_per_s": rates,
                   "frames": sum(lengths), "batches": len(data), "threads": a.threads,
                   "torch": torch.__version__})
    print(json.dumps(result))


if __name__ == "__main__":
    main()
