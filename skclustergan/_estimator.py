"""The scikit-learn estimator :class:`ClusterGAN`."""

from __future__ import annotations

import copy
import threading
import warnings
from collections.abc import Iterator
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
import torch
from scipy.special import logsumexp
from scipy.stats import entropy
from sklearn.base import (
    BaseEstimator,
    ClassNamePrefixFeaturesOutMixin,
    ClusterMixin,
    TransformerMixin,
    _fit_context,
    clone,
)
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, check_random_state, validate_data

from ._backprop import backprop_decode, check_init, check_learning_rate, check_method, initial_codes
from ._data import MinMaxScaling, TrainingData, as_tensor, check_finite_chunked, iter_chunks
from ._generative import (
    check_cluster_ids,
    check_cluster_index,
    check_int,
    check_z_n,
    generate,
    interpolation_codes,
    prior_codes,
    torch_generator,
)
from ._mlp_trainer import BufferedEncoder
from ._nearest import bank_size, generated_bank, nearest_vote
from ._networks import CONV_WIDTHS, Encoder, build_conv_networks, build_mlp_networks, to_device
from ._persistence import build_payload, read_payload, rebuild, write_atomically
from ._propagate import confident_rows, log_confidence, propagate_labels
from ._restarts import fit_restarts, make_restarts, ran_to_the_end, restart_seeds, select_best
from ._training import (
    CONV_ADAM_BETAS,
    CONV_LEARNING_RATE,
    HISTORY_KEYS,
    MLP_LEARNING_RATE,
    PAPER_ADAM_BETAS,
    TrainingConfig,
    TrainingDivergedError,
    make_trainer,
)

_INFERENCE_CHUNK = 8192  # rows validated / scaled / labelled at a time
# rows per forward pass: on a CPU, 2,048 x 256 float32 activations (2 MB) stay in
# cache, which makes the tabular encoder 30% faster than at 8,192 rows (benchmarks/)
_CPU_FORWARD_ROWS = 2048
_NETWORKS = ("generator_", "discriminator_", "encoder_")
# layers initialise from torch's global generator: seed-and-build is one step per process
_INIT_LOCK = threading.Lock()


def _forward_rows(device: torch.device) -> int:
    """Rows per forward pass at inference on ``device`` (never more than a chunk)."""
    return min(_CPU_FORWARD_ROWS, _INFERENCE_CHUNK) if device.type == "cpu" else _INFERENCE_CHUNK


def _row_chunks(rows: np.ndarray) -> list[np.ndarray]:
    """``rows`` in consecutive pieces of at most ``_INFERENCE_CHUNK``."""
    return np.split(rows, range(_INFERENCE_CHUNK, len(rows), _INFERENCE_CHUNK))


def _check_precision(precision: str, device: torch.device) -> None:
    """Reject ``precision="bf16-mixed"`` where torch has no bfloat16 autocast."""
    if precision == "bf16-mixed" and not torch.amp.is_autocast_available(device.type):
        raise ValueError(
            f"The 'precision' parameter of ClusterGAN is 'bf16-mixed', but torch has no "
            f"autocast for device {str(device)!r}. Use precision='float32'."
        )


def resolve_device(device: str | torch.device) -> torch.device:
    """Map the ``device`` parameter to a :class:`torch.device`, checking it exists."""
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        resolved = torch.device(device)
    except (RuntimeError, TypeError) as exc:
        raise ValueError(
            f"The 'device' parameter of ClusterGAN must be 'auto' or a torch device such as "
            f"'cpu' or 'cuda:0'. Got {device!r} instead."
        ) from exc
    if resolved.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(
            f"The 'device' parameter of ClusterGAN is {device!r}, but CUDA is not available "
            "on this machine. Use device='cpu' or device='auto'."
        )
    if resolved.type == "cuda" and (resolved.index or 0) >= torch.cuda.device_count():
        raise ValueError(
            f"The 'device' parameter of ClusterGAN is {device!r}, but only "
            f"{torch.cuda.device_count()} CUDA device(s) are available."
        )
    if resolved.type not in ("cpu", "cuda", "mps", "xpu"):
        raise ValueError(
            f"The 'device' parameter of ClusterGAN is {device!r}, which is not supported; "
            "use 'auto', 'cpu' or 'cuda'."
        )
    return resolved


class ClusterGAN(ClassNamePrefixFeaturesOutMixin, ClusterMixin, TransformerMixin, BaseEstimator):
    """ClusterGAN: clustering in the latent space of a generative adversarial network.

    A generator G maps a latent code ``z = (z_n, z_c)`` - a Gaussian part
    ``z_n ~ N(0, sigma^2 I)`` and a one-hot cluster part ``z_c`` - to the data
    space; a critic D tells real from generated data (WGAN-GP); an encoder E is
    trained jointly with G to recover ``z_n`` and ``z_c`` from ``G(z)``. After
    training, ``E_c`` assigns real points to clusters (Mukherjee et al.,
    "ClusterGAN: Latent Space Clustering in Generative Adversarial Networks",
    AAAI 2019).

    Read more in the :ref:`User Guide <user_guide>`.

    Parameters
    ----------
    n_clusters : int, default=8
        Number of clusters K (the dimension of the one-hot code ``z_c``).
        Set it to the number of groups you expect, as for KMeans.

    latent_dim : int, default=10
        Dimension of the continuous code ``z_n``: the within-cluster variation
        (style) that G can express. The paper uses 30 for MNIST, 40 for
        Fashion-MNIST, 5 for Pendigits (16 features). Roughly, a few times
        smaller than the number of features of tabular data.

    sigma : float, default=0.1
        Standard deviation of ``z_n``. Small values (paper: 0.1) keep the clusters
        of the latent space apart; much larger values let clusters overlap.

    beta_n : float, default=10.0
        Weight of the ``z_n`` recovery loss ``mean((z_n - E_n(G(z)))^2)``
        (averaged over batch and dimensions, as in the official code). Set 0 to
        let E ignore ``z_n`` (the paper does this for Fashion-MNIST).

    beta_c : float, default=10.0
        Weight of the cluster recovery loss, the cross-entropy between ``z_c``
        and ``E_c(G(z))``. This term is what makes the clusters identifiable;
        keep it positive.

    adversarial_loss : {"wasserstein-gp", "standard"}, default="wasserstein-gp"
        Critic objective: Wasserstein with gradient penalty (the paper's), or
        the standard (non-saturating) GAN loss.

    gp_weight : float, default=10.0
        Weight of the gradient penalty (ignored for the standard loss).

    n_critic : int, default=1
        Critic updates per joint G+E update. The paper uses 5 at a learning rate
        of 1e-4 for 500k iterations on a GPU. At learning rate 2e-3, one
        critic step reached better clusters than 2 in the same CPU time on
        scikit-learn's digits and Pendigits (1-2 minutes of training), while
        the synthetic mixture of the benchmarks needed about 45 s instead of 20
        to be solved exactly (``benchmarks/README.md`` lists what was measured).

    learning_rate : float or "auto", default="auto"
        Adam learning rate for all three networks (betas: ``adam_betas``).
        ``"auto"`` is 2e-3 for the convolutional nets and 5e-4 for the fully
        connected nets and callable architectures. The paper's 1e-4 needs
        hundreds of thousands of iterations; lower it (with a larger
        ``max_iter``) if the losses oscillate or training diverges. Measured on
        this project's 2-core CPU (``benchmarks/README.md``, three seeds, the
        benchmark budgets): on the fully connected nets 5e-4 against 2e-3 gave
        Pendigits 0.747 against 0.675, scikit-learn's digits 0.844 against
        0.820 and the synthetic mixture 1.0 both ways.

    learning_rate_schedule : {"auto", "constant", "linear"}, default="auto"
        ``"constant"`` keeps ``learning_rate`` throughout. ``"linear"`` decays
        it linearly towards 0 over the ``max_iter`` iterations of each ``fit``
        (as in the WGAN-GP reference code of Gulrajani et al.), so that the
        clusters settle instead of moving until ``fit`` stops; then
        ``max_iter`` is the whole budget, and with ``warm_start=True`` each
        ``fit`` decays from ``learning_rate`` again. ``"auto"`` is
        ``"linear"`` for the convolutional nets and ``"constant"`` for the
        fully connected nets and callable architectures. Measured on this
        project's 2-core CPU (``benchmarks/README.md``, ``n_critic=1``): on
        MNIST with the ``"conv-small"`` nets and ``adam_betas="auto"``, 30,000
        iterations (an hour), the decay reached accuracy 0.923 / 0.796 / 0.764
        on three seeds (mean 0.828) against 0.796 / 0.752 / 0.706 (0.751) at a
        constant rate; on scikit-learn's digits it helped a little (20,000
        iterations), while on the synthetic mixture of the benchmarks it hurt
        (6,000 iterations: accuracy 0.89 against 1.0), so the fully connected
        nets keep a constant rate.
        :meth:`partial_fit` always uses a constant rate, as it cannot know
        how many calls will follow.

    adam_betas : "auto" or tuple of two floats, default="auto"
        Adam's ``(beta1, beta2)`` for all three networks, each in [0, 1): the
        decay rates of the running means of the gradients and of their
        squares. ``"auto"`` is ``(0.0, 0.9)`` (no momentum) for the
        convolutional nets and the paper's ``(0.5, 0.9)`` otherwise. Measured on
        this project's 2-core CPU (``benchmarks/README.md``): on MNIST with the
        ``"conv-small"`` nets, 30,000 iterations (an hour), ``(0.0, 0.9)``
        reached accuracy 0.796 / 0.752 / 0.706 on three seeds (mean 0.751,
        against 0.717 with the paper's betas). On the fully connected nets (at
        learning rate 2e-3) it raised scikit-learn's digits from 0.820 to 0.848
        and Pendigits from 0.675 to 0.699 (3 seeds each, default budgets) but
        left one of three synthetic-mixture fits at 0.905 instead of 1.0 within
        its budget, so they keep the paper's betas by default.

    batch_size : int, default=64
        Minibatch size of real and generated samples. Sampled with replacement,
        so it may exceed the number of samples.

    reuse_fakes : bool or "auto", default="auto"
        Whether the joint G+E update trains on the batch generated for the
        last critic update (its codes and ``G(z)``, with the generator's graph
        kept) instead of drawing and generating a new one: one forward pass of
        G and one prior draw fewer per iteration, so 6-8% more iterations in
        the same time on a CPU. The critic has then been updated on that
        batch just before G and E learn from it. ``"auto"`` is True for the
        convolutional nets and False for the fully connected nets and callable
        architectures. Measured on this project's 2-core CPU
        (``benchmarks/README.md``): on MNIST with the ``"conv-small"`` nets
        (60,000 iterations, two threads) it reached accuracy 0.954 / 0.888 /
        0.921 on seeds 0-2 (mean 0.921) against 0.662 / 0.788 / 0.678 without
        (0.797 over seeds 0-6), in 3,615-3,796 s a fit against 3,671-3,853 s.
        On the fully connected nets (12 seeds each, one thread) it lowered
        scikit-learn's digits from 0.830 to 0.798 and raised Pendigits from
        0.751 to 0.771, so they keep fresh batches by default. On
        Fashion-MNIST (``"conv-small"``, 45,000 iterations) it gave 0.590 /
        0.575 / 0.589 (mean 0.585) against 0.623 / 0.563 / 0.617 (0.601) on
        the same seeds: within the seeds' spread, not a gain;
        ``reuse_fakes=False`` gives the earlier behaviour.

    max_iter : int, default=5000
        Number of joint G+E updates (generator iterations); each runs
        ``n_critic`` critic updates first. The cost of an iteration does not
        depend on n_samples. The default is a quick first fit (about 25 s of
        one CPU core for the default nets); quality keeps improving for much
        longer: on scikit-learn's digits, one thread, 20,000 iterations (about
        2 minutes) gave accuracy 0.844 on average over 3 seeds (0.780-0.908),
        against 0.79 for KMeans. Use tens of thousands for MNIST-like images
        (with the conv nets' linear decay, ``max_iter`` is the whole budget);
        watch ``history_`` or refit with ``warm_start=True`` to continue.

    architecture : {"auto", "mlp", "conv", "conv-small"} or callable, default="auto"
        Networks. ``"mlp"``: fully connected nets (the paper's tabular model),
        ``"conv"``: the paper's convolutional MNIST model, which needs
        ``image_shape``; ``"conv-small"``: the same layout with half the
        channels (32 and 64) and a quarter of the fully connected width (256),
        about a fifth of the arithmetic per iteration, for training on a CPU;
        ``"auto"`` picks ``"conv"`` when ``image_shape`` is set, else ``"mlp"``.
        A callable is called as ``architecture(n_features, latent_dim,
        n_clusters)`` and returns ``(generator, discriminator, encoder)`` torch
        modules mapping ``(n, latent_dim + n_clusters) -> (n, n_features)``,
        ``(n, n_features) -> (n, 1)`` and ``(n, n_features) -> (n, latent_dim +
        n_clusters)`` respectively, in the scaled space (see ``scaling``).

    hidden_layer_sizes : tuple of int, default=(256, 256)
        Widths of the hidden layers of the fully connected nets.

    image_shape : tuple of int, default=None
        ``(channels, height, width)`` or ``(height, width)`` when each row of X
        is a flattened image; its product must equal the number of features.

    scaling : {"auto", "minmax", "global", "none"}, default="auto"
        How X is mapped into the networks' space: ``"minmax"`` scales each
        feature to [0, 1], ``"global"`` uses one minimum and maximum for all
        features (pixels, as the paper's x / 255), ``"none"`` leaves X as it is.
        ``"auto"`` is ``"global"`` for the convolutional nets; otherwise, when
        the features share one scale (median feature range at least half the
        largest: pixels, pen coordinates), each feature is shifted by its minimum
        and all are divided by the largest range, and else ``"minmax"``.

    output_activation : {"auto", "sigmoid", "linear"}, default="auto"
        Last activation of G. ``"auto"``: sigmoid unless ``scaling="none"``.

    device : str or torch.device, default="auto"
        Where to train and predict: ``"auto"`` (CUDA when available), ``"cpu"``,
        ``"cuda"``, ``"cuda:1"``...

    compile : bool, default=False
        Compile the training steps of the fully connected nets with
        ``torch.compile`` (TorchInductor fuses the element-wise work between
        the matrix products). On a 2-core CPU the tabular nets then train
        10-20% faster per iteration (784-pixel images: 7%), after a one-off
        compilation of about 20 s per network shape (cached on disk for later
        processes: about 2 s then), so it pays for fits of a few minutes; fits
        that differ only in ``beta_n``, ``beta_c`` or ``gp_weight`` share one
        compilation. The convolutional nets, custom networks and
        ``adversarial_loss="standard"`` train uncompiled (with a warning), and
        when compiling fails (no C++ compiler, for instance) training continues
        uncompiled with a ``RuntimeWarning``. Results equal the uncompiled ones
        up to float rounding.

    precision : {"float32", "bf16-mixed"}, default="float32"
        Arithmetic of training. ``"bf16-mixed"`` runs the training steps under
        ``torch.autocast`` with bfloat16: convolutions and matrix products
        compute in bfloat16 (with float32 accumulation), while the weights,
        the optimiser state, the losses and the gradient penalty's norm stay
        float32 (mixed precision, as PyTorch Lightning's ``"bf16-mixed"``).
        It pays for the convolutional nets on hardware with bfloat16 matrix
        units (Intel CPUs with AMX, recent NVIDIA GPUs): on a 2-core Xeon with
        AMX the paper's conv nets train 1.6 times and ``"conv-small"`` 1.5
        times as fast per iteration (``benchmarks/README.md``); on MNIST the
        extra iterations of an hour did not raise the accuracy (three of four
        seeds clustered worse than in float32), so use it for speed, not for
        the best clusters. The small
        products of the fully connected nets gain nothing from it, and with it
        they train with the autograd steps instead of the faster written-out
        ones (``compile`` then does not apply). Results differ from float32
        training by bfloat16 rounding (about 3 significant digits); inference
        (:meth:`predict`, :meth:`transform`, ...) never uses bfloat16: it runs
        at the precision of X (float32, or float64), as with ``"float32"``.

    n_init : int, default=1
        Number of times ``fit`` trains the networks from different seeds,
        keeping the fit whose encoder says most about the clusters of the
        training data, as KMeans keeps its run of lowest inertia: the highest
        mutual information between a row x and its cluster c under the
        encoder, ``H(mean_x p(c|x)) - mean_x H(p(c|x))`` with ``p(c|x)`` the
        rows of ``predict_proba(X)`` (``init_scores_``). It is high when every
        row is assigned confidently *and* the clusters are used evenly, as the
        uniform prior over clusters asks; the cluster-recovery loss maximises
        a bound of the same quantity on generated data. A GAN's clusters
        depend on its initialisation (some fits merge two groups into one
        cluster and split another), and this ranks the fits without labels.
        Each restart costs a full fit of ``max_iter`` iterations; train them
        side by side with ``n_jobs``. A ``warm_start`` fit that continues a
        fitted model trains that one model, and :meth:`partial_fit` ignores
        ``n_init``. Measured on this project's 2-core CPU
        (``benchmarks/README.md``, one thread per fit): keeping the better of
        two fits by this score averaged accuracy 0.843 on scikit-learn's
        digits (all pairs of 30 fits of 20,000 iterations; one fit: 0.830)
        and 0.748 on Pendigits (22 fits of 50,000 iterations; one fit:
        0.742), the better of three 0.850 and 0.755: restarts mostly avoid
        the worst fits.

    n_jobs : int, default=None
        Number of restarts (``n_init``) trained at once, in joblib worker
        processes (``None``: one at a time in this process, unless in a
        :func:`joblib.parallel_config` context; ``-1``: all cores). Each
        worker runs torch on ``cpu_count // n_jobs`` threads (see the user
        guide's page on parallel model selection). Restarts are seeded from
        ``random_state`` one by one, so the result does not depend on
        ``n_jobs`` beyond the thread count's float rounding.

    warm_start : bool, default=False
        When True, ``fit`` continues training the fitted networks (and their
        optimiser state) for ``max_iter`` more iterations instead of starting
        anew, with the current ``learning_rate`` and ``learning_rate_schedule``.

    random_state : int, RandomState instance or None, default=None
        Seeds the initialisation, the minibatches and the prior samples. An int
        gives identical results on the CPU run after run. The global torch
        random state is never changed.

    verbose : int, default=0
        Print progress (iteration, losses, elapsed and remaining time) every
        ``2 / verbose`` seconds when positive.

    Attributes
    ----------
    labels_ : ndarray of shape (n_samples,)
        Cluster of each training sample, ``predict(X)`` of the fitted model.

    cluster_centers_ : ndarray of shape (n_clusters, n_features)
        Prototype of each cluster in the input space: ``G(z_n=0, z_c=e_k)``.

    n_iter_ : int
        Number of generator iterations run (in total, with ``warm_start``).

    init_scores_ : ndarray of shape (n_init,)
        For each restart, in the order of their seeds, the mutual information
        (in nats, at most ``log(n_clusters)``) between a training row and its
        cluster under the encoder (see ``n_init``); NaN for a restart that
        diverged, or that a Ctrl-C stopped early (unless it is the one kept)
        or kept from running. ``fit`` keeps the restart with the highest.
        With ``n_init=1``, the one fit's value.

    history_ : dict of str to ndarray of shape (`n_iter_`,)
        Losses per iteration: ``"critic"``, ``"generator"`` (the full G+E
        objective), ``"zn_recovery"`` and ``"zc_recovery"``.

    generator_, discriminator_, encoder_ : torch.nn.Module
        The trained networks (on the CPU after unpickling). ``encoder_`` returns
        ``(z_n, logits)``.

    n_features_in_ : int
        Number of features seen during fit.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during fit, when X has string column names.

    See Also
    --------
    sklearn.cluster.KMeans : Centroid-based clustering.
    sklearn.mixture.GaussianMixture : Probabilistic clustering with a generative model.

    Examples
    --------
    >>> from sklearn.datasets import make_blobs
    >>> from skclustergan import ClusterGAN
    >>> X, _ = make_blobs(n_samples=200, centers=3, n_features=4, random_state=0)
    >>> model = ClusterGAN(n_clusters=3, max_iter=300, random_state=0).fit(X)
    >>> model.labels_.shape
    (200,)
    >>> model.transform(X).shape
    (200, 10)
    >>> model.predict_proba(X[:2]).sum(axis=1).round(6)
    array([1., 1.])
    """

    # (start, total) of a run split into warm-started fits (the CLI's progress
    # chunks): the learning rate schedule then decays over the whole run
    _schedule_span: tuple[int, int] | None = None

    _parameter_constraints: dict = {
        "n_clusters": [Interval(Integral, 1, None, closed="left")],
        "latent_dim": [Interval(Integral, 1, None, closed="left")],
        "sigma": [Interval(Real, 0, None, closed="neither")],
        "beta_n": [Interval(Real, 0, None, closed="left")],
        "beta_c": [Interval(Real, 0, None, closed="left")],
        "adversarial_loss": [StrOptions({"wasserstein-gp", "standard"})],
        "gp_weight": [Interval(Real, 0, None, closed="left")],
        "n_critic": [Interval(Integral, 1, None, closed="left")],
        "learning_rate": [Interval(Real, 0, None, closed="neither"), StrOptions({"auto"})],
        "learning_rate_schedule": [StrOptions({"auto", "linear", "constant"})],
        "adam_betas": [StrOptions({"auto"}), "array-like"],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "reuse_fakes": ["boolean", StrOptions({"auto"})],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "architecture": [StrOptions({"auto", "mlp", "conv", "conv-small"}), callable],
        "hidden_layer_sizes": ["array-like"],
        "image_shape": ["array-like", None],
        "scaling": [StrOptions({"auto", "minmax", "global", "none"})],
        "output_activation": [StrOptions({"auto", "sigmoid", "linear"})],
        "device": [str, torch.device],
        "compile": ["boolean"],
        "precision": [StrOptions({"float32", "bf16-mixed"})],
        "n_init": [Interval(Integral, 1, None, closed="left")],
        "n_jobs": [Integral, None],
        "warm_start": ["boolean"],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        n_clusters=8,
        *,
        latent_dim=10,
        sigma=0.1,
        beta_n=10.0,
        beta_c=10.0,
        adversarial_loss="wasserstein-gp",
        gp_weight=10.0,
        n_critic=1,
        learning_rate="auto",
        learning_rate_schedule="auto",
        adam_betas="auto",
        batch_size=64,
        reuse_fakes="auto",
        max_iter=5000,
        architecture="auto",
        hidden_layer_sizes=(256, 256),
        image_shape=None,
        scaling="auto",
        output_activation="auto",
        device="auto",
        compile=False,
        precision="float32",
        n_init=1,
        n_jobs=None,
        warm_start=False,
        random_state=None,
        verbose=0,
    ):
        self.n_clusters = n_clusters
        self.latent_dim = latent_dim
        self.sigma = sigma
        self.beta_n = beta_n
        self.beta_c = beta_c
        self.adversarial_loss = adversarial_loss
        self.gp_weight = gp_weight
        self.n_critic = n_critic
        self.learning_rate = learning_rate
        self.learning_rate_schedule = learning_rate_schedule
        self.adam_betas = adam_betas
        self.batch_size = batch_size
        self.reuse_fakes = reuse_fakes
        self.max_iter = max_iter
        self.architecture = architecture
        self.hidden_layer_sizes = hidden_layer_sizes
        self.image_shape = image_shape
        self.scaling = scaling
        self.output_activation = output_activation
        self.device = device
        self.compile = compile
        self.precision = precision
        self.n_init = n_init
        self.n_jobs = n_jobs
        self.warm_start = warm_start
        self.random_state = random_state
        self.verbose = verbose

    # ------------------------------------------------------------------ checks
    def _check_params_vs_input(self, X) -> None:
        n_samples, n_features = X.shape
        if n_samples < self.n_clusters:
            raise ValueError(f"n_samples={n_samples} should be >= n_clusters={self.n_clusters}.")
        self._resolved_image_shape(n_features)
        self._check_hidden_layer_sizes()
        self._check_adam_betas()

    def _check_hidden_layer_sizes(self) -> tuple[int, ...]:
        sizes = self.hidden_layer_sizes
        try:
            sizes = tuple(sizes)
        except TypeError:
            sizes = None
        if not sizes or not all(isinstance(s, Integral) and s >= 1 for s in sizes):
            raise ValueError(
                "The 'hidden_layer_sizes' parameter of ClusterGAN must be a non-empty "
                f"sequence of positive integers. Got {self.hidden_layer_sizes!r} instead."
            )
        return tuple(int(s) for s in sizes)

    def _check_adam_betas(self) -> tuple[float, float]:
        """The betas to train with: ``adam_betas`` validated, or resolved from "auto"."""
        betas = self.adam_betas
        if isinstance(betas, str) and betas == "auto":
            return CONV_ADAM_BETAS if self._conv_nets() else PAPER_ADAM_BETAS
        try:
            betas = None if isinstance(betas, str) else tuple(betas)
        except TypeError:
            betas = None
        if (
            betas is None
            or len(betas) != 2
            or not all(isinstance(b, Real) and not isinstance(b, bool) for b in betas)
            or not all(0.0 <= b < 1.0 for b in betas)
        ):
            raise ValueError(
                "The 'adam_betas' parameter of ClusterGAN must be 'auto' or a pair of "
                f"floats in [0, 1), e.g. (0.5, 0.9). Got {self.adam_betas!r} instead."
            )
        return float(betas[0]), float(betas[1])

    def _resolved_learning_rate(self) -> float:
        """``learning_rate``, with "auto" resolved per architecture."""
        if isinstance(self.learning_rate, str) and self.learning_rate == "auto":
            return CONV_LEARNING_RATE if self._conv_nets() else MLP_LEARNING_RATE
        return float(self.learning_rate)

    def _resolved_schedule(self) -> str:
        """``learning_rate_schedule``, with "auto" resolved: linear for the conv nets."""
        if self.learning_rate_schedule == "auto":
            return "linear" if self._conv_nets() else "constant"
        return self.learning_rate_schedule

    def _resolved_image_shape(self, n_features: int) -> tuple[int, int, int] | None:
        architecture = self._resolved_architecture()
        if self.image_shape is None:
            if architecture in CONV_WIDTHS:
                raise ValueError(
                    f"architecture={architecture!r} needs image_shape, "
                    "e.g. image_shape=(1, 28, 28)."
                )
            return None
        shape = tuple(self.image_shape)
        if len(shape) == 2:
            shape = (1, *shape)
        if len(shape) != 3 or not all(isinstance(s, Integral) and s >= 1 for s in shape):
            raise ValueError(
                "The 'image_shape' parameter of ClusterGAN must be (channels, height, width) "
                f"or (height, width) of positive integers. Got {self.image_shape!r} instead."
            )
        if int(np.prod(shape)) != n_features:
            raise ValueError(
                f"image_shape={self.image_shape!r} describes {int(np.prod(shape))} features, "
                f"but X has {n_features} features."
            )
        if architecture in CONV_WIDTHS and min(shape[1:]) < 4:
            raise ValueError(
                f"image_shape={self.image_shape!r} is too small for the convolutional "
                "networks: height and width must be at least 4."
            )
        return tuple(int(s) for s in shape)

    def _resolved_architecture(self):
        if self.architecture == "auto":
            return "mlp" if self.image_shape is None else "conv"
        return self.architecture

    def _conv_nets(self) -> bool:
        """Whether the networks are the package's convolutional ones: what the "auto"
        defaults of ``adam_betas``, ``learning_rate`` and the rest depend on."""
        return self._resolved_architecture() in CONV_WIDTHS

    def _resolved_scaling(self) -> str:
        if self.scaling == "auto" and self._conv_nets():
            return "global"
        return self.scaling

    # ---------------------------------------------------------------- building
    def _build_networks(self, n_features: int, seed: int):
        architecture = self._resolved_architecture()
        activation = self.output_activation
        if activation == "auto":
            activation = "linear" if self._resolved_scaling() == "none" else "sigmoid"
        with _INIT_LOCK, torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            if architecture == "mlp":
                nets = build_mlp_networks(
                    n_features,
                    self.latent_dim,
                    self.n_clusters,
                    self._check_hidden_layer_sizes(),
                    activation,
                )
            elif architecture in CONV_WIDTHS:
                nets = build_conv_networks(
                    self._resolved_image_shape(n_features),
                    self.latent_dim,
                    self.n_clusters,
                    activation,
                    CONV_WIDTHS[architecture],
                )
            else:
                nets = self.architecture(n_features, self.latent_dim, self.n_clusters)
        return _check_networks(nets, self.latent_dim, self.n_clusters)

    def _training_config(self, schedule: str | None = None) -> TrainingConfig:
        return TrainingConfig(
            latent_dim=self.latent_dim,
            n_clusters=self.n_clusters,
            sigma=float(self.sigma),
            beta_n=float(self.beta_n),
            beta_c=float(self.beta_c),
            adversarial_loss=self.adversarial_loss,
            gp_weight=float(self.gp_weight),
            n_critic=self.n_critic,
            batch_size=self.batch_size,
            learning_rate=self._resolved_learning_rate(),
            learning_rate_schedule=schedule or self._resolved_schedule(),
            precision=self.precision,
            adam_betas=self._check_adam_betas(),
            reuse_fakes=self._resolved_reuse_fakes(),
        )

    def _resolved_reuse_fakes(self) -> bool:
        if isinstance(self.reuse_fakes, str):  # "auto"
            return self._conv_nets()
        return bool(self.reuse_fakes)

    # --------------------------------------------------------------------- fit
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Train the generator, critic and encoder on X.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data. Sparse matrices are densified one minibatch at a
            time; ``numpy.memmap`` arrays are read one minibatch at a time.

        y : Ignored
            Not used, present for API consistency by convention.

        Returns
        -------
        self : object
            Fitted estimator.

        Examples
        --------
        >>> from sklearn.datasets import make_blobs
        >>> from skclustergan import ClusterGAN
        >>> X, _ = make_blobs(n_samples=120, centers=3, n_features=4, random_state=0)
        >>> model = ClusterGAN(n_clusters=3, latent_dim=2, hidden_layer_sizes=(32, 32),
        ...                    max_iter=50, device="cpu", random_state=0).fit(X)
        >>> model.n_iter_, model.labels_.shape
        (50, (120,))
        """
        if self.n_init > 1 and not (self.warm_start and self.__sklearn_is_fitted__()):
            return self._fit_restarts(X)
        return self._fit(X, self.max_iter, self.warm_start)

    def _fit_restarts(self, X):
        """Fit ``n_init`` restarts from seeds drawn from ``random_state``; keep the
        one with the highest ``init_scores_`` (see ``n_init``)."""
        self._check_training_input(clone(self), X)  # fail before any training
        restarts = make_restarts(self, restart_seeds(self.random_state, self.n_init))
        fitted = fit_restarts(restarts, X, self.n_jobs)
        kept = select_best(fitted)
        scores = np.full(self.n_init, np.nan)  # so that the highest score is the kept one
        for i, model in enumerate(fitted):
            if i == kept or ran_to_the_end(model):
                scores[i] = model.init_scores_[0]
        self._adopt_fitted_state(fitted[kept])
        self.init_scores_ = scores
        if self.verbose:
            print(f"[ClusterGAN] restarts' mutual information {np.round(scores, 4).tolist()}: "
                  f"kept restart {int(np.nanargmax(scores)) + 1} of {self.n_init}", flush=True)
        return self

    @staticmethod
    def _check_training_input(estimator, X) -> None:
        """The checks of ``_fit`` that need no training, run on ``estimator``."""
        X = estimator._validate_X(X, reset=True, copy=False)[0]
        estimator._check_params_vs_input(X)
        device = resolve_device(estimator.device)
        _check_precision(estimator.precision, device)

    def _adopt_fitted_state(self, other: ClusterGAN) -> None:
        """Replace this estimator's fitted state by ``other``'s (same parameters
        apart from the restart's own seed)."""
        for name in [k for k in vars(self) if _is_fitted_state(k)]:
            delattr(self, name)
        params = self.get_params(deep=False)
        for name, value in vars(other).items():
            if name not in params and _is_fitted_state(name):
                setattr(self, name, value)

    def _fit(self, X, n_iter: int, warm_start: bool, schedule: str | None = None):
        """Validate X and run ``n_iter`` iterations, continuing when ``warm_start``.

        ``schedule`` overrides ``learning_rate_schedule`` (partial_fit: constant).
        """
        continuing = warm_start and self.__sklearn_is_fitted__()
        X, memmap = self._validate_X(X, reset=not continuing, copy=False)
        if memmap:  # chunk by chunk, so the mapped file never becomes resident at once
            check_finite_chunked(X)
        self._check_params_vs_input(X)
        if continuing:
            self._check_warm_start_compatible()
        device = resolve_device(self.device)
        _check_precision(self.precision, device)
        base_seed = check_random_state(self.random_state).randint(np.iinfo(np.int32).max)
        offset = self.n_iter_ if continuing else 0
        if not continuing:
            with np.errstate(over="ignore"):  # an overflowing range is reported below
                self.scaling_ = MinMaxScaling.fit(X, self._resolved_scaling())
            if not np.isfinite(self.scaling_.scale).all():
                raise ValueError(
                    "The range of X (max - min) overflows float64, so X cannot be scaled; "
                    "divide X by a large constant (e.g. 1e10) before fitting."
                )
            nets = self._build_networks(X.shape[1], base_seed)
            self.generator_, self.discriminator_, self.encoder_ = nets
            self._optimizer_state = None
        data = TrainingData(X, self.scaling_, device, memmap=memmap)
        self._to_device(device)
        rng = torch.Generator(device=device).manual_seed(int(base_seed) + offset)
        trainer = make_trainer(
            self.generator_,
            self.discriminator_,
            self.encoder_,
            self._training_config(schedule),
            rng,
            device,
            self._optimizer_state,
            compile=self.compile,
        )
        try:
            history, interrupted = trainer.fit(
                data, n_iter, self.verbose, offset=offset, schedule_span=self._schedule_span
            )
        except TrainingDivergedError:
            # the networks now hold NaN weights: leave the estimator unfitted, not half fitted
            for name in [k for k in vars(self) if k.endswith("_") and not k.startswith("__")]:
                delattr(self, name)
            raise
        self._optimizer_state = _state_to_cpu(trainer.optimizer_state())
        self._record_history(history.cpu().numpy(), continuing)
        self._n_features_out = self.latent_dim
        self.cluster_centers_ = self._decode_centers()
        # not self.predict(X): X is already validated (a DataFrame is now an array, and
        # re-validating it would warn that it lacks the fitted feature names)
        self.labels_, information = self._labels_and_information(X)
        self.init_scores_ = np.array([information])
        if interrupted:
            warnings.warn(
                f"ClusterGAN.fit was interrupted after {self.n_iter_} iterations; the "
                "estimator holds the networks of the last complete iteration.",
                RuntimeWarning,
                stacklevel=2,
            )
        return self

    def _check_warm_start_compatible(self) -> None:
        fitted = (self.encoder_.latent_dim, self.cluster_centers_.shape[0])
        if fitted != (self.latent_dim, self.n_clusters):
            raise ValueError(
                "warm_start=True needs the same latent_dim and n_clusters as the fitted "
                f"model ({fitted[0]}, {fitted[1]}); got ({self.latent_dim}, {self.n_clusters})."
            )

    def _record_history(self, losses: np.ndarray, continuing: bool) -> None:
        new = {key: losses[:, i].astype(np.float64) for i, key in enumerate(HISTORY_KEYS)}
        if continuing:
            new = {key: np.concatenate([self.history_[key], new[key]]) for key in new}
        self.history_ = new
        self.n_iter_ = len(new["critic"])

    def _to_device(self, device: torch.device) -> None:
        for name in _NETWORKS:
            to_device(getattr(self, name), device)

    def _model_device(self) -> torch.device:
        return next(self.encoder_.parameters()).device

    # ---------------------------------------------------------------- inference
    def _encode(self, X, heads: str = "nc") -> tuple[np.ndarray | None, np.ndarray | None]:
        """Run E over X in chunks; returns (z_n, logits) in X's floating dtype.

        ``heads``: which outputs to keep, ``"n"`` (z_n), ``"c"`` (the cluster
        logits) or both; an output not asked for is None and never allocated.
        """
        np_dtype = np.float64 if X.dtype == np.float64 else np.float32
        n_rows = X.shape[0]
        z_n = np.empty((n_rows, self.encoder_.latent_dim), np_dtype) if "n" in heads else None
        logits = np.empty((n_rows, self.encoder_.n_clusters), np_dtype) if "c" in heads else None
        for start, stop, out_n, out_c in self._encoded_blocks(X, heads):
            if z_n is not None:
                z_n[start:stop] = out_n.cpu().numpy()
            if logits is not None:
                logits[start:stop] = out_c.cpu().numpy()
        return z_n, logits

    def _encoded_blocks(
        self, X, heads: str = "nc"
    ) -> Iterator[tuple[int, int, torch.Tensor | None, torch.Tensor | None]]:
        """``(start, stop, z_n, logits)`` of E over X, one forward pass at a time, in
        X's floating dtype on the model's device; the tensors are valid until the
        next block (copy them out). ``heads`` as in :meth:`_encode`: the fully
        connected encoder computes only those (the other may be None), with the
        input scaling folded into its first layer where that is as precise
        (:meth:`MinMaxScaling.foldable`). The encoder is set up once for all blocks."""
        dtype = torch.float64 if X.dtype == np.float64 else torch.float32
        device = self._model_device()
        encoder = self.encoder_ if dtype == torch.float32 else copy.deepcopy(self.encoder_).double()
        rows = _forward_rows(device)
        affine = self.scaling_.foldable()
        with torch.inference_mode():
            forward = BufferedEncoder.of(
                encoder, min(rows, X.shape[0]), X.shape[0], heads=heads, affine=affine
            )
        if forward is None:
            forward, affine = encoder, None
        else:
            rows = forward.rows
        for start, chunk in iter_chunks(X, rows):
            with torch.inference_mode():  # not held across the yield: the caller's code
                if affine is None:
                    x = self.scaling_.forward(chunk, dtype, device)
                else:  # the scaling is in the first layer; X is float32 or float64, as dtype
                    x = as_tensor(chunk, device)
                out_n, out_c = forward(x)
            yield start, start + len(chunk), out_n, out_c

    def _labels(self, X) -> np.ndarray:
        """argmax of E_c over X block by block: no (n_samples, n_clusters) logits held."""
        labels = np.empty(X.shape[0], dtype=np.int64)
        for start, stop, _, logits in self._encoded_blocks(X, "c"):
            labels[start:stop] = logits.argmax(dim=1).cpu().numpy()
        return labels

    def _labels_and_information(self, X) -> tuple[np.ndarray, float]:
        """argmax of E_c over X, and the mutual information between a row of X and
        its cluster under the encoder, ``H(mean_x p(c|x)) - mean_x H(p(c|x))``."""
        labels = np.empty(X.shape[0], dtype=np.int64)
        proba_sum = np.zeros(self.encoder_.n_clusters)
        entropy_sum = 0.0
        for start, stop, _, out_c in self._encoded_blocks(X, "c"):
            logits = out_c.cpu().numpy().astype(np.float64)
            labels[start:stop] = logits.argmax(axis=1)
            log_proba = logits - logsumexp(logits, axis=1, keepdims=True)
            proba = np.exp(log_proba)
            proba_sum += proba.sum(axis=0)
            entropy_sum -= float((proba * log_proba).sum())
        n_rows = max(X.shape[0], 1)
        return labels, float(entropy(proba_sum / n_rows) - entropy_sum / n_rows)

    def _validate_X(self, X, *, reset: bool, **kwargs) -> tuple:
        """``validate_data`` with the accepted types; a ``numpy.memmap`` is not
        checked for NaN here (too costly at once: ``check_finite_chunked``).
        Returns ``(X, whether X was a memmap)``."""
        memmap = isinstance(X, np.memmap)
        X = validate_data(
            self,
            X,
            accept_sparse=["csr", "csc"],
            dtype=[np.float64, np.float32],
            reset=reset,
            ensure_all_finite=not memmap,
            **kwargs,
        )
        return X, memmap

    def _validate_for_inference(self, X):
        check_is_fitted(self)
        X, memmap = self._validate_X(X, reset=False)
        if memmap:
            check_finite_chunked(X)
        return X

    def predict(self, X, method="argmax"):
        """Assign each sample to the cluster that the encoder's ``z_c`` head scores highest.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            New data.

        method : {"argmax", "backprop", "nearest", "propagate"}, default="argmax"
            ``"argmax"``: the encoder's highest-scoring cluster. ``"backprop"``:
            the cluster found by back-propagation decoding, :meth:`decode` with
            its defaults (much slower). ``"nearest"``: the generator's cluster
            found by search instead of gradient steps: the majority cluster of
            the 10 nearest of a bank of generated samples (2,000 per cluster,
            at most 50,000 in all, drawn from a fixed seed, so the result is
            deterministic), in the scaled space G generates in. It reads the
            clusters off G, not E, and costs one matrix product of X against
            the bank (seconds for MNIST's 70,000 images on 2 CPU cores); see
            the user guide for when it helps. ``"propagate"``: labels X as a
            whole: within each of the encoder's clusters, the half of the rows
            it is most confident about keep the argmax, and every other row
            gets the majority cluster of its 10 nearest kept rows (scaled
            space). A row's cluster then depends on the other rows of X (a
            single row keeps its argmax); pass the whole data set. It costs
            ``n^2 / 4`` distances for ``n`` rows (MNIST's 70,000: tens of
            seconds on 2 CPU cores).

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            Index of the cluster each sample belongs to.

        Examples
        --------
        >>> from sklearn.datasets import make_blobs
        >>> from skclustergan import ClusterGAN
        >>> X, _ = make_blobs(n_samples=120, centers=3, n_features=4, random_state=0)
        >>> model = ClusterGAN(n_clusters=3, latent_dim=2, hidden_layer_sizes=(32, 32),
        ...                    max_iter=50, device="cpu", random_state=0).fit(X)
        >>> labels = model.predict(X[:5])
        >>> labels.shape, bool(((labels >= 0) & (labels < 3)).all())
        ((5,), True)
        """
        method = check_method(method, caller="predict")
        X = self._validate_for_inference(X)
        if method == "backprop":
            return self._backprop_decode(X)[1]
        if method == "nearest":
            return self._nearest_labels(X)
        if method == "propagate":
            return self._propagated_labels(X)
        return self._labels(X)

    def predict_proba(self, X):
        """Softmax of the encoder's cluster logits.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            New data.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_clusters)
            Posterior-like cluster membership; each row sums to 1.

        Examples
        --------
        >>> from sklearn.datasets import make_blobs
        >>> from skclustergan import ClusterGAN
        >>> X, _ = make_blobs(n_samples=120, centers=3, n_features=4, random_state=0)
        >>> model = ClusterGAN(n_clusters=3, latent_dim=2, hidden_layer_sizes=(32, 32),
        ...                    max_iter=50, device="cpu", random_state=0).fit(X)
        >>> model.predict_proba(X[:2]).sum(axis=1).round(6)
        array([1., 1.])
        """
        X = self._validate_for_inference(X)
        proba = self._encode(X, "c")[1]  # the logits, turned into probabilities in place
        proba -= proba.max(axis=1, keepdims=True)
        np.exp(proba, out=proba)
        proba /= proba.sum(axis=1, keepdims=True)
        return proba

    def transform(self, X, method="argmax"):
        """Encode X into the continuous latent code ``z_n = E_n(x)``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            New data.

        method : {"argmax", "backprop"}, default="argmax"
            ``"argmax"``: the encoder's ``E_n(x)``. ``"backprop"``: the ``z_n``
            of the best restart of back-propagation decoding, :meth:`decode`
            with its defaults (much slower).

        Returns
        -------
        X_new : ndarray of shape (n_samples, latent_dim)
            The continuous code; float32 input gives float32 output, other input
            float64.

        Examples
        --------
        >>> from sklearn.datasets import make_blobs
        >>> from skclustergan import ClusterGAN
        >>> X, _ = make_blobs(n_samples=120, centers=3, n_features=4, random_state=0)
        >>> model = ClusterGAN(n_clusters=3, latent_dim=2, hidden_layer_sizes=(32, 32),
        ...                    max_iter=50, device="cpu", random_state=0).fit(X)
        >>> model.transform(X).shape, model.transform(X.astype("float32")).dtype
        ((120, 2), dtype('float32'))
        """
        method = check_method(method, caller="transform")
        X = self._validate_for_inference(X)
        if method == "backprop":
            return self._backprop_decode(X)[0].astype(X.dtype, copy=False)
        return self._encode(X, "n")[0]

    def score(self, X, y=None):
        """Minus the mean squared error of reconstructing X through E and G.

        Each sample is encoded to ``(E_n(x), onehot(argmax E_c(x)))`` and decoded by
        G; the error is averaged over samples and features in the scaled space
        (see ``scaling``), so scores are comparable between models fitted on the
        same data with different ``beta_n``, ``beta_c`` or ``latent_dim``. Higher
        is better; 0 is a perfect reconstruction. This is the default criterion of
        :class:`~sklearn.model_selection.GridSearchCV`, and needs no labels.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Data to score.

        y : Ignored
            Not used, present for API consistency by convention.

        Returns
        -------
        score : float
            ``-mean((scaled(x) - G(E(x)))^2)``.

        Examples
        --------
        >>> from sklearn.datasets import make_blobs
        >>> from skclustergan import ClusterGAN
        >>> X, _ = make_blobs(n_samples=120, centers=3, n_features=4, random_state=0)
        >>> model = ClusterGAN(n_clusters=3, latent_dim=2, hidden_layer_sizes=(32, 32),
        ...                    max_iter=50, device="cpu", random_state=0).fit(X)
        >>> bool(model.score(X) <= 0)
        True
        """
        X = self._validate_for_inference(X)
        z_n, logits = self._encode(X)
        dtype = torch.float64 if X.dtype == np.float64 else torch.float32
        device = self._model_device()
        generator = copy.deepcopy(self.generator_).to(dtype).eval()
        total = 0.0
        with torch.inference_mode():
            for start, chunk in iter_chunks(X, _forward_rows(device)):
                stop = start + len(chunk)
                labels = torch.as_tensor(logits[start:stop].argmax(axis=1), device=device)
                z_c = torch.nn.functional.one_hot(labels, self.encoder_.n_clusters).to(dtype)
                z = torch.cat([torch.as_tensor(z_n[start:stop], device=device), z_c], dim=1)
                x = self.scaling_.forward(chunk, dtype, device)
                total += float((generator(z) - x).square().sum())
        return -total / (X.shape[0] * X.shape[1])

    def _decode_centers(self) -> np.ndarray:
        device = self._model_device()
        labels = torch.arange(self.encoder_.n_clusters, device=device)
        z_c = torch.nn.functional.one_hot(labels, self.encoder_.n_clusters).float()
        z = torch.cat(
            [torch.zeros(self.encoder_.n_clusters, self.encoder_.latent_dim, device=device), z_c], 1
        )
        self.generator_.eval()
        with torch.inference_mode():
            out = self.generator_(z).double().cpu().numpy()
        return self.scaling_.inverse(out)

    # ------------------------------------------- generation, decoding, persistence
    def sample(
        self, n_samples: int = 1, cluster=None, random_state=None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Generate samples from the fitted generative model.

        Latent codes are drawn from the prior (``z_n ~ N(0, sigma^2 I)``, ``z_c``
        one-hot, uniform over the clusters unless ``cluster`` fixes them),
        decoded by the generator in evaluation mode and mapped back to the input
        space, as :meth:`sklearn.mixture.GaussianMixture.sample` does.

        Parameters
        ----------
        n_samples : int, default=1
            Number of samples to generate.

        cluster : int or array-like of shape (n_samples,), default=None
            Cluster of every sample (an int), or of each sample (an array of
            indices in ``[0, n_clusters)``). None draws the clusters uniformly.

        random_state : int, RandomState instance or None, default=None
            Seeds the draws (made on the CPU, so an int gives the same codes on
            any device). The global torch random state is never used; None takes
            the seed from NumPy's global generator, as scikit-learn does.

        Returns
        -------
        X : ndarray of shape (n_samples, n_features)
            Generated samples, float64, in the input space.

        labels : ndarray of shape (n_samples,)
            Cluster (``z_c``) each sample was generated from.

        Examples
        --------
        >>> from sklearn.datasets import make_blobs
        >>> from skclustergan import ClusterGAN
        >>> X, _ = make_blobs(n_samples=100, centers=3, n_features=4, random_state=0)
        >>> model = ClusterGAN(n_clusters=3, latent_dim=2, hidden_layer_sizes=(32, 32),
        ...                    max_iter=20, device="cpu", random_state=0).fit(X)
        >>> X_new, labels = model.sample(5, cluster=2, random_state=0)
        >>> X_new.shape, labels.tolist()
        ((5, 4), [2, 2, 2, 2, 2])
        """
        check_is_fitted(self)
        n_samples = check_int(n_samples, "n_samples", 1, "sample")
        ids = check_cluster_ids(cluster, n_samples, self.encoder_.n_clusters)
        z, labels = prior_codes(
            n_samples,
            self.encoder_.latent_dim,
            self.encoder_.n_clusters,
            float(self.sigma),
            random_state,
            ids,
        )
        return generate(self.generator_, z, self.scaling_, self._model_device()), labels

    def interpolate(
        self, cluster_from: int, cluster_to: int, n_steps: int = 8, random_state=None, z_n=None
    ) -> np.ndarray:
        """Decode a path between two clusters with a fixed continuous code.

        The paper's cross-category interpolation: one ``z_n`` is kept while ``z_c``
        moves linearly from the one-hot of ``cluster_from`` to that of
        ``cluster_to``; each code on the path is decoded by the generator.

        Parameters
        ----------
        cluster_from : int
            Cluster at the start of the path, in ``[0, n_clusters)``.

        cluster_to : int
            Cluster at the end of the path, in ``[0, n_clusters)``.

        n_steps : int, default=8
            Number of points on the path, endpoints included (at least 2).

        random_state : int, RandomState instance or None, default=None
            Seeds the draw of ``z_n ~ N(0, sigma^2 I)`` when ``z_n`` is None.

        z_n : array-like of shape (latent_dim,), default=None
            The continuous code to keep; drawn from the prior when None.

        Returns
        -------
        X_path : ndarray of shape (n_steps, n_features)
            Decoded points in the input space, float64; the first is
            ``G(z_n, e_from)``, the last ``G(z_n, e_to)``.

        Examples
        --------
        >>> from sklearn.datasets import make_blobs
        >>> from skclustergan import ClusterGAN
        >>> X, _ = make_blobs(n_samples=100, centers=3, n_features=4, random_state=0)
        >>> model = ClusterGAN(n_clusters=3, latent_dim=2, hidden_layer_sizes=(32, 32),
        ...                    max_iter=20, device="cpu", random_state=0).fit(X)
        >>> model.interpolate(0, 2, n_steps=5, z_n=[0.0, 0.0]).shape
        (5, 4)
        """
        check_is_fitted(self)
        start = check_cluster_index(
            cluster_from, "cluster_from", self.encoder_.n_clusters, "interpolate"
        )
        stop = check_cluster_index(
            cluster_to, "cluster_to", self.encoder_.n_clusters, "interpolate"
        )
        n_steps = check_int(n_steps, "n_steps", 2, "interpolate")
        if z_n is None:
            code = float(self.sigma) * torch.randn(
                self.encoder_.latent_dim, generator=torch_generator(random_state, "interpolate")
            )
        else:
            code = check_z_n(z_n, self.encoder_.latent_dim)
        z = interpolation_codes(code, start, stop, n_steps, self.encoder_.n_clusters)
        return generate(self.generator_, z, self.scaling_, self._model_device())

    def decode(
        self,
        X,
        n_steps: int = 500,
        learning_rate: float = 0.01,
        random_state=None,
        init: str = "encoder",
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Infer latent codes by back-propagation through the generator.

        The paper's alternative to the encoder: for each sample, one restart per
        cluster k with ``z_c = e_k`` fixed; Adam minimises over ``z_n``
        ``mean|x - G(z)| + 10 mean(z_n^2)`` (in the scaled space), clipping
        ``z_n`` to ``[-6 sigma, 6 sigma]`` (the official ``[-0.6, 0.6]`` at
        ``sigma=0.1``) after each step; the restart with the lowest final loss
        gives the cluster. All restarts run as one batch; the networks are not
        changed. Much slower than the encoder: ``n_steps`` forward and backward
        passes over ``n_samples * n_clusters`` codes.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples to decode.

        n_steps : int, default=500
            Adam steps per restart (the official code runs 5000 from random
            starts; starting from the encoder needs far fewer). 0 only compares
            the restarts at their initial codes.

        learning_rate : float, default=0.01
            Adam learning rate (the official value).

        random_state : int, RandomState instance or None, default=None
            Seeds the initial codes when ``init="random"``; unused otherwise.

        init : {"encoder", "zeros", "random"}, default="encoder"
            Initial ``z_n`` of every restart: the encoder's ``E_n(x)``, the
            prior's mode 0, or an independent prior draw per restart (as in the
            official code).

        Returns
        -------
        z_n : ndarray of shape (n_samples, latent_dim)
            Continuous code of the best restart, float64.

        labels : ndarray of shape (n_samples,)
            Cluster of the best restart, int64.

        loss : ndarray of shape (n_samples,)
            Final loss of the best restart, float64.

        Examples
        --------
        >>> from sklearn.datasets import make_blobs
        >>> from skclustergan import ClusterGAN
        >>> X, _ = make_blobs(n_samples=100, centers=3, n_features=4, random_state=0)
        >>> model = ClusterGAN(n_clusters=3, latent_dim=2, hidden_layer_sizes=(32, 32),
        ...                    max_iter=20, device="cpu", random_state=0).fit(X)
        >>> z_n, labels, loss = model.decode(X[:10], n_steps=20)
        >>> z_n.shape, labels.shape, loss.shape
        ((10, 2), (10,), (10,))
        """
        X = self._validate_for_inference(X)
        n_steps = check_int(n_steps, "n_steps", 0, "decode")
        learning_rate = check_learning_rate(learning_rate)
        init = check_init(init)
        return self._backprop_decode(X, n_steps, learning_rate, init, random_state)

    def _backprop_decode(
        self, X, n_steps=500, learning_rate=0.01, init="encoder", random_state=None
    ):
        device = self._model_device()
        rng = torch_generator(random_state, "decode")
        parts = []
        for _, chunk in iter_chunks(X, _INFERENCE_CHUNK):
            x = self.scaling_.forward(chunk, torch.float32, device)
            start = initial_codes(self.encoder_, x, init, self.encoder_.n_clusters, self.sigma, rng)
            out = backprop_decode(
                self.generator_,
                x,
                self.encoder_.n_clusters,
                self.encoder_.latent_dim,
                n_steps=n_steps,
                learning_rate=learning_rate,
                clip=6.0 * float(self.sigma),
                init_z_n=start,
            )
            parts.append([t.cpu().numpy() for t in out])
        z_n, labels, loss = (np.concatenate(p) for p in zip(*parts))
        return z_n.astype(np.float64), labels.astype(np.int64), loss.astype(np.float64)

    def _nearest_labels(self, X) -> np.ndarray:
        device = self._model_device()
        k = self.encoder_.n_clusters
        bank, bank_labels = generated_bank(
            self.generator_, self.encoder_.latent_dim, k, float(self.sigma), device,
            bank_size(k),
        )
        parts = []
        for _, chunk in iter_chunks(X, _INFERENCE_CHUNK):
            x = self.scaling_.forward(chunk, torch.float32, device)
            parts.append(nearest_vote(bank, bank_labels, x, k).cpu().numpy())
        return np.concatenate(parts).astype(np.int64)

    def _propagated_labels(self, X) -> np.ndarray:
        """``predict(X, method="propagate")``: see :mod:`skclustergan._propagate`."""
        k = self.encoder_.n_clusters
        labels, confidence = log_confidence(self._encode(X, "c")[1])
        keep = confident_rows(labels, confidence, k)
        out = labels.astype(np.int64)
        if keep.all():
            return out
        kept_rows = np.flatnonzero(keep)
        kept = torch.cat([self._scaled_rows(X, rows) for rows in _row_chunks(kept_rows)])
        kept_labels = torch.as_tensor(labels[kept_rows], device=kept.device)
        for rows in _row_chunks(np.flatnonzero(~keep)):
            x = self._scaled_rows(X, rows)
            out[rows] = propagate_labels(kept, kept_labels, x, k).cpu().numpy()
        return out

    def _scaled_rows(self, X, rows: np.ndarray) -> torch.Tensor:
        """The rows ``X[rows]``, scaled, as float32 on the model's device."""
        block = X[rows]
        block = block.toarray() if sp.issparse(block) else block
        return self.scaling_.forward(block, torch.float32, self._model_device())

    def save(self, path, *, overwrite: bool = False) -> ClusterGAN:
        """Write the fitted model to one file that loads without running code.

        The file (written by :func:`torch.save`, atomically: to a temporary file
        that is then renamed) holds the parameters, the networks' weights and the
        fitted state as tensors, numbers and strings only; :meth:`load` reads it
        with ``torch.load(weights_only=True)``. Models on a GPU are saved from
        CPU copies.

        Parameters
        ----------
        path : str or os.PathLike
            Destination file, e.g. ``"model.pt"``.

        overwrite : bool, default=False
            Replace ``path`` if it exists; otherwise raise FileExistsError.

        Returns
        -------
        self : object
            The estimator, unchanged.

        Raises
        ------
        ValueError
            If a parameter cannot be stored without code: a callable
            ``architecture`` or a RandomState instance as ``random_state``.
        FileExistsError
            If ``path`` exists and ``overwrite`` is False.
        IsADirectoryError
            If ``path`` is a folder (never replaced, even with ``overwrite``).
        FileNotFoundError
            If the folder that would hold ``path`` does not exist.

        Examples
        --------
        >>> import os, tempfile
        >>> from sklearn.datasets import make_blobs
        >>> from skclustergan import ClusterGAN
        >>> X, _ = make_blobs(n_samples=100, centers=3, n_features=4, random_state=0)
        >>> model = ClusterGAN(n_clusters=3, latent_dim=2, hidden_layer_sizes=(32, 32),
        ...                    max_iter=20, device="cpu", random_state=0).fit(X)
        >>> path = os.path.join(tempfile.mkdtemp(), "model.pt")
        >>> _ = model.save(path)
        >>> loaded = ClusterGAN.load(path)
        >>> bool((loaded.predict(X) == model.predict(X)).all())
        True
        """
        check_is_fitted(self)
        write_atomically(build_payload(self), path, overwrite)
        return self

    @classmethod
    def load(cls, path, device="cpu") -> ClusterGAN:
        """Read a model written by :meth:`save`.

        Nothing in the file is executed (``torch.load(weights_only=True)``). The
        networks are rebuilt from the saved parameters and the weights loaded
        strictly; tensors are read onto the CPU first, so models trained on a
        GPU load on machines without one. The ``device`` parameter of the loaded
        estimator stays as saved: set it with ``set_params`` before refitting
        elsewhere.

        Parameters
        ----------
        path : str or os.PathLike
            File written by :meth:`save`.

        device : str or torch.device, default="cpu"
            Where to put the networks (``"auto"``, ``"cpu"``, ``"cuda"``...).

        Returns
        -------
        estimator : ClusterGAN
            The fitted estimator.

        Raises
        ------
        FileNotFoundError
            If ``path`` does not exist.
        ValueError
            If the file is not a ClusterGAN model file, is damaged or truncated,
            or was written by a newer format version.

        Examples
        --------
        >>> import os, tempfile
        >>> from sklearn.datasets import make_blobs
        >>> from skclustergan import ClusterGAN
        >>> X, _ = make_blobs(n_samples=100, centers=3, n_features=4, random_state=0)
        >>> model = ClusterGAN(n_clusters=3, latent_dim=2, hidden_layer_sizes=(32, 32),
        ...                    max_iter=20, device="cpu", random_state=0).fit(X)
        >>> path = os.path.join(tempfile.mkdtemp(), "model.pt")
        >>> _ = model.save(path)
        >>> loaded = ClusterGAN.load(path)
        >>> loaded.cluster_centers_.shape
        (3, 4)
        """
        device = resolve_device(device)
        path, payload = read_payload(path)
        return rebuild(cls, payload, path, device)

    # ------------------------------------------------------------- partial fit
    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y=None):
        """Train on one chunk of data, continuing from the current fitted state.

        For data that arrive in chunks or do not fit in memory. Each call runs
        ``max(1, min(max_iter, ceil(n_samples / batch_size)))`` generator
        iterations on the chunk (about one pass over it per critic update) as a
        ``warm_start`` :meth:`fit` would, at a constant learning rate whatever
        ``learning_rate_schedule`` says: the networks and their optimiser state
        carry over, ``n_iter_`` and ``history_`` grow by that many iterations,
        and ``max_iter`` only caps the iterations of one call. Each call seeds
        its minibatches from ``random_state`` and ``n_iter_``, so a seeded
        sequence of calls is reproducible. A fitted estimator (by :meth:`fit`,
        or a ``fit`` stopped by Ctrl-C) is trained further.

        The first call on an unfitted estimator builds the networks and fixes
        the input scaling (see ``scaling``) from that chunk; it is not updated
        later, so values of later chunks outside the first chunk's range fall
        outside the networks' range. Pass a representative first chunk, or
        ``scaling="none"`` with data you scaled yourself. Every chunk needs at
        least ``n_clusters`` samples and the number of features of the first.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            One chunk of training data.

        y : Ignored
            Not used, present for API consistency by convention.

        Returns
        -------
        self : object
            The estimator; ``labels_`` holds the clusters of this chunk.

        Examples
        --------
        >>> import numpy as np
        >>> from sklearn.datasets import make_blobs
        >>> from skclustergan import ClusterGAN
        >>> X, _ = make_blobs(n_samples=300, centers=3, n_features=4, random_state=0)
        >>> model = ClusterGAN(n_clusters=3, latent_dim=2, hidden_layer_sizes=(32, 32),
        ...                    batch_size=50, device="cpu", random_state=0)
        >>> for chunk in np.array_split(X, 3):
        ...     _ = model.partial_fit(chunk)
        >>> model.n_iter_, model.labels_.shape
        (6, (100,))
        """
        from sklearn.utils.validation import _num_samples

        try:
            n_samples = _num_samples(X)
        except TypeError:  # not array-like: fit's validation reports it
            n_samples = 1
        n_iter = max(1, min(self.max_iter, -(-n_samples // self.batch_size)))
        # starts anew when unfitted; no decay: how many calls will follow is unknown
        return self._fit(X, n_iter, warm_start=True, schedule="constant")

    # ----------------------------------------------------------- sklearn glue
    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags

    def __sklearn_is_fitted__(self) -> bool:
        # labels_ is set last by fit (and by load): a fit that failed after validating X
        # leaves n_features_in_ or scaling_ behind, which is no fitted model
        return hasattr(self, "labels_")

    def __getstate__(self):
        # a copy: BaseEstimator returns the instance's own __dict__ for classes outside
        # sklearn, and replacing entries of that would move the live model to the CPU
        state = dict(super().__getstate__())
        for name in _NETWORKS:
            if name in state and _on_accelerator(state[name]):
                state[name] = copy.deepcopy(state[name]).cpu()
        if state.get("_optimizer_state") is not None:
            state["_optimizer_state"] = _state_to_cpu(state["_optimizer_state"])
        return state


def _is_fitted_state(name: str) -> bool:
    """Attributes set by fitting: public ones ending in "_", and private state."""
    if name.startswith("__"):
        return False
    return name.endswith("_") or name in ("_optimizer_state", "_n_features_out")


def _on_accelerator(module: torch.nn.Module) -> bool:
    return any(p.device.type != "cpu" for p in module.parameters())


def _state_to_cpu(state):
    if isinstance(state, torch.Tensor):
        return state.detach().cpu()
    if isinstance(state, dict):
        return {k: _state_to_cpu(v) for k, v in state.items()}
    if isinstance(state, (list, tuple)):
        return type(state)(_state_to_cpu(v) for v in state)
    return state


def _check_networks(nets, latent_dim: int, n_clusters: int):
    try:
        generator, discriminator, encoder = nets
    except (TypeError, ValueError):
        raise TypeError(
            "The 'architecture' callable must return a tuple (generator, discriminator, "
            f"encoder) of torch.nn.Module; got {type(nets).__name__}."
        ) from None
    for name, net in zip(("generator", "discriminator", "encoder"), nets):
        if not isinstance(net, torch.nn.Module):
            raise TypeError(
                f"The 'architecture' callable returned a {type(net).__name__} as the {name}; "
                "expected a torch.nn.Module."
            )
    if not isinstance(encoder, Encoder):
        encoder = Encoder(encoder, latent_dim, n_clusters)
    return generator, discriminator, encoder
