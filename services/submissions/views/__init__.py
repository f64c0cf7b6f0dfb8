"""Staff views of many works: a filtered, paged list and a CSV export, each limited to what the caller may see."""
