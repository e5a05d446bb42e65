"""Typed access to environment variables.

Every variable read here must also appear in ``.env.example`` (a test enforces it).
A secret ``NAME`` may instead be given as a path in ``NAME_FILE``.
"""

from __future__ import annotations

import os
from pathlib import Path

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class EnvError(ValueError):
    """A variable is missing or malformed."""


def _raw(name: str) -> str | None:
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text(encoding="utf-8").strip()
    return os.environ.get(name)


def env_str(name: str, default: str | None = None) -> str:
    value = _raw(name)
    if value is None or value == "":
        if default is None:
            raise EnvError(f"environment variable {name} is required")
        return default
    return value


def env_bool(name: str, default: bool = False) -> bool:
    value = _raw(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise EnvError(f"environment variable {name} must be a boolean, got {value!r}")


def env_int(name: str, default: int) -> int:
    value = _raw(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise EnvError(f"environment variable {name} must be an integer, got {value!r}") from exc


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = _raw(name)
    if value is None or value.strip() == "":
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def bbox_setting(name: str, values: list[str]) -> tuple[float, float, float, float] | None:
    """``min_lng,min_lat,max_lng,max_lat`` (WGS-84) from an ``env_list`` value; None if empty.

    Raises EnvError unless there are four numbers in range with min < max.
    """
    if not values:
        return None
    try:
        numbers = tuple(float(v) for v in values)
    except ValueError:
        numbers = ()
    if len(numbers) == 4:
        min_lng, min_lat, max_lng, max_lat = numbers
        if -180 <= min_lng < max_lng <= 180 and -90 <= min_lat < max_lat <= 90:
            return min_lng, min_lat, max_lng, max_lat
    raise EnvError(
        f"environment variable {name} must be min_lng,min_lat,max_lng,max_lat in WGS-84 "
        f"degrees with each min below its max, got {','.join(values)!r}"
    )
