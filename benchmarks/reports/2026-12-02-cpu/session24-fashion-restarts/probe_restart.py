"""probe_restart.py SEED INDEX MAX_ITER -> one JSON line: restart INDEX of
ClusterGAN(n_init=2, random_state=SEED) on Fashion-MNIST 70k with the benchmark's settings
(conv-small, latent_dim 40, beta_n 0), fitted alone on one thread, so that both restarts'
accuracy can be set beside the mutual information that n_init keeps the highest of.
Saves the model to /tmp/s24models/."""
import importlib.util, json, sys, time
from pathlib import Path
import torch
torch.set_num_threads(1)
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score
from skclustergan import ClusterGAN
from skclustergan._restarts import restart_seeds
from skclustergan.datasets import load_dataset
from skclustergan.metrics import cluster_accuracy, purity_score

seed, index, max_iter = (int(a) for a in sys.argv[1:4])
spec = importlib.util.spec_from_file_location("runner", Path("benchmarks/run_benchmarks.py"))
runner = importlib.util.module_from_spec(spec); sys.modules["runner"] = runner
spec.loader.exec_module(runner)
args = runner.build_parser().parse_args(["--architecture", "conv-small", "--max-iter", str(max_iter)])
params = runner.clustergan_params("fashion-mnist", args, seed)
params["random_state"] = restart_seeds(seed, 2)[index]
X, y = load_dataset("fashion-mnist", "../shared/data")
t = time.perf_counter()
m = ClusterGAN(**params).fit(X)
el = time.perf_counter() - t
p = m.labels_
m.save(f"/tmp/s24models/fashion-{seed}-{index}-{max_iter}.pt", overwrite=True)
print(json.dumps({"seed": seed, "restart": index, "restart_seed": params["random_state"],
                  "iter": max_iter, "acc": round(float(cluster_accuracy(y, p)), 4),
                  "purity": round(float(purity_score(y, p)), 4),
                  "nmi": round(float(normalized_mutual_info_score(y, p)), 4),
                  "ari": round(float(adjusted_rand_score(y, p)), 4),
                  "mutual_information": round(float(m.init_scores_[0]), 5),
                  "time": round(el, 1)}), flush=True)
