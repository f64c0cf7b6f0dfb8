"""Unit tests of the benches: their pure parts, no servers."""
