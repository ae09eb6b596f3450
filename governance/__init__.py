"""The governance domains: the member register (members), general meetings and votes (meetings),
the user-partner program (partners)."""
