"""probe3.py SEED MAX_ITER TAG MODE -> one JSON line. Digits with random +-1 pixel translations
(DiffAugment-style) before the critic (MODE=d) or before critic and encoder (MODE=de); MODE=none:
the autograd Trainer unchanged (the baseline of this path)."""
import json, sys, time
import torch
torch.set_num_threads(1)
import skclustergan._mlp_trainer as mt
import skclustergan._training as tr
from skclustergan._losses import (critic_loss, critic_scores_with_penalty, full_precision,
    generator_adversarial_loss, latent_recovery_losses)
from skclustergan import ClusterGAN
from skclustergan.datasets import load_digits_scaled
from skclustergan.metrics import cluster_accuracy
from sklearn.metrics import normalized_mutual_info_score as nmi
seed, max_iter, tag, mode = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
mt.mlp_layout = lambda *a: None  # autograd steps
aug_rng = torch.Generator().manual_seed(1000 + seed)
S = 8
def translate(x):
    n = x.shape[0]
    img = torch.nn.functional.pad(x.view(n, S, S), (1, 1, 1, 1))
    oy = torch.randint(3, (n, 1), generator=aug_rng); ox = torch.randint(3, (n, 1), generator=aug_rng)
    rows = (torch.arange(S)[None, :] + oy)[:, :, None]
    cols = (torch.arange(S)[None, :] + ox)[:, None, :]
    return img[torch.arange(n)[:, None, None], rows, cols].reshape(n, S * S)
def critic_step(self, data):
    cfg = self.config
    idx = torch.randint(data.n_samples, (cfg.batch_size,), generator=self.rng, device=self.device)
    real = translate(data.batch(idx))
    with torch.no_grad():
        fake = translate(self.generator(self.sample_latent(cfg.batch_size)[2]))
    d_real, d_fake, gp = critic_scores_with_penalty(self.discriminator, real, fake, self.rng, True, chain=self.critic_chain)
    loss = critic_loss(d_real, d_fake, gp, cfg.adversarial_loss, cfg.gp_weight)
    self.d_optimizer.zero_grad(set_to_none=True); loss.backward(); self.d_optimizer.step()
    return loss.detach()
def generator_step(self):
    cfg = self.config
    z_n, labels, z = self.sample_latent(cfg.batch_size)
    for p in self.d_params: p.requires_grad_(False)
    fake = self.generator(z)
    enc_n, enc_logits = self.encoder(translate(fake) if mode == "de" else fake)
    scores = self.discriminator(translate(fake))
    adv = generator_adversarial_loss(scores, cfg.adversarial_loss)
    zn_loss, zc_loss = latent_recovery_losses(z_n, labels, enc_n, enc_logits)
    loss = adv + cfg.beta_n * zn_loss + cfg.beta_c * zc_loss
    for p in self.d_params: p.requires_grad_(True)
    self.ge_optimizer.zero_grad(set_to_none=True); loss.backward(); self.ge_optimizer.step()
    return torch.stack([loss, zn_loss, zc_loss]).detach()
if mode != "none":
    tr.Trainer.critic_step = critic_step
    tr.Trainer.generator_step = generator_step
X, y = load_digits_scaled()
t = time.perf_counter()
m = ClusterGAN(n_clusters=10, random_state=seed, max_iter=max_iter, latent_dim=10).fit(X)
el = time.perf_counter() - t
p = m.predict(X)
print(json.dumps({"ds": "digits", "tag": tag, "seed": seed, "iter": max_iter, "mode": mode,
    "acc": round(float(cluster_accuracy(y, p)), 4), "nmi": round(float(nmi(y, p)), 4), "time": round(el, 1)}), flush=True)
