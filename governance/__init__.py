"""General meetings, votes, committees and the partner program (issues 3 and 5)."""
