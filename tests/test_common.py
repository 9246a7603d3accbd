"""scikit-learn's estimator checks on ClusterGAN, in a fast configuration."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from skclustergan import ClusterGAN


def fast_clustergan(**params) -> ClusterGAN:
    """A small, quick ClusterGAN that still clusters the checks' toy blobs."""
    defaults = dict(
        latent_dim=2,
        hidden_layer_sizes=(32, 32),
        max_iter=150,
        batch_size=32,
        n_critic=1,
        learning_rate=5e-3,
        device="cpu",
        random_state=0,
    )
    defaults.update(params)
    return ClusterGAN(**defaults)


_SPARSE_CHECK_REASON = (
    "sklearn 1.9's sparse-container check reads tags.classifier_tags.multi_class whenever an "
    "estimator has predict_proba, and that tag is None for every clusterer (AttributeError "
    "inside the check after fit and predict on the sparse matrix have succeeded); sparse "
    "fitting and inference are tested in tests/test_estimator.py instead"
)
EXPECTED_FAILED_CHECKS: dict[str, str] = {
    "check_estimator_sparse_array": _SPARSE_CHECK_REASON,
    "check_estimator_sparse_matrix": _SPARSE_CHECK_REASON,
}


@parametrize_with_checks(
    # the second runs every check through fit's restart path (n_init > 1)
    [fast_clustergan(), fast_clustergan(n_init=4)],
    expected_failed_checks=lambda est: EXPECTED_FAILED_CHECKS
)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
