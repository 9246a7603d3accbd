"""Where the conv nets' training iteration spends its time on this CPU, and two layout probes.

    python conv_probe.py DATA_DIR sections  [--architecture conv-small] [--iters 60]
    python conv_probe.py DATA_DIR backward  [--architecture conv-small] [--iters 30]
    python conv_probe.py DATA_DIR ab        [--architecture conv-small] [--rounds 10] [--block 20]
    python conv_probe.py DATA_DIR kernels

Two threads, MNIST's first 10,000 rows, the estimator's nets and settings (``latent_dim`` 30,
``random_state`` 0), denormals flushed as in ``Trainer.fit``. No timing uses
``torch.profiler``: on this VM it charged some operations of the batch-128 critic pass many
times their time measured with ``time.perf_counter`` in the same loop (see the README).

- ``sections``: ``before`` and ``after``: one critic step and one generator step written out as ``Trainer`` runs them
  (same operations, same order), with a clock between the parts.
- ``backward``: ``before`` and ``after``: the time of each autograd node of the two steps' ``backward()`` calls (hooks on
  the nodes; ``AccumulateGrad`` left out), grouped by the node and, for convolutions, shapes.
- ``ab``: interleaved blocks of four variants of the same trainer: ``before`` (the package
  before the forty-second session: default layout, oneDNN for every transposed convolution),
  ``nhwc`` (the three nets' parameters in ``channels_last``), ``native1`` (transposed
  convolutions with one output channel, G's last layer and the penalty's adjoint of the
  critic's first convolution, on torch's native ``slow_conv_transpose2d``), and ``after``
  (both: the package since). Prints each block's it/s and the median ratio to ``before``.
- ``kernels``: forward, input-gradient and weight-gradient time of each convolution shape
  of ``conv-small`` at batch 64 and 128, NCHW against NHWC, in isolation, and for the
  deconvolution to one channel the forward on torch's native kernel.
"""

from __future__ import annotations

import argparse
import collections
import copy
import time

import torch
import torch.nn.functional as F

from skclustergan import ClusterGAN
from skclustergan import _losses as losses
from skclustergan._conv_kernels import ConvTranspose2d, conv_transpose2d
from skclustergan._data import TrainingData
from skclustergan._denormals import flush_denormals
from skclustergan._losses import (
    chain_input_gradient,
    critic_loss,
    generator_adversarial_loss,
    latent_recovery_losses,
)
from skclustergan._training import make_trainer
from skclustergan.datasets import load_mnist

CPU = torch.device("cpu")
#: the variants of ``ab``: "before" is the package before this session (default layout,
#: oneDNN for every transposed convolution), "after" the package since (both changes)
VARIANTS = ("before", "nhwc", "native1", "after")


def setup(data_dir: str, architecture: str):
    X, _ = load_mnist(data_dir)
    X = X[:10000]
    model = ClusterGAN(n_clusters=10, latent_dim=30, image_shape=(1, 28, 28),
                       architecture=architecture, max_iter=1, random_state=0).fit(X)  # fmt: skip
    return model, TrainingData(X, model.scaling_, CPU)


def make(model, variant: str):
    """A trainer on copies of ``model``'s nets, set up as ``variant`` (see ``VARIANTS``)."""
    nets = [copy.deepcopy(n) for n in (model.generator_, model.discriminator_, model.encoder_)]
    nhwc, native = variant in ("nhwc", "after"), variant in ("native1", "after")
    layout = torch.channels_last if nhwc else torch.contiguous_format
    for net in nets:
        net.to(memory_format=layout)
    for module in nets[0].modules():
        if isinstance(module, torch.nn.ConvTranspose2d):
            module.__class__ = ConvTranspose2d if native else torch.nn.ConvTranspose2d
    trainer = make_trainer(*nets, model._training_config(), torch.Generator().manual_seed(0), CPU)
    trainer._set_train_mode(True)
    trainer.native1 = native
    return trainer


def run(trainer, data, n: int) -> None:
    # the penalty's adjoint of the critic's first convolution, looked up at run time
    losses.conv_transpose2d = conv_transpose2d if trainer.native1 else F.conv_transpose2d
    for _ in range(n):
        trainer.critic_step(data)
        trainer.generator_step()


def timed_critic_step(tr, data, acc) -> None:
    """``Trainer.critic_step`` (float32, Wasserstein-GP) with a clock between its parts."""
    losses.conv_transpose2d = conv_transpose2d if tr.native1 else F.conv_transpose2d
    cfg, clock = tr.config, [time.perf_counter()]
    idx = torch.randint(data.n_samples, (cfg.batch_size,), generator=tr.rng)
    real = data.batch(idx)
    with torch.no_grad():
        fake = tr.generator(tr.sample_latent(cfg.batch_size)[2])
    clock.append(time.perf_counter())
    n = real.shape[0]
    scores = tr.discriminator(torch.cat([real, fake]))
    clock.append(time.perf_counter())
    eps = torch.rand(n, 1, generator=tr.rng)
    grad = chain_input_gradient(*tr.critic_chain, torch.lerp(fake, real, eps))
    gp = (grad.norm(2, dim=1) - 1.0).square().mean()
    loss = critic_loss(scores[:n], scores[n:], gp, cfg.adversarial_loss, cfg.gp_weight)
    clock.append(time.perf_counter())
    tr.d_optimizer.zero_grad(set_to_none=True)
    loss.backward()
    clock.append(time.perf_counter())
    tr.d_optimizer.step()
    clock.append(time.perf_counter())
    parts = ("critic: G forward (no grad)", "critic: D forward, 128 rows",
             "critic: penalty (closed form)", "critic: backward", "critic: Adam")  # fmt: skip
    for name, a, b in zip(parts, clock, clock[1:]):
        acc[name] += b - a


def timed_generator_step(tr, acc) -> None:
    """``Trainer.generator_step`` (float32) with a clock between its parts."""
    cfg, clock = tr.config, [time.perf_counter()]
    z_n, labels, z = tr.sample_latent(cfg.batch_size)
    for p in tr.d_params:
        p.requires_grad_(False)
    fake = tr.generator(z)
    clock.append(time.perf_counter())
    enc_n, enc_logits = tr.encoder(fake)
    clock.append(time.perf_counter())
    scores = tr.discriminator(fake)
    clock.append(time.perf_counter())
    adv = generator_adversarial_loss(scores, cfg.adversarial_loss)
    zn_loss, zc_loss = latent_recovery_losses(z_n, labels, enc_n, enc_logits)
    loss = adv + cfg.beta_n * zn_loss + cfg.beta_c * zc_loss
    for p in tr.d_params:
        p.requires_grad_(True)
    tr.ge_optimizer.zero_grad(set_to_none=True)
    loss.backward()
    clock.append(time.perf_counter())
    tr.ge_optimizer.step()
    clock.append(time.perf_counter())
    parts = ("G+E: G forward", "G+E: E forward", "G+E: D forward", "G+E: backward", "G+E: Adam")
    for name, a, b in zip(parts, clock, clock[1:]):
        acc[name] += b - a


def sections(model, data, iters: int) -> None:
    for variant in ("before", "after"):
        tr, acc = make(model, variant), collections.defaultdict(float)
        for i in range(10 + iters):
            if i == 10:
                acc.clear()
                start = time.perf_counter()
            timed_critic_step(tr, data, acc)
            timed_generator_step(tr, acc)
        total = time.perf_counter() - start
        print(f"{variant}: {iters / total:.2f} it/s, {total / iters * 1e3:.1f} ms an iteration")
        for name, seconds in acc.items():
            print(f"  {name:32s} {seconds / iters * 1e3:6.2f} ms")


def _node_label(node) -> str:
    name = node.name()
    if name == "ConvolutionBackward0":
        kind = "transposed" if node._saved_transposed else "conv"
        shape = tuple(node._saved_input.shape) if node._saved_input is not None else "?"
        name += f" {kind} input {shape} weight {tuple(node._saved_weight.shape)}"
    return name


def backward(model, data, iters: int) -> None:
    acc, count, started = collections.defaultdict(float), collections.Counter(), {}
    plain_backward = torch.Tensor.backward

    def hook_graph(root) -> None:
        seen, stack = set(), [root]
        while stack:
            node = stack.pop()
            if node is None or node in seen:
                continue
            seen.add(node)
            stack.extend(fn for fn, _ in node.next_functions)
            if "AccumulateGrad" in node.name():  # persistent nodes: hooks would pile up
                continue
            label = _node_label(node)

            def pre(grad_out, node=node):
                started[node] = time.perf_counter()

            def post(grad_in, grad_out, node=node, label=label):
                acc[label] += time.perf_counter() - started[node]
                count[label] += 1

            node.register_prehook(pre)
            node.register_hook(post)

    def timed_backward(loss, *args, **kwargs):
        hook_graph(loss.grad_fn)
        return plain_backward(loss, *args, **kwargs)

    for variant in ("before", "after"):
        tr = make(model, variant)
        run(tr, data, 5)
        acc.clear()
        count.clear()
        torch.Tensor.backward = timed_backward
        try:
            start = time.perf_counter()
            run(tr, data, iters)
            total = time.perf_counter() - start
        finally:
            torch.Tensor.backward = plain_backward
        print(f"{variant}: {total / iters * 1e3:.1f} ms an iteration (hooks included); "
              f"backward nodes {sum(acc.values()) / iters * 1e3:.1f} ms")  # fmt: skip
        for label, seconds in sorted(acc.items(), key=lambda kv: -kv[1])[:12]:
            print(f"  {label:78s} {seconds / iters * 1e3:6.2f} ms ({count[label] / iters:.0f})")


def ab(model, data, rounds: int, block: int) -> None:
    trainers = {v: make(model, v) for v in VARIANTS}
    rates = {v: [] for v in VARIANTS}
    for tr in trainers.values():
        run(tr, data, 5)
    for _ in range(rounds):
        for v, tr in trainers.items():
            start = time.perf_counter()
            run(tr, data, block)
            rates[v].append(block / (time.perf_counter() - start))
    for v in VARIANTS:
        line = " ".join(f"{r:.1f}" for r in rates[v])
        ratios = sorted(r / b for r, b in zip(rates[v], rates["before"]))
        print(f"{v:13s} it/s per block: {line}; best {max(rates[v]):.2f}; "
              f"median ratio to before {ratios[len(ratios) // 2]:.3f}")  # fmt: skip


def _best_ms(fn, n: int = 40) -> float:
    for _ in range(5):
        fn()
    times = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return sorted(times)[n // 2] * 1e3


def kernels() -> None:
    backward_op = torch.ops.aten.convolution_backward
    shapes = (("conv 1->32, 28->14", 1, 32, 28, False), ("conv 32->64, 14->7", 32, 64, 14, False),
              ("deconv 32->1, 14->28", 32, 1, 14, True),
              ("deconv 64->32, 7->14", 64, 32, 7, True))  # fmt: skip
    for batch in (64, 128):
        for label, c_in, c_out, size, transposed in shapes:
            x = torch.randn(batch, c_in, size, size)
            w = torch.randn(*((c_in, c_out) if transposed else (c_out, c_in)), 4, 4)
            conv = F.conv_transpose2d if transposed else F.conv2d
            cells = []
            for fmt in (torch.contiguous_format, torch.channels_last):
                xf, wf = x.contiguous(memory_format=fmt), w.contiguous(memory_format=fmt)
                g = torch.randn_like(conv(xf, wf, None, stride=2, padding=1))
                args = (g, xf, wf, None, [2, 2], [1, 1], [1, 1], transposed, [0, 0], 1)
                fwd = _best_ms(lambda c=conv, x=xf, w=wf: c(x, w, None, stride=2, padding=1))
                dx = _best_ms(lambda a=args: backward_op(*a, [True, False, False]))
                dw = _best_ms(lambda a=args: backward_op(*a, [False, True, False]))
                name = "NCHW" if fmt is torch.contiguous_format else "NHWC"
                cells.append(f"{name} forward {fwd:.2f} input-grad {dx:.2f} weight-grad {dw:.2f}")
            if transposed and c_out == 1:  # the package's choice: torch's native kernel
                native = _best_ms(lambda x=x, w=w: conv_transpose2d(x, w, None, 2, 1))
                cells.append(f"native forward {native:.2f}")
            print(f"batch {batch:3d} {label:22s} " + " | ".join(cells) + " (ms)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir")
    parser.add_argument("what", choices=("sections", "backward", "ab", "kernels"))
    parser.add_argument("--architecture", default="conv-small", choices=("conv", "conv-small"))
    parser.add_argument("--iters", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--block", type=int, default=20)
    args = parser.parse_args()
    torch.set_num_threads(2)
    if args.what == "kernels":
        kernels()
        return
    model, data = setup(args.data_dir, args.architecture)
    print(f"{args.architecture}, two threads, {torch.__version__}", flush=True)
    with flush_denormals(CPU):
        if args.what == "sections":
            sections(model, data, args.iters)
        elif args.what == "backward":
            backward(model, data, args.iters)
        else:
            ab(model, data, args.rounds, args.block)


if __name__ == "__main__":
    main()
