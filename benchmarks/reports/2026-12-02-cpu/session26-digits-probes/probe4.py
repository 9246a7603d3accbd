"""probe4.py DATASET SEED MAX_ITER TAG MODE -> one JSON line.

Regularising the critic on small data sets (autograd training steps):
MODE=none        the autograd Trainer unchanged (the baseline of this path);
MODE=noiseS      instance noise: N(0, s^2) added to real and generated rows before the critic
                 (critic step and the generator's adversarial term), s = S annealed linearly to 0
                 over MAX_ITER; the encoder sees clean generated rows;
MODE=dropP       dropout with rate P after every hidden LeakyReLU of the critic (double-backward
                 penalty, as the closed form assumes a piecewise-linear critic).
"""
import json, sys, time
import torch
torch.set_num_threads(1)
import skclustergan._mlp_trainer as mt
import skclustergan._training as tr
from skclustergan._losses import (critic_loss, critic_scores_with_penalty,
    generator_adversarial_loss, latent_recovery_losses)
from skclustergan import ClusterGAN
from skclustergan.datasets import load_digits_scaled, load_pendigits
from skclustergan.metrics import cluster_accuracy
from sklearn.metrics import normalized_mutual_info_score as nmi
ds, seed, max_iter, tag, mode = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
mt.mlp_layout = lambda *a: None  # autograd steps
noise_rng = torch.Generator().manual_seed(1000 + seed)
state = {"it": 0}
s0 = float(mode[5:]) if mode.startswith("noise") else 0.0
def noisy(x):
    s = s0 * max(0.0, 1.0 - state["it"] / max_iter)
    return x + s * torch.randn(x.shape, generator=noise_rng) if s > 0 else x
def critic_step(self, data):
    cfg = self.config
    idx = torch.randint(data.n_samples, (cfg.batch_size,), generator=self.rng, device=self.device)
    real = noisy(data.batch(idx))
    with torch.no_grad():
        fake = noisy(self.generator(self.sample_latent(cfg.batch_size)[2]))
    d_real, d_fake, gp = critic_scores_with_penalty(self.discriminator, real, fake, self.rng, True,
                                                    chain=self.critic_chain)
    loss = critic_loss(d_real, d_fake, gp, cfg.adversarial_loss, cfg.gp_weight)
    self.d_optimizer.zero_grad(set_to_none=True); loss.backward(); self.d_optimizer.step()
    return loss.detach()
def generator_step(self):
    cfg = self.config
    z_n, labels, z = self.sample_latent(cfg.batch_size)
    for p in self.d_params: p.requires_grad_(False)
    fake = self.generator(z)
    enc_n, enc_logits = self.encoder(fake)
    scores = self.discriminator(noisy(fake))
    adv = generator_adversarial_loss(scores, cfg.adversarial_loss)
    zn_loss, zc_loss = latent_recovery_losses(z_n, labels, enc_n, enc_logits)
    loss = adv + cfg.beta_n * zn_loss + cfg.beta_c * zc_loss
    for p in self.d_params: p.requires_grad_(True)
    self.ge_optimizer.zero_grad(set_to_none=True); loss.backward(); self.ge_optimizer.step()
    state["it"] += 1
    return torch.stack([loss, zn_loss, zc_loss]).detach()
if mode.startswith("noise"):
    tr.Trainer.critic_step = critic_step
    tr.Trainer.generator_step = generator_step
elif mode.startswith("drop"):
    rate = float(mode[4:])
    orig_init = tr.Trainer.__init__
    def init(self, generator, discriminator, *a, **k):
        for m in list(discriminator.modules()):
            if isinstance(m, torch.nn.LeakyReLU):
                m.register_forward_hook(lambda mod, inp, out: torch.nn.functional.dropout(out, rate, mod.training))
        orig_init(self, generator, discriminator, *a, **k)
        self.critic_chain = None
    tr.Trainer.__init__ = init
if ds == "digits":
    X, y = load_digits_scaled(); kw = dict(latent_dim=10)
else:
    X, y = load_pendigits("../shared/data"); kw = dict(latent_dim=5)
t = time.perf_counter()
m = ClusterGAN(n_clusters=10, random_state=seed, max_iter=max_iter, **kw).fit(X)
el = time.perf_counter() - t
p = m.predict(X)
print(json.dumps({"ds": ds, "tag": tag, "seed": seed, "iter": max_iter, "mode": mode,
    "acc": round(float(cluster_accuracy(y, p)), 4), "nmi": round(float(nmi(y, p)), 4), "time": round(el, 1)}), flush=True)
