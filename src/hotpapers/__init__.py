"""hotpapers: a daily "Hot Papers" digest of the arXiv papers people posted about."""

__version__ = "0.1.0"
