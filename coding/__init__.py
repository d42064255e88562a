"""qcode: a toolkit for coding qualitative interviews (library; no Streamlit here)."""

__version__ = "0.1.0"
