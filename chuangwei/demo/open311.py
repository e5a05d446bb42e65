"""Open311 in the demo city: one client application with a documented key, the default
service attributes, and a handful of service requests that arrived through
``POST requests`` (made with the same service the endpoint uses)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from chuangwei.open311 import services
from chuangwei.open311.models import Open311Client
from chuangwei.open311.selectors import public_categories
from chuangwei.places.models import Site

# Printed by `manage.py demo` and documented in docs/open311.md. Demo only.
DEMO_KEY = "o311_demo-zaozhuang-2026"
DEMO_CLIENT = "创卫随手拍（演示应用）"
TEXTS = [
    "路边绿化带里有一堆生活垃圾，已经好几天没人清理。",
    "小区门口的垃圾桶满了，垃圾散落一地。",
    "人行道上有大片油污，走路很滑。",
    "墙上贴满了小广告，很影响市容。",
    "店门口乱摆摊，占了半条人行道。",
    "公厕里没有纸也没有洗手液，气味很大。",
    "路边积水发臭，蚊子很多。",
    "工地出口的车把泥带到了马路上。",
]
ATTRIBUTE_CHOICES = {
    "duration": ["today", "days", "week", "longer"],
    "scale": ["small", "medium", "large"],
    "recurring": ["yes", "no", "unknown"],
}


def build_demo_open311(*, seed: int, count: int = 8, now: datetime | None = None) -> int:
    """Create the demo client (if missing), default attributes and ``count`` requests."""
    now = now or timezone.now()
    rng = random.Random(seed * 311)
    client = Open311Client.objects.filter(name=DEMO_CLIENT).first()
    if client is None:
        client, _key = services.create_client(
            Open311Client(
                name=DEMO_CLIENT,
                contact="演示：市创卫办信息科 0632-0000000",
                rate_limit=60,
                note="演示数据；API key 见 docs/open311.md。",
            ),
            by=None,
            key=DEMO_KEY,
            now=now,
        )
    services.create_default_attributes(by=None)
    categories = list(public_categories())
    sites = list(
        Site.objects.filter(grid__isnull=False)
        .order_by("pk")
        .values_list("lng", "lat", "name")[:400]
    )
    if not categories or not sites:
        return 0
    made = 0
    for index in range(count):
        lng, lat, name = rng.choice(sites)
        attributes: dict[str, Any] = {
            code: rng.choice(values) for code, values in ATTRIBUTE_CHOICES.items()
        }
        data = services.ServiceRequestInput(
            service_code=rng.choice(categories).code,
            lat=str(lat),
            long=str(lng),
            address_string=f"{name}附近",
            description=rng.choice(TEXTS),
            email=f"resident{index + 1}@example.cn",
            first_name="市民",
            phone=f"1380000{rng.randrange(10000):04d}",
            device_id=f"demo-device-{index % 3 + 1}",
            attributes=attributes,
        )
        at = now - timedelta(days=rng.uniform(0.2, 20))
        services.submit_request(data, client=client, remote_addr="127.0.0.1", now=at)
        made += 1
    return made
