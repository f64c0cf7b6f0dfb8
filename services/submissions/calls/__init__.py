"""Editions and their calls: set up, opened and closed by city-wide staff, the council's decisions and the clock."""
