"""Placeholder replaced by the photo-evidence module (being written)."""
