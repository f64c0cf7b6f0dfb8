"""A work's documents: attached (checked on content), listed, downloaded and removed."""
