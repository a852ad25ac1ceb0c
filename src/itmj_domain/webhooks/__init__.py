"""Webhooks: subscriptions, signed payloads, deliveries and their retry policy (SPEC §7)."""
