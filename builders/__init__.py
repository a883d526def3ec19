"""xianbao's builders: read seed pages, parse, enrich, validate and write releases."""

__version__ = "0.1.0"
