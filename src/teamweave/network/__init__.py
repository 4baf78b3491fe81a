"""The connection map: persists and serves what analytics computes."""
