"""Readers of the Linux host command set (one module per group of commands) and the command set itself."""
