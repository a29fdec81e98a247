"""Permit paths: step templates, the working-day calendar, the path summary an opportunity shows."""
