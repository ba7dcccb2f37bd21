"""Simulated network devices over real SSH, serving saved snapshots (``netcomply lab serve``).

Each host of a snapshot folder becomes an SSH server on 127.0.0.1 with its platform's
prompt, echo, paging commands and refusal text, so the live collectors are tested
against real sockets, real key exchange and real timing, faults included.
"""

from scanner.lab.devices import LabDevice, LabError, load_devices
from scanner.lab.faults import Fault, FaultError, FaultKind, parse_fault
from scanner.lab.inventory import KNOWN_HOSTS_FILE, write_lab_inventory
from scanner.lab.server import LAB_PASSWORD, LAB_USERNAME, Lab

__all__ = [
    "KNOWN_HOSTS_FILE",
    "LAB_PASSWORD",
    "LAB_USERNAME",
    "Fault",
    "FaultError",
    "FaultKind",
    "Lab",
    "LabDevice",
    "LabError",
    "load_devices",
    "parse_fault",
    "write_lab_inventory",
]
