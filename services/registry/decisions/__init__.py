"""Decisions: issued by the council and committees, relayed to the districts, acknowledged and carried out."""
