"""opigen: declarative YAML API specs in, typed clients, an OPI-style CLI and Markdown docs out."""

__version__ = "0.1.0"
