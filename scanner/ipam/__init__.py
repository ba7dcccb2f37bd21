"""The scan's IP records: the allocation table or NetBox, read before the scan (see scanner.ipam.source)."""
