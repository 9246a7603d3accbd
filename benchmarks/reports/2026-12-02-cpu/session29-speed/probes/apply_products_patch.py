"""Re-apply the twenty-ninth session's training experiment (not kept): the MLP trainer's
matrix products through oneDNN (unpacked weights) where a weight is at least 128 wide.

Run from the repository root on a scratch checkout: python <this file>; then ab.py
alternates 300-iteration warm-started fits with the flag off and on.
"""

from pathlib import Path

LINEAR = Path("skclustergan/_linear.py")
TRAINER = Path("skclustergan/_mlp_trainer.py")

PRODUCTS = '''

ONEDNN_MIN_WIDTH = 128


class Products:
    """forward x @ W.T + b, input_grad grad @ W, weight_grad out (+)= grad.T @ x."""

    def __init__(self, onednn: bool) -> None:
        self.onednn = onednn

    def _wide(self, weight):
        return self.onednn and min(weight.shape) >= ONEDNN_MIN_WIDTH

    def forward(self, x, weight, bias):
        if self._wide(weight):
            return torch.ops.mkldnn._linear_pointwise(x, weight, bias, "none", [], "")
        return x @ weight.t() if bias is None else torch.addmm(bias, x, weight.t())

    def input_grad(self, grad, weight):
        if self._wide(weight):
            return torch.ops.mkldnn._linear_pointwise(grad, weight.t(), None, "none", [], "")
        return grad @ weight

    def weight_grad(self, grad, x, out, accumulate=False):
        if self._wide(out) and grad.shape[0] >= ONEDNN_MIN_WIDTH:
            product = torch.ops.mkldnn._linear_pointwise(grad.t(), x.t(), None, "none", [], "")
            out.add_(product) if accumulate else out.copy_(product)
        elif accumulate:
            out.addmm_(grad.t(), x)
        else:
            torch.mm(grad.t(), x, out=out)
'''

REPLACEMENTS = [
    ("    @staticmethod\n    def _forward(blocks, x",
     "    def _forward(self, blocks, x"),
    ("h = torch.addmm(block.linear.bias, x, block.linear.weight.t())",
     "h = self.products.forward(x, block.linear.weight, block.linear.bias)"),
    ("return torch.addmm(last.bias, x, last.weight.t()), inputs, pre",
     "return self.products.forward(x, last.weight, last.bias), inputs, pre"),
    ("    @staticmethod\n    def _backward(blocks, grad",
     "    def _backward(self, blocks, grad"),
    ("torch.mm(grad.t(), inputs[i], out=_grad_buffer(linear.weight))",
     "self.products.weight_grad(grad, inputs[i], _grad_buffer(linear.weight))"),
    ("grad = grad @ linear.weight\n",
     "grad = self.products.input_grad(grad, linear.weight)\n"),
    ("grad = grad @ blocks[i].linear.weight\n",
     "grad = self.products.input_grad(grad, blocks[i].linear.weight)\n"),
    ("weight.grad.addmm_(chain[i].t(), d_grad)",
     "self.products.weight_grad(chain[i], d_grad, weight.grad, accumulate=True)"),
    ("_leaky_relu_backward(d_grad @ weight.t(),",
     "_leaky_relu_backward(self.products.forward(d_grad, weight, None),"),
    ("        self._weights = _LossWeights.of(self.config, dtype, self.device)\n",
     "        self._weights = _LossWeights.of(self.config, dtype, self.device)\n"
     "        onednn = not compile and dtype == torch.float32 and self.device.type == 'cpu'\n"
     "        self.products = Products(onednn and onednn_is_faster())\n"),
    ("from ._linear import PackedLinear, onednn_is_faster",
     "from ._linear import PackedLinear, Products, onednn_is_faster"),
]

LINEAR.write_text(LINEAR.read_text() + PRODUCTS)
text = TRAINER.read_text()
for old, new in REPLACEMENTS:
    assert old in text, old
    text = text.replace(old, new)
TRAINER.write_text(text)
print("patched", TRAINER, LINEAR)
