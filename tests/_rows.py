"""Test helper: minibatches of a fixed tensor, with ``TrainingData``'s interface."""

import torch


class TensorRows:
    """The rows of ``X`` (any dtype, already scaled) served as ``TrainingData`` serves them,
    so trainer tests can run in float64 or on hand-made data."""

    def __init__(self, X: torch.Tensor) -> None:
        self.X, self.n_samples = X, X.shape[0]

    def batch(self, indices: torch.Tensor) -> torch.Tensor:
        return self.X.index_select(0, indices)
