"""Dortmund KPI: indicators of the City of Dortmund's digital strategy (DOgital)."""

__version__ = "0.1.0"
