"""Oversight for team managers: the team at a glance, and the audit log."""
