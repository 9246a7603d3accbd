"""probe6.py DATASET SEED MAX_ITER TAG PENALTY [PARAMS] -> one JSON line.

PENALTY changes the critic's gradient penalty in the written-out MLP steps:
  two-sided  mean((|grad| - 1)^2), the default (WGAN-GP);
  one-sided  mean(max(0, |grad| - 1)^2) (the Lipschitz penalty of WGAN-LP);
  zero       mean(|grad|^2), zero-centred (Thanh-Tung et al. 2019; 0-GP).
Only the gap that enters the loss and its gradient changes; everything else is
MlpTrainer.critic_update as committed.
"""
import json, sys, time
import torch
torch.set_num_threads(1)
import skclustergan._mlp_trainer as mt
from skclustergan import ClusterGAN
from skclustergan.datasets import load_digits_scaled, load_pendigits
from skclustergan.metrics import cluster_accuracy
from sklearn.metrics import normalized_mutual_info_score as nmi

ds, seed, max_iter, tag, penalty = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
params = json.loads(sys.argv[6]) if len(sys.argv) > 6 else {}


def critic_update(self, real, z, eps, signs):
    cfg, blocks = self.config, self.layout.critic
    n = cfg.batch_size
    with torch.no_grad():
        fake = self._generate(z)[0]
        rows = torch.cat([real, fake, torch.lerp(fake, real, eps)])
        scores, inputs, pre = self._forward(blocks, rows)
        slopes = [h[2 * n:] for h in pre]
        grad_x, chain = self._penalty_input_gradient(slopes, n)
        norm = grad_x.norm(2, dim=1, keepdim=True)
        if penalty == "two-sided":
            gap = norm - 1.0
        elif penalty == "one-sided":
            gap = (norm - 1.0).clamp_min(0.0)
        else:
            gap = norm.clone()
        loss = torch.addcmul(torch.dot(signs.view(-1), scores[: 2 * n].view(-1)),
                             torch.dot(gap.view(-1), gap.view(-1)), self._weights.gp)
        self._critic_backward(n, signs, inputs, pre, slopes, chain, grad_x, norm, gap)
    return loss


if penalty != "two-sided":
    mt.MlpTrainer.critic_update = critic_update
if ds == "digits":
    X, y = load_digits_scaled(); kw = dict(latent_dim=10)
else:
    X, y = load_pendigits("../shared/data"); kw = dict(latent_dim=5)
t = time.perf_counter()
m = ClusterGAN(n_clusters=10, random_state=seed, max_iter=max_iter, **kw, **params).fit(X)
el = time.perf_counter() - t
p = m.predict(X)
print(json.dumps({"ds": ds, "tag": tag, "seed": seed, "iter": max_iter, "penalty": penalty,
    "params": params, "acc": round(float(cluster_accuracy(y, p)), 4),
    "nmi": round(float(nmi(y, p)), 4), "time": round(el, 1)}), flush=True)
