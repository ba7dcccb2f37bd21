"""Access-list faults on each device: lists named but not defined, permit-everything lines, lines that never match."""
