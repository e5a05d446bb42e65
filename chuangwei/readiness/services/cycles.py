"""Readiness services: cycles (see the package docstring)."""

from __future__ import annotations
