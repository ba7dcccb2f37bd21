"""The IP address model: configured addresses, ARP tables and the IP records, reconciled (form 5.2.4)."""
