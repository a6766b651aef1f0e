"""Listens to the needs and offers signals and queues matching work on transaction commit."""
