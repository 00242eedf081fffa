"""simqa: answers questions about SIM with verbatim, attributed quotes from five documents."""

__version__ = "0.1.0"

