"""The composition root: builds the application (`app.py`) and the command line (`cli.py`) from
the plumbing (`backend/`) and the domains (`backend/domains.py` lists them)."""
