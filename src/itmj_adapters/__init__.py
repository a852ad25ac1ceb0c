"""Adapters: implementations of the domain's ports, and the composition root that picks them."""
