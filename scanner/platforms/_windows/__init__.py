"""Windows hosts: the snapshot files (sources.py), the PowerShell that writes them (script.py), their readers."""
