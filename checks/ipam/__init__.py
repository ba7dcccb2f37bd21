"""Network-wide checks of IP address management (form 5.2.4): the network against its IP records."""
