"""Real export formats in, metadata-only interaction events out."""
