"""Neighbourhood festival offices: each district's secretary prepares their own district's offices for an edition."""
