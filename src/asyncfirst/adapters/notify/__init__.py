"""Transports that send notifications: webhooks over HTTP (httpx), email over SMTP."""
