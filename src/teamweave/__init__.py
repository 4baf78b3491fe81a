"""teamweave: privacy-first measurement and strengthening of human connection in engineering teams."""

__version__ = "0.1.0"
