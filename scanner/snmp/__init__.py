"""SNMP: the live probe for weak and default communities, and walks of standard MIBs.

The probe (:mod:`scanner.snmp.probe`) tries a dictionary of communities against each
host's agent, at most ``rate_per_host`` requests a second per agent, and records which
answered (masked) and whether one allowed a write. The walks (:mod:`scanner.snmp.walks`)
read the system group, ENTITY-MIB power supplies with their status, and LLDP-MIB
neighbours with the inventory's credential. Both are saved as JSON files in the host's
snapshot folder (:mod:`scanner.snmpfiles`) and read into facts by
:mod:`scanner.platforms._sources.snmp`, whatever the platform, so they replay offline.
"""
