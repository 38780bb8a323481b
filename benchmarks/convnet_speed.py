"""Time one training step (forward, backward, Adam update) of the deep ConvNet, four ways, side by side.

  (a) course:    course_lib.nets.DeepConvNet as it trains by default (float32; im2col as shifted slices of one
                 long row, reused work arrays; the batch in chunks of nets.CHUNK images over nets.WORKERS threads,
                 BLAS held to one thread in each)
  (a1) one pass: the same network through Net.gradient (the whole batch at once, BLAS threads as the library
                 starts them): what (a) was before the chunks and threads
  (b) reference: the textbook approach kept below: float64 arrays, columns built by Python loops
                 over filter offsets, the same architecture
  (c) keras:     course_lib.kerastools.deep_convnet with TensorFlow on the CPU

Each measurement runs in its own process (so peak memory is its own) on the same random batch. Rounds are
interleaved (a, a1, b, c, a, a1, b, c, ...) so that a slow spell of the machine hits every implementation, and each
implementation's time is the median over rounds of its median step.
Usage:  python benchmarks/convnet_speed.py [--batch 100] [--steps 20] [--rounds 3]
"""

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time

import numpy as np


# ---- (b) the reference implementation: float64, loop-built im2col --------------------------------------

def ref_im2col(x, fh, fw, stride, pad):
    n, c, h, w = x.shape
    oh, ow = (h + 2 * pad - fh) // stride + 1, (w + 2 * pad - fw) // stride + 1
    xp = np.pad(x, [(0, 0), (0, 0), (pad, pad), (pad, pad)])
    col = np.zeros((n, c, fh, fw, oh, ow))
    for i in range(fh):
        for j in range(fw):
            col[:, :, i, j] = xp[:, :, i:i + stride * oh:stride, j:j + stride * ow:stride]
    return col.transpose(0, 4, 5, 1, 2, 3).reshape(n * oh * ow, -1), oh, ow


def ref_col2im(col, shape, fh, fw, stride, pad, oh, ow):
    n, c, h, w = shape
    col = col.reshape(n, oh, ow, c, fh, fw).transpose(0, 3, 4, 5, 1, 2)
    xp = np.zeros((n, c, h + 2 * pad + stride - 1, w + 2 * pad + stride - 1))
    for i in range(fh):
        for j in range(fw):
            xp[:, :, i:i + stride * oh:stride, j:j + stride * ow:stride] += col[:, :, i, j]
    return xp[:, :, pad:h + pad, pad:w + pad]


class RefConv:
    def __init__(self, W, b, pad):
        self.W, self.b, self.pad = W, b, pad

    def forward(self, x):
        fn, _, fh, fw = self.W.shape
        self.x_shape = x.shape
        self.col, oh, ow = ref_im2col(x, fh, fw, 1, self.pad)
        self.colW = self.W.reshape(fn, -1).T
        out = self.col @ self.colW + self.b
        return out.reshape(x.shape[0], oh, ow, -1).transpose(0, 3, 1, 2)

    def backward(self, dout):
        fn, c, fh, fw = self.W.shape
        oh, ow = dout.shape[2:]
        dout = dout.transpose(0, 2, 3, 1).reshape(-1, fn)
        self.db = dout.sum(axis=0)
        self.dW = (self.col.T @ dout).T.reshape(fn, c, fh, fw)
        return ref_col2im(dout @ self.colW.T, self.x_shape, fh, fw, 1, self.pad, oh, ow)


class RefPool:
    def forward(self, x):
        n, c, h, w = x.shape
        self.x_shape = x.shape
        col, oh, ow = ref_im2col(x, 2, 2, 2, 0)
        col = col.reshape(-1, 4)
        self.arg = col.argmax(axis=1)
        return col.max(axis=1).reshape(n, oh, ow, c).transpose(0, 3, 1, 2)

    def backward(self, dout):
        dout = dout.transpose(0, 2, 3, 1)
        dmax = np.zeros((dout.size, 4))
        dmax[np.arange(self.arg.size), self.arg] = dout.ravel()
        dcol = dmax.reshape(dout.shape + (4,)).reshape(dout.shape[0] * dout.shape[1] * dout.shape[2], -1)
        return ref_col2im(dcol, self.x_shape, 2, 2, 2, 0, *dout.shape[1:3])


class RefRelu:
    def forward(self, x):
        self.mask = x <= 0
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dout = dout.copy()
        dout[self.mask] = 0
        return dout


class RefAffine:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.x_shape = x.shape
        self.x = x.reshape(x.shape[0], -1)
        return self.x @ self.W + self.b

    def backward(self, dout):
        self.dW, self.db = self.x.T @ dout, dout.sum(axis=0)
        return (dout @ self.W.T).reshape(self.x_shape)


class RefDropout:
    def __init__(self, p, rng):
        self.p, self.rng = p, rng

    def forward(self, x):
        self.mask = self.rng.random(x.shape) > self.p
        return x * self.mask

    def backward(self, dout):
        return dout * self.mask


class RefDeepConvNet:
    def __init__(self, seed=0):
        rng = np.random.default_rng(seed)
        self.layers, channels = [], 1
        for i, (fn, pad) in enumerate(zip((16, 16, 32, 32, 64, 64), (1, 1, 1, 2, 1, 1), strict=True), start=1):
            W = rng.standard_normal((fn, channels, 3, 3)) * np.sqrt(2 / (channels * 9))
            self.layers += [RefConv(W, np.zeros(fn), pad), RefRelu()]
            if i % 2 == 0:
                self.layers.append(RefPool())
            channels = fn
        self.layers += [RefAffine(rng.standard_normal((1024, 50)) * np.sqrt(2 / 1024), np.zeros(50)), RefRelu(),
                        RefDropout(0.5, rng), RefAffine(rng.standard_normal((50, 10)) * np.sqrt(2 / 50), np.zeros(10)),
                        RefDropout(0.5, rng)]
        self.adam_m, self.adam_v, self.t = {}, {}, 0

    def step(self, x, t):
        for layer in self.layers:
            x = layer.forward(x)
        y = np.exp(x - x.max(axis=1, keepdims=True))
        y /= y.sum(axis=1, keepdims=True)
        dout = y.copy()
        dout[np.arange(len(t)), t] -= 1
        dout /= len(t)
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        self.t += 1
        for i, layer in enumerate(self.layers):
            for name in ("W", "b"):
                if hasattr(layer, "d" + name):
                    key, g = (i, name), getattr(layer, "d" + name)
                    self.adam_m[key] = 0.9 * self.adam_m.get(key, 0) + 0.1 * g
                    self.adam_v[key] = 0.999 * self.adam_v.get(key, 0) + 0.001 * g * g
                    lr = 0.001 * np.sqrt(1 - 0.999 ** self.t) / (1 - 0.9 ** self.t)
                    getattr(layer, name)[...] -= lr * self.adam_m[key] / (np.sqrt(self.adam_v[key]) + 1e-7)


# ---- one implementation per process -----------------------------------------------------------------

def make_step(which, batch):
    rng = np.random.default_rng(0)
    x = rng.random((batch, 1, 28, 28))
    t = rng.integers(0, 10, batch)
    if which in ("course", "one-pass"):
        from course_lib import nets, optim
        net = nets.DeepConvNet() if which == "course" else nets.DeepConvNet(workers=1, chunk=batch)
        opt = optim.Adam(lr=0.001)
        x = x.astype(np.float32)
        return lambda: opt.update(net.params, net.gradient(x, t))
    if which == "reference":
        net = RefDeepConvNet()
        return lambda: net.step(x, t)
    from course_lib import kerastools as kt
    model = kt.compile_classifier(kt.deep_convnet())
    xk = x.transpose(0, 2, 3, 1).astype(np.float32)
    return lambda: model.train_on_batch(xk, t)


def measure(which, batch, steps):
    step = make_step(which, batch)
    step()  # warm-up: allocations, graph tracing
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"seconds": statistics.median(times), "peak_mb": peak / 1024, "growth_mb": (peak - before) / 1024}


NAMES = {"course": "(a) course NumPy float32", "one-pass": "(a1) course, one pass",
         "reference": "(b) reference NumPy float64", "keras": "(c) Keras / TensorFlow CPU"}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", choices=list(NAMES), help=argparse.SUPPRESS)
    args = parser.parse_args()
    for name in ("batch", "steps", "rounds"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1, got {getattr(args, name)}")
    if args.only:
        print(json.dumps(measure(args.only, args.batch, args.steps)))
        return 0
    rounds = {which: [] for which in NAMES}
    for _ in range(args.rounds):
        for which in NAMES:
            proc = subprocess.run([sys.executable, __file__, "--only", which, "--batch", str(args.batch),
                                   "--steps", str(args.steps)], capture_output=True, text=True, check=True)
            rounds[which].append(json.loads(proc.stdout.strip().splitlines()[-1]))
    print(f"Deep ConvNet, one training step on a batch of {args.batch} "
          f"(median of {args.steps} steps, then median of {args.rounds} interleaved rounds)")
    print(f"{'implementation':32s} {'s/step':>8s} {'peak RSS MB':>12s} {'growth MB':>10s}   s/step by round")
    seconds = {}
    for which, runs in rounds.items():
        seconds[which] = statistics.median(r["seconds"] for r in runs)
        by_round = " ".join(f"{r['seconds']:.4f}" for r in runs)
        print(f"{NAMES[which]:32s} {seconds[which]:8.4f} {max(r['peak_mb'] for r in runs):12.0f} "
              f"{max(r['growth_mb'] for r in runs):10.0f}   {by_round}")
    print(f"(a) is {seconds['reference'] / seconds['course']:.1f}x faster than (b)   [target >= 5]")
    print(f"(a) takes {seconds['course'] / seconds['keras']:.2f}x the time of (c)   [target <= 3]")
    print(f"(a1) takes {seconds['one-pass'] / seconds['keras']:.2f}x the time of (c)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
