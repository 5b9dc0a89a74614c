"""Webhook delivery: signing requests, checking where they go, rendering payloads, and the
dispatcher that sends them (docs/webhooks.md)."""
