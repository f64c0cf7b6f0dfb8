"""Evaluation's use cases: one function per state change, called by routes and consumers alike, each working in
the one transaction (connection) it is given: load, decide with the domain, store, write its events."""
