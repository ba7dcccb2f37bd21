"""netcomply: a compliance scanner for network devices and Linux hosts."""

__version__ = "0.1.0"
