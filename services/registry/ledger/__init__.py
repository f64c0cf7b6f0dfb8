"""Ledger: the append-only, hash-chained archive of every event on the bus."""
