"""Access control between the declared zones (form 5.2.2): what each routing device lets cross from zone to zone."""
