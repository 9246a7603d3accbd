"""skclustergan: ClusterGAN as a scikit-learn clusterer, built on PyTorch."""

from . import datasets, metrics
from ._estimator import ClusterGAN
from ._version import __version__

__all__ = ["ClusterGAN", "__version__", "datasets", "metrics"]
