"""What a user may see: the union of the org subtrees of their memberships."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Q

from .choices import CITY_WIDE_ROLES, CONFIG_ROLES, Role


@dataclass(frozen=True)
class Scope:
    """A user's rights, resolved once per request from their memberships."""

    roles: frozenset[str] = frozenset()
    unit_paths: tuple[str, ...] = ()
    unit_ids: tuple[int, ...] = ()
    is_superuser: bool = False
    roles_by_unit: dict[int, frozenset[str]] = field(default_factory=dict)
    _subtree: list[tuple[int, ...]] = field(default_factory=list, compare=False, repr=False)

    @property
    def everything(self) -> bool:
        return self.is_superuser or bool(self.roles & CITY_WIDE_ROLES) or "/" in self.unit_paths

    @property
    def manages_config(self) -> bool:
        return self.is_superuser or bool(self.roles & CONFIG_ROLES)

    def has_role(self, *roles: str) -> bool:
        return self.is_superuser and Role.ADMIN in roles or bool(self.roles & set(roles))

    def q(self, field: str) -> Q:
        """Rows whose unit (reached through ``field``) lies in one of the subtrees."""
        if self.everything:
            return Q()
        if not self.unit_paths:
            return Q(pk__in=[])
        prefix = f"{field}__" if field else ""
        return reduce(or_, (Q(**{f"{prefix}path__startswith": p}) for p in self.unit_paths))

    def subtree_ids(self) -> tuple[int, ...]:
        """Ids of every unit in the subtrees, read once per scope (one query).

        ``unit_id IN (…ids)`` lets the database use the foreign-key indexes of a big table
        (and OR them), where ``unit.path LIKE '/1/2/%'`` has to join every row first: a
        street's open problems at 1M rows, 268 ms → 55 ms on PostgreSQL."""
        if not self._subtree:
            from chuangwei.org.models import OrgUnit

            ids = (
                OrgUnit.objects.filter(self.q("")).values_list("pk", flat=True)
                if self.unit_paths
                else []
            )
            self._subtree.append(tuple(sorted(ids)))
        return self._subtree[0]

    def covers_path(self, path: str) -> bool:
        return self.everything or any(path.startswith(p) for p in self.unit_paths)


def minimal_paths(paths: list[str]) -> tuple[str, ...]:
    """Drop paths already covered by an ancestor path, so queries stay short."""
    kept: list[str] = []
    for path in sorted(set(paths), key=len):
        if not any(path.startswith(k) for k in kept):
            kept.append(path)
    return tuple(kept)
