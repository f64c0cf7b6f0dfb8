"""Reports: the districts report up, the central secretariat compiles the city report; the monitoring table."""
