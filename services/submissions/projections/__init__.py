"""Registry's neighbourhoods and organisations as submissions mirrors them from registry's events."""
