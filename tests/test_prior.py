"""The ClusterGAN prior: z = [z_n, z_c] with z_n ~ N(0, sigma^2 I) and z_c one-hot."""

import pytest
import torch

from skclustergan._prior import sample_codes


def _draw(n=4000, latent_dim=3, n_clusters=5, sigma=0.1, seed=0, labels=None):
    return sample_codes(
        n, latent_dim, n_clusters, sigma, torch.Generator().manual_seed(seed), labels=labels
    )


def test_codes_are_z_n_then_a_one_hot_of_the_labels():
    z, labels = _draw()
    assert z.shape == (4000, 3 + 5) and z.dtype == torch.get_default_dtype()
    assert labels.shape == (4000,) and labels.dtype == torch.long
    expected = torch.nn.functional.one_hot(labels, 5).to(z.dtype)
    torch.testing.assert_close(z[:, 3:], expected, rtol=0, atol=0)


def test_labels_are_drawn_first_then_z_n_scaled_by_sigma():
    z, labels = _draw(n=50, sigma=0.25, seed=7)
    rng = torch.Generator().manual_seed(7)
    expected_labels = torch.randint(5, (50,), generator=rng)
    expected_z_n = 0.25 * torch.randn(50, 3, generator=rng)
    torch.testing.assert_close(labels, expected_labels, rtol=0, atol=0)
    torch.testing.assert_close(z[:, :3], expected_z_n, rtol=0, atol=0)


def test_z_n_has_mean_zero_and_standard_deviation_sigma():
    z, _ = _draw(n=20000, latent_dim=4, sigma=0.1)
    z_n = z[:, :4]
    assert z_n.mean(0).abs().max() < 0.005
    torch.testing.assert_close(z_n.std(0), torch.full((4,), 0.1), rtol=0.03, atol=0)


def test_clusters_are_drawn_uniformly():
    _, labels = _draw(n=20000, n_clusters=5)
    counts = torch.bincount(labels, minlength=5)
    assert counts.min() > 3700 and counts.max() < 4300  # 4000 expected, sd ~57


def test_given_labels_fix_the_one_hot_and_draw_no_labels():
    fixed = torch.tensor([4, 0, 0, 2])
    z, labels = _draw(n=4, labels=fixed, seed=1)
    assert labels is fixed
    assert z[:, 3:].argmax(1).tolist() == [4, 0, 0, 2]
    rng = torch.Generator().manual_seed(1)
    torch.testing.assert_close(z[:, :3], 0.1 * torch.randn(4, 3, generator=rng), rtol=0, atol=0)


def test_same_generator_seed_gives_the_same_codes():
    first, second = _draw(seed=3), _draw(seed=3)
    torch.testing.assert_close(first[0], second[0], rtol=0, atol=0)
    assert not torch.equal(first[0], _draw(seed=4)[0])


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_codes_follow_the_default_dtype(dtype):
    previous = torch.get_default_dtype()
    torch.set_default_dtype(dtype)
    try:
        z, _ = _draw(n=8)
    finally:
        torch.set_default_dtype(previous)
    assert z.dtype == dtype
