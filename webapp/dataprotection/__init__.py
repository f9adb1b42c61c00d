"""Data protection: closing families, retention, erasure of a member's data, and "my data" downloads."""
