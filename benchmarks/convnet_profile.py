"""Where one training step of the NumPy deep ConvNet spends its time, one pass against chunks over threads.

For each way of computing the gradient ((a1) the whole batch at once through Net.gradient, BLAS threads as the
library starts them; (a) DeepConvNet.gradient as it trains by default: chunks of nets.CHUNK images over
nets.WORKERS threads, BLAS held to one thread in each) it prints the wall time of a step (forward, backward,
Adam), the time each kind of layer takes (summed over the threads that ran it, so with two threads the column
adds up to about twice the wall time), and the floor of the matrix products alone: the convolutions' GEMMs with
the exact shapes and thread layout of that step, nothing else.

Usage:  python benchmarks/convnet_profile.py [--batch 100] [--steps 20] [--chunk nets.CHUNK]
"""

import argparse
import collections
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from threadpoolctl import ThreadpoolController

from course_lib import layers, nets, optim

KINDS = ("Conv2D", "MaxPool2D", "Relu", "Affine", "Dropout", "Flatten", "SoftmaxWithLoss")
SPENT = collections.defaultdict(float)     # (kind, "forward" | "backward") -> seconds, summed over threads
LOCK = threading.Lock()


def timed(kind, phase, method):
    def wrapper(self, *args, **kwargs):
        start = time.perf_counter()
        try:
            return method(self, *args, **kwargs)
        finally:
            with LOCK:
                SPENT[kind, phase] += time.perf_counter() - start
    return wrapper


def instrument():
    for kind in KINDS:
        cls = getattr(layers, kind)
        for phase in ("forward", "backward"):
            setattr(cls, phase, timed(kind, phase, getattr(cls, phase)))


def conv_gemms(conv):
    """The three matrix products of one Conv2D layer's step, as closures on arrays of the shapes it used."""
    fn, c, fh, fw = conv.params["W"].shape
    col = conv.work["col"][1].reshape(c * fh * fw, -1)
    w = conv.params["W"].reshape(fn, -1)
    dg = np.ones((fn, col.shape[1]), col.dtype)
    products = [lambda: w @ col, lambda: col @ dg.T]
    if conv.input_grad:
        dcol = conv.work["dcol"][1].reshape(fn * fh * fw, -1)
        wt = np.ones((c, fn * fh * fw), col.dtype)
        products.append(lambda: wt @ dcol)
    return products


def gemm_floor(net, batch, steps):
    """Seconds per step of the convolutions' matrix products alone, laid out over threads as the step runs them."""
    if not net._replicas:                                   # one pass: the whole batch, BLAS as configured
        products = [p for layer in net.layers.values() if isinstance(layer, layers.Conv2D) for p in conv_gemms(layer)]
        def run():
            return [p() for p in products]
    else:                                                   # each thread: its chunks, BLAS on one thread
        per_thread = []
        for w, replica in enumerate(net._replicas):
            chunks = len(range(w, -(-batch // net.chunk), net.workers))
            products = [p for layer in replica.layers.values() if isinstance(layer, layers.Conv2D)
                        for p in conv_gemms(layer)]
            per_thread.append(lambda products=products, chunks=chunks: [p() for _ in range(chunks) for p in products])
        pool = ThreadPoolExecutor(len(per_thread))
        blas = ThreadpoolController()

        def run():
            with blas.limit(limits=1, user_api="blas"):
                for f in [pool.submit(job) for job in per_thread]:
                    f.result()
    run()
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def profile(which, batch, steps, chunk):
    rng = np.random.default_rng(0)
    x = rng.random((batch, 1, 28, 28)).astype(np.float32)
    t = rng.integers(0, 10, batch)
    net = nets.DeepConvNet(chunk=chunk) if which == "chunks" else nets.DeepConvNet(workers=1, chunk=batch)
    opt = optim.Adam(lr=0.001)
    opt.update(net.params, net.gradient(x, t))             # warm-up: work arrays, thread pool
    SPENT.clear()
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        opt.update(net.params, net.gradient(x, t))
        times.append(time.perf_counter() - start)
    spent = {key: s / steps for key, s in SPENT.items()}
    return statistics.median(times), spent, gemm_floor(net, batch, steps)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--chunk", type=int, default=nets.CHUNK, help="images per chunk in (a)")
    args = parser.parse_args()
    for name in ("batch", "steps", "chunk"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1, got {getattr(args, name)}")
    instrument()
    results = {"(a1) one pass": profile("one-pass", args.batch, args.steps, args.chunk),
               f"(a) {args.chunk}-image chunks, {nets.WORKERS} threads": profile("chunks", args.batch, args.steps,
                                                                                   args.chunk)}
    print(f"Deep ConvNet, one training step on a batch of {args.batch}: milliseconds (median step of {args.steps}; "
          "layer times are means, summed over threads)")
    names = list(results)
    print(f"{'':28s}" + "".join(f"{n:>34s}" for n in names))
    print(f"{'wall time of a step':28s}" + "".join(f"{r[0] * 1e3:34.1f}" for r in results.values()))
    for kind in KINDS:
        for phase in ("forward", "backward"):
            row = [r[1].get((kind, phase), 0.0) * 1e3 for r in results.values()]
            print(f"{kind + ' ' + phase:28s}" + "".join(f"{v:34.1f}" for v in row))
    print(f"{'all layers (thread-time)':28s}" + "".join(f"{sum(r[1].values()) * 1e3:34.1f}" for r in results.values()))
    print(f"{'conv GEMMs alone (wall)':28s}" + "".join(f"{r[2] * 1e3:34.1f}" for r in results.values()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
