"""Plumbing that tests and benchmarks share: test hosts in namespaces, generated networks, SNMP taps.

Never imported by the product (an import-linter contract says so) and not shipped in the wheel.
"""
