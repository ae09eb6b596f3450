"""What the tenants package serves: its JSON API and its pages."""

from tenants import controllers, pages

ROUTES = [*controllers.ROUTES, *pages.ROUTES]
