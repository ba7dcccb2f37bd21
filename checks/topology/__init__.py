"""Network-wide checks on the topology discovered from CDP/LLDP neighbours (form 5.2.1, 5.2.2)."""
