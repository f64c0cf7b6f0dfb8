"""People: who they are and how to reach them, and their appointments to bodies."""
