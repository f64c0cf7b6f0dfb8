"""What every service's HTTP side shares: database connections per request (pages come here too)."""
