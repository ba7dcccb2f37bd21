"""Structured sources of a snapshot (JSON beside the CLI outputs) and their readers.

:mod:`.registry` holds the readers by file name; each reader module registers its own
when imported here, so :func:`read_sources` knows them all.
"""

from scanner.platforms._sources import snmp as _snmp  # noqa: F401  (registers the SNMP readers)
from scanner.platforms._sources.registry import SourceError, read_sources, registered_sources, source_reader

__all__ = ["SourceError", "read_sources", "registered_sources", "source_reader"]
