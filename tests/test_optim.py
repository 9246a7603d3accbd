"""LeanAdam: torch's fused Adam update, state and state_dict, with a cheaper step."""

import copy

import pytest
import torch
from torch import nn

from skclustergan._optim import LeanAdam


def _net(seed=0):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(5, 7), nn.LeakyReLU(0.2), nn.Linear(7, 3))


def _train(net, optimizer, steps, seed=1, unused=None):
    rng = torch.Generator().manual_seed(seed)
    for _ in range(steps):
        x = torch.randn(16, 5, generator=rng)
        optimizer.zero_grad(set_to_none=True)
        net(x).square().mean().backward()
        if unused is not None:
            unused.grad = None
        optimizer.step()


def _lean_and_torch(**kwargs):
    """Two copies of one net, one with LeanAdam and one with torch's fused Adam."""
    lean_net, torch_net = _net(), _net()
    lean = LeanAdam(lean_net.parameters(), lr=1e-2, betas=(0.5, 0.9))
    lean.param_groups[0].update(kwargs)
    reference = torch.optim.Adam(
        torch_net.parameters(), lr=1e-2, betas=(0.5, 0.9), fused=True, **kwargs
    )
    return lean_net, lean, torch_net, reference


def _assert_same_params(a, b):
    for (name, p), q in zip(a.named_parameters(), b.parameters()):
        torch.testing.assert_close(p, q, rtol=0, atol=0, msg=lambda m, name=name: f"{name}: {m}")


def test_lean_steps_give_torch_fused_adams_updates_exactly():
    lean_net, lean, torch_net, reference = _lean_and_torch()
    _train(lean_net, lean, 25)
    _train(torch_net, reference, 25)
    assert lean._lean is not None  # the lean path did the work after step 1
    _assert_same_params(lean_net, torch_net)
    for p, q in zip(lean_net.parameters(), torch_net.parameters()):
        for key in ("step", "exp_avg", "exp_avg_sq"):
            torch.testing.assert_close(lean.state[p][key], reference.state[q][key], rtol=0, atol=0)


def test_a_changed_learning_rate_is_used_by_the_lean_step():
    lean_net, lean, torch_net, reference = _lean_and_torch()
    _train(lean_net, lean, 3)
    _train(torch_net, reference, 3)
    lean.param_groups[0]["lr"] = reference.param_groups[0]["lr"] = 0.1
    _train(lean_net, lean, 3, seed=2)
    _train(torch_net, reference, 3, seed=2)
    _assert_same_params(lean_net, torch_net)


def test_state_dict_round_trip_continues_like_torch_adam():
    net = _net()
    lean = LeanAdam(net.parameters(), lr=1e-2, betas=(0.5, 0.9))
    _train(net, lean, 5)
    saved = copy.deepcopy(lean.state_dict())
    steps = [state["step"] for state in saved["state"].values()]
    assert len({id(s) for s in steps}) == len(steps)  # one tensor per parameter
    assert all(float(s) == 5 for s in steps)

    resumed_net, torch_net = copy.deepcopy(net), copy.deepcopy(net)
    resumed = LeanAdam(resumed_net.parameters(), lr=1e-2, betas=(0.5, 0.9))
    resumed.load_state_dict(saved)
    reference = torch.optim.Adam(torch_net.parameters(), lr=1e-2, betas=(0.5, 0.9), fused=True)
    reference.load_state_dict(copy.deepcopy(saved))
    _train(resumed_net, resumed, 4, seed=5)
    _train(torch_net, reference, 4, seed=5)
    _assert_same_params(resumed_net, torch_net)
    assert all(float(resumed.state[p]["step"]) == 9 for p in resumed_net.parameters())
    # the saved dict was not advanced by the resumed optimiser
    assert all(float(s) == 5 for s in steps)


@pytest.mark.parametrize("saved_layout, live_layout", [
    (torch.contiguous_format, torch.channels_last),
    (torch.channels_last, torch.contiguous_format),
])  # fmt: skip
def test_a_state_saved_in_another_memory_layout_continues_like_torch_adam(
    saved_layout, live_layout
):
    """The fused kernel walks memory in order: a moment in other strides than its weight
    (a state from another device or version) must be re-laid out on loading."""

    def conv_net():
        torch.manual_seed(0)
        return nn.Sequential(nn.Conv2d(3, 4, 3), nn.LeakyReLU(0.2), nn.Flatten(), nn.Linear(16, 2))

    def train(net, optimizer, steps, seed):
        rng = torch.Generator().manual_seed(seed)
        for _ in range(steps):
            x = torch.randn(8, 3, 4, 4, generator=rng)
            optimizer.zero_grad(set_to_none=True)
            net(x).square().mean().backward()
            optimizer.step()

    saved_net = conv_net().to(memory_format=saved_layout)
    saving = LeanAdam(saved_net.parameters(), lr=1e-2, betas=(0.5, 0.9))
    train(saved_net, saving, 3, seed=1)
    saved = copy.deepcopy(saving.state_dict())
    moment = saved["state"][0]["exp_avg"]
    assert moment.is_contiguous(memory_format=saved_layout) and moment.dim() == 4

    live_net = copy.deepcopy(saved_net).to(memory_format=live_layout)
    live = LeanAdam(live_net.parameters(), lr=1e-2, betas=(0.5, 0.9))
    live.load_state_dict(saved)
    torch_net = copy.deepcopy(saved_net)
    reference = torch.optim.Adam(torch_net.parameters(), lr=1e-2, betas=(0.5, 0.9), foreach=False)
    reference.load_state_dict(copy.deepcopy(saved))
    train(live_net, live, 4, seed=2)
    train(torch_net, reference, 4, seed=2)
    for a, b in zip(live_net.parameters(), torch_net.parameters()):
        torch.testing.assert_close(a, b, rtol=1e-5, atol=1e-6)
    weight = next(live_net.parameters())
    assert live.state[weight]["exp_avg"].stride() == weight.stride()


def test_loading_a_live_state_dict_does_not_share_step_counters():
    net = _net()
    lean = LeanAdam(net.parameters(), lr=1e-2, betas=(0.5, 0.9))
    _train(net, lean, 3)
    other_net = copy.deepcopy(net)
    other = LeanAdam(other_net.parameters(), lr=1e-2, betas=(0.5, 0.9))
    other.load_state_dict(lean.state_dict())
    _train(other_net, other, 2)
    assert all(float(lean.state[p]["step"]) == 3 for p in net.parameters())
    assert all(float(other.state[p]["step"]) == 5 for p in other_net.parameters())


def test_a_parameter_without_gradient_falls_back_to_torch_adam():
    lean_net, lean, torch_net, reference = _lean_and_torch()
    _train(lean_net, lean, 3)
    _train(torch_net, reference, 3)
    _train(lean_net, lean, 3, seed=4, unused=lean_net[2].bias)
    _train(torch_net, reference, 3, seed=4, unused=torch_net[2].bias)
    _assert_same_params(lean_net, torch_net)
    assert float(lean.state[lean_net[2].bias]["step"]) == 3
    assert float(lean.state[lean_net[0].weight]["step"]) == 6


@pytest.mark.parametrize("kwargs", [{"amsgrad": True}, {"weight_decay": 0.1}])
def test_options_outside_the_plain_case_use_torch_adams_step(kwargs):
    lean_net, lean, torch_net, reference = _lean_and_torch(**kwargs)
    _train(lean_net, lean, 4)
    _train(torch_net, reference, 4)
    assert lean._lean is None
    _assert_same_params(lean_net, torch_net)
