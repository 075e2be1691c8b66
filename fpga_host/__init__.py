"Host runtime for mxlib's MX datapath: one device interface, csim and AWS F2 back ends, the adaptive controller."
from .device import MXDevice, ReferenceDevice, open_device
from .controller import AdaptiveController

__all__ = ['MXDevice', 'ReferenceDevice', 'open_device', 'AdaptiveController']
