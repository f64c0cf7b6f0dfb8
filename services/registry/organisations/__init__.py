"""Organisations: local institutions and partner organisations, and their representatives' accounts."""
