"Host runtime for mxlib's MX datapath: one device interface, a C-simulation and an AWS F2 back end, and the adaptive controller."
from .device import MXDevice, ReferenceDevice, open_device
from .controller import AdaptiveController

__all__ = ['MXDevice', 'ReferenceDevice', 'open_device', 'AdaptiveController']
