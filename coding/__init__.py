"""qcode: a toolkit for coding qualitative interviews (library; no Streamlit here)."""

__version__ = "0.1.0"

from .errors import QcodeError  # noqa: E402
from .project import Project  # noqa: E402

__all__ = ["Project", "QcodeError", "__version__"]
