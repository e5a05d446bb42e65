"""Keeping materialised paths right. Called by services, never by views."""

from __future__ import annotations

from typing import TypeVar

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _

from chuangwei.core.errors import InvalidInput
from chuangwei.core.models import TreeModel

NodeT = TypeVar("NodeT", bound=TreeModel)


def save_node(node: NodeT) -> NodeT:
    """Insert or update ``node`` and keep its path, depth and its subtree's paths right.

    Raises InvalidInput (code ``tree_cycle``) when the new parent is the node itself or
    one of its descendants.
    """
    manager = type(node)._default_manager
    parent = node.parent
    with transaction.atomic():
        old_path = ""
        if node.pk:
            old_path = manager.filter(pk=node.pk).values_list("path", flat=True).first() or ""
            if parent is not None and old_path and parent.path.startswith(old_path):
                raise InvalidInput(
                    _("A node cannot be moved under itself or its descendants."),
                    code="tree_cycle",
                    fields={"parent": [_("Choose a parent outside this branch.")]},
                )
        else:
            node.path = ""
            node.save()
        parent_path = parent.path if parent is not None else "/"
        node.path = f"{parent_path}{node.pk}/"
        node.depth = node.path.count("/") - 2
        node.save()
        if old_path and old_path != node.path:
            # Rewrite descendants' prefixes in one statement.
            manager.filter(path__startswith=old_path).exclude(pk=node.pk).update(
                path=Concat(Value(node.path), Substr(F("path"), len(old_path) + 1)),
                depth=F("depth") + (node.depth - old_path.count("/") + 2),
            )
    return node
