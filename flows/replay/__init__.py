"""The offline replica of the outlets (loopback servers) and the demo that polls it."""
