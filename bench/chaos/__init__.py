"""A chaos soak: the four services under steady intake while the broker, PostgreSQL and the services themselves
fail on a schedule; afterwards every accepted work and decision is looked for in every service's state.

Run: `.venv/bin/python -m bench.chaos --profile short` (about 2 minutes) or `--profile long` (12 minutes);
`--help` lists the knobs. Modules: schedule and tally are pure (unit-tested in tests/bench/unit); load sends the
requests, faults injects and undoes faults, state reads the services' databases, soak runs it all."""
