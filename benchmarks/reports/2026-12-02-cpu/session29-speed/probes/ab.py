import time, numpy as np, torch, statistics
from sklearn.datasets import load_digits
from skclustergan import ClusterGAN, _mlp_trainer
torch.set_num_threads(2)
X = load_digits().data.astype(np.float32)/16
models={}
for flag in (False, True):
    _mlp_trainer.onednn_is_faster = lambda f=flag: f
    models[flag]=ClusterGAN(n_clusters=10, max_iter=300, random_state=0, warm_start=True).fit(X)
    # trainer built at fit: is the trainer rebuilt per warm fit? then the flag must stay
ratios=[]; rates={False:[],True:[]}
for r in range(8):
    t={}
    for flag in (False, True):
        _mlp_trainer.onednn_is_faster = lambda f=flag: f
        s=time.perf_counter(); models[flag].fit(X); t[flag]=time.perf_counter()-s
        rates[flag].append(300/t[flag])
    ratios.append(t[False]/t[True])
print("blas it/s", [round(x) for x in rates[False]])
print("onednn it/s", [round(x) for x in rates[True]])
print("median speedup", round(statistics.median(ratios),3), [round(x,2) for x in ratios])
