"""Solidaire's application shell: settings, database, tenancy, authentication, errors, web, CLI."""
