"""EHCP quality-assurance audit tool."""

__version__ = "0.1.0"
