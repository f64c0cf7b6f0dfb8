"""Structure: the festival's bodies and neighbourhoods, from the declarative file and staff edits."""
