"""Alert delivery: the outbox relay through apprise, the digest, and the messages an analyst reads."""
