"""asyncfirst: async-first work across time zones."""

__version__ = "0.1.0"
