"""The public status lookup by tracking code and the submitter's mobile number."""
