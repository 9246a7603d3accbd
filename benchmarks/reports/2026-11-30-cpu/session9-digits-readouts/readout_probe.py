import sys, time, numpy as np, torch
from sklearn.datasets import load_digits
from sklearn.cluster import KMeans, AgglomerativeClustering, SpectralClustering
from sklearn.mixture import GaussianMixture
from sklearn.preprocessing import StandardScaler
from skclustergan import ClusterGAN
from skclustergan.metrics import cluster_accuracy
seed=int(sys.argv[1]); torch.set_num_threads(1)
X,y=load_digits(return_X_y=True); X=X.astype(np.float32)
t=time.time()
m=ClusterGAN(n_clusters=10, latent_dim=10, max_iter=20000, random_state=seed).fit(X)
print("fit",round(time.time()-t), "argmax", round(cluster_accuracy(y,m.predict(X)),3), flush=True)
zn=m.transform(X)
import torch.nn.functional as F
with torch.inference_mode():
    xt=m.scaling_.forward(X, torch.float32, torch.device("cpu"))
    en, logits = m.encoder_(xt)
en=en.numpy(); logits=logits.numpy(); sm=torch.softmax(torch.from_numpy(logits),1).numpy()
feats={"zn":en,"zn+sm":np.hstack([en,sm]),"logits":logits,"zn+logits":np.hstack([en,logits]),
       "zn_std":StandardScaler().fit_transform(en)}
for name,F_ in feats.items():
    r=[]
    r.append(("km",cluster_accuracy(y,KMeans(10,n_init=10,random_state=0).fit_predict(F_))))
    r.append(("ward",cluster_accuracy(y,AgglomerativeClustering(10).fit_predict(F_))))
    r.append(("gmm",cluster_accuracy(y,GaussianMixture(10,n_init=3,random_state=0).fit(F_).predict(F_))))
    r.append(("spec",cluster_accuracy(y,SpectralClustering(10,affinity="nearest_neighbors",random_state=0).fit_predict(F_))))
    print(name, " ".join(f"{a} {b:.3f}" for a,b in r), flush=True)
