"""Adam for the training loop: torch's fused kernel with a lean per-step path.

A training iteration of the tabular nets takes a few milliseconds, of which
``torch.optim.Adam(fused=True).step`` spends about a tenth outside its kernel:
hooks, per-parameter state lookups and a ``_foreach_add_`` that increments one
step tensor per parameter (a host-side loop on the CPU). :class:`LeanAdam` is
that optimiser (same update, state and ``state_dict``) whose steps after the
first call the fused kernel directly, with a single step counter that every
parameter's state shares. Anything outside the plain case (several parameter
groups, a missing gradient, amsgrad, weight decay, a closure, no fused kernel)
goes through ``torch.optim.Adam.step`` unchanged. A loaded state takes its
parameters' memory layout (see :func:`_other_layout`).
"""

from __future__ import annotations

import torch


class LeanAdam(torch.optim.Adam):
    """``torch.optim.Adam(..., fused=True)`` with a cheaper ``step`` (see module docstring)."""

    def __init__(self, params, lr: float, betas: tuple[float, float]) -> None:
        super().__init__(params, lr=lr, betas=betas, fused=True)
        self._lean: tuple | None = None  # (params, exp_avgs, exp_avg_sqs, shared steps)
        self._lean_failed = False

    @torch.no_grad()
    def step(self, closure=None):
        if self._lean is None or closure is not None:
            self._unshare_steps()
            loss = super().step(closure)
            if not self._lean_failed:
                self._lean = self._plan()
                self._lean_failed = self._lean is None
            return loss
        params, exp_avgs, exp_avg_sqs, steps = self._lean
        grads = [p.grad for p in params]
        if any(g is None for g in grads):
            self._unshare_steps()
            self._lean_failed = True
            return super().step()
        group = self.param_groups[0]
        beta1, beta2 = group["betas"]
        steps[0].add_(1)  # the one counter every entry of ``steps`` is
        torch._fused_adam_(
            params, grads, exp_avgs, exp_avg_sqs, [], steps,
            amsgrad=False, lr=group["lr"], beta1=beta1, beta2=beta2,
            weight_decay=0.0, eps=group["eps"], maximize=False,
            grad_scale=None, found_inf=None,
        )  # fmt: skip
        return None

    def _plan(self) -> tuple | None:
        """Lists for the fused kernel and one shared step counter, or None when not plain."""
        if not hasattr(torch, "_fused_adam_") or len(self.param_groups) != 1:
            return None
        group = self.param_groups[0]
        params = list(group["params"])
        states = [self.state.get(p, {}) for p in params]
        plain = not (
            group["amsgrad"]
            or group["weight_decay"]
            or group["maximize"]
            or group.get("differentiable")
            or group.get("capturable")
        )
        same_kind = len({(p.device, p.dtype) for p in params}) == 1
        if not (plain and same_kind) or any("step" not in s for s in states):
            return None
        counter = states[0]["step"]
        if any(not torch.equal(s["step"], counter) for s in states):
            return None
        for s in states:
            s["step"] = counter
        return (
            params,
            [s["exp_avg"] for s in states],
            [s["exp_avg_sq"] for s in states],
            [counter] * len(params),
        )

    def _unshare_steps(self) -> None:
        """Give every parameter its own step tensor again (torch's step adds 1 to each)."""
        if self._lean is not None:
            for state in self.state.values():
                state["step"] = state["step"].clone()
            self._lean = None

    def state_dict(self) -> dict:
        state_dict = super().state_dict()
        if self._lean is not None:  # a copy of the shared counter per parameter
            state_dict["state"] = {
                key: {**value, "step": value["step"].clone()}
                for key, value in state_dict["state"].items()
            }
        return state_dict

    def load_state_dict(self, state_dict: dict) -> None:
        self._lean = None
        self._lean_failed = False
        super().load_state_dict(state_dict)
        for param, state in self.state.items():
            if "step" in state:  # never share the caller's tensors
                state["step"] = state["step"].clone()
            for key, value in state.items():
                if _other_layout(value, param):
                    state[key] = torch.empty_like(param, dtype=value.dtype).copy_(value)


def _other_layout(value, param: torch.Tensor) -> bool:
    """Whether ``value`` is a state tensor of ``param``'s shape laid out in other strides.

    The fused kernel walks a parameter, its gradient and its moments in memory order,
    so a moment saved in another layout (say, NCHW, for a ``channels_last`` weight: a
    state from another device or an earlier version) would pair the wrong elements.
    """
    return (
        torch.is_tensor(value) and value.shape == param.shape and value.stride() != param.stride()
    )
