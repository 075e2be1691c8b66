"The adaptive controller: per RLHF phase, set the device mode and route the chosen Linear layers through the device."
import torch
from contextlib import contextmanager
from mxlib.formats import as_spec, quantize
from mxlib.fpga import datapath_problem, phase_layer_specs
from mxlib.qmodel import QuantizedModel

def device_linear(module, x, spec, device, cache):
    "y = x·Wᵀ + b of nn.Linear `module` on `device`: x and W quantized under `spec` along the input axis."
    rows = x.reshape(-1, x.shape[-1]).float()
    key = (module.weight.data_ptr(), module.weight._version, spec.name)
    if cache.get('key') != key: cache.update(key=key, weight=quantize(module.weight.detach().float(), spec))
    device.set_mode(spec)
    y = device.matmul(quantize(rows, spec), cache['weight'])
    if module.bias is not None: y = y + module.bias.detach().float()
    return y.reshape(*x.shape[:-1], y.shape[-1]).to(x.dtype)

def device_forward(device):
    "A `mxlib.qmodel` forward builder: an nn.Linear's matrix multiply on `device`, under its layer spec's weight spec."
    def build(module, layer_spec, weight_cache):
        packed_weight = {}  # the device keeps its weight in MX storage, not in qmodel's fake-quantized cache
        return lambda x: device_linear(module, x, layer_spec.weight, device, packed_weight)
    return build

class AdaptiveController:
    "Routes `model`'s nn.Linear layers chosen by `policy[phase]` ({layer glob: spec name}) through `device`."
    def __init__(self, model, device, policy):
        self.model, self.device, self.policy = model, device, policy
        self.quantized = QuantizedModel(model, forward=device_forward(device))  # mxlib.qmodel's routing and checks
        self.phase, self.routes = None, {}

    def linear_layers(self):
        "Names and modules of the model's nn.Linear layers."
        return {name: module for name, module in self.model.named_modules() if isinstance(module, torch.nn.Linear)}

    def set_phase(self, phase):
        "Route the layers `policy[phase]` selects through the device, restore the others; returns {layer: spec name}."
        self.detach()
        specs = phase_layer_specs(self.linear_layers(), self.policy, phase)
        chosen = {name: as_spec(spec) for name, spec in specs.items()}
        problems = {name: datapath_problem(spec) for name, spec in chosen.items() if datapath_problem(spec)}
        if problems: raise ValueError(f"phase {phase!r} maps layers to specs the device cannot run: {problems}")
        self.quantized.add_plan(phase, chosen)
        self.quantized.set_phase(phase)
        if chosen: self.device.set_mode(next(iter(chosen.values())))
        self.phase, self.routes = phase, {name: spec.name for name, spec in chosen.items()}
        return self.routes

    def detach(self):
        "Restore every routed layer's own forward."
        self.quantized.set_phase(None)
        self.phase, self.routes = None, {}

    @contextmanager
    def phase_scope(self, phase):
        "Run a block of code with `phase`'s routing, restoring the model afterwards."
        try: yield self.set_phase(phase)
        finally: self.detach()
