"""Tests of the benches under bench/."""
