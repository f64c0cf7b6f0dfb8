"""Identity: accounts, sign-in and the keys that sign tokens."""
