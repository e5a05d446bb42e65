"""What the demo city contains, decided before anything is saved: site types and sites.

Everything here is pure and deterministic for a seed (``random.Random`` seeded with a
string per concern, so changing the number of sites does not change the grids or the
people). ``generator`` turns the plan into rows.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import Any

from . import names
from .layout import BLOCKS, GridLayout, division_units, plan_grids, point_in_cell


@dataclass(frozen=True)
class SiteTypeSpec:
    """A site type of DESIGN.md §3.2, how common it is and who supervises it."""

    code: str
    name: str
    weight: int  # relative frequency among generated sites
    department: str  # code of the supervising department
    licence: str = ""  # kind of licence number businesses of this type carry
    business: bool = False  # a shop run by someone (contact, licence, may close)


SITE_TYPES: tuple[SiteTypeSpec, ...] = (
    SiteTypeSpec("market", "农贸市场", 14, "D-GS", "credit"),
    SiteTypeSpec("public_toilet", "公共厕所", 90, "D-CG"),
    SiteTypeSpec("small_eatery", "小餐饮", 300, "D-SYJ", "food", True),
    SiteTypeSpec("small_salon", "小美容美发", 70, "D-WJ", "hygiene", True),
    SiteTypeSpec("small_hotel", "小旅馆", 35, "D-WJ", "hygiene", True),
    SiteTypeSpec("small_ktv", "小歌舞厅", 18, "D-WJ", "hygiene", True),
    SiteTypeSpec("small_bathhouse", "小浴室", 18, "D-WJ", "hygiene", True),
    SiteTypeSpec("internet_cafe", "网吧", 25, "D-GA", "internet", True),
    SiteTypeSpec("school_area", "学校周边", 35, "D-JY"),
    SiteTypeSpec("hospital", "医院", 12, "D-WJ"),
    SiteTypeSpec("station", "车站", 8, "D-JT"),
    SiteTypeSpec("construction_site", "建筑工地", 25, "D-ZJ", "permit"),
    SiteTypeSpec("back_lane", "背街小巷", 70, "D-CG"),
    SiteTypeSpec("main_road", "主次干道", 35, "D-CG"),
    SiteTypeSpec("urban_village", "城中村", 15, "D-ZJ"),
    SiteTypeSpec("old_estate", "老旧小区", 55, "D-ZJ"),
    SiteTypeSpec("park_square", "公园广场", 18, "D-YL"),
    SiteTypeSpec("river", "河道", 8, "D-SL"),
    SiteTypeSpec("transfer_station", "垃圾转运站", 20, "D-CG"),
    SiteTypeSpec("institution", "机关企事业单位", 45, "D-WJ"),
    SiteTypeSpec("food_workshop", "小作坊", 20, "D-SYJ", "food", True),
    SiteTypeSpec("food_stall", "食品摊点", 30, "D-SYJ", "", True),
    SiteTypeSpec("grocery", "小食杂店", 60, "D-SYJ", "food", True),
    SiteTypeSpec("small_clinic", "小诊所", 20, "D-WJ", "clinic", True),
)

# Site-type groups. Their membership differs by city, so these are demo defaults the
# office edits in the UI: 四小 after the Xinyu 2023 campaign, 三小 after Shandong's
# regulation on 小作坊、小餐饮和食品摊点, 五小/六小/九小 as commonly used bundles.
SITE_TYPE_GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("sanxiao", "三小（食品）", ("food_workshop", "small_eatery", "food_stall")),
    ("sixiao", "四小", ("small_hotel", "small_salon", "small_ktv", "small_bathhouse")),
    (
        "wuxiao",
        "五小",
        ("small_eatery", "small_hotel", "small_salon", "small_ktv", "small_bathhouse"),
    ),
    (
        "liuxiao",
        "六小",
        (
            "small_eatery",
            "small_hotel",
            "small_salon",
            "small_ktv",
            "small_bathhouse",
            "internet_cafe",
        ),
    ),
    (
        "jiuxiao",
        "九小",
        (
            "small_eatery",
            "small_hotel",
            "small_salon",
            "small_ktv",
            "small_bathhouse",
            "internet_cafe",
            "food_workshop",
            "grocery",
            "small_clinic",
        ),
    ),
)

OUTSIDE_SHARE = 0.01  # sites deliberately placed just outside every grid
CLOSED_SHARE = 0.03
SUSPENDED_SHARE = 0.01


@dataclass(frozen=True)
class SitePlan:
    """A site to create. ``outside`` marks a point deliberately left outside every grid."""

    code: str
    name: str
    type_code: str
    district_code: str
    address: str
    lng: float
    lat: float
    outside: bool
    contact_name: str
    contact_phone: str
    licence_no: str
    status: str


@dataclass
class CityPlan:
    grids: GridLayout
    sites: list[SitePlan]


_DIGITS = "零一二三四五六七八九"
_CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def chinese_number(n: int) -> str:
    """1–99 in Chinese numerals (二, 十二, 二十)."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    head = "" if tens == 1 else _DIGITS[tens]
    return f"{head}十{_DIGITS[ones] if ones else ''}"


class _SiteNamer:
    """Names per type; a clash gets a branch (businesses) or an ordinal (public places)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()
        self.villages: dict[str, list[str]] = {}
        units = division_units()
        parents = {u["code"]: u["parent"] for u in units}
        for unit in units:
            if unit["kind"] == "village":
                district = parents[unit["parent"]]
                self.villages.setdefault(district, []).append(unit["name"])

    def name(self, spec: SiteTypeSpec, district: str, road: str) -> tuple[str, str]:
        """(name, address) for a site of ``spec`` on ``road`` in ``district``."""
        rng = self.rng
        dname = _district_label(district)
        number = rng.randrange(1, 399)
        address = f"{_district_name(district)}{road}{number}号"
        prefix, kind = self._parts(spec, district, dname, road)
        if spec.code in ("main_road", "back_lane", "river"):
            address = f"{_district_name(district)}{road}"
        if spec.business:
            candidates = [f"{prefix}{kind}", f"{prefix}{kind}（{road}店）"]
            candidates += [f"{prefix}{kind}（{road}{chinese_number(n)}店）" for n in range(2, 99)]
        else:
            candidates = [f"{prefix}{kind}", f"{road}{kind}"]
            candidates += [f"{prefix}第{chinese_number(n)}{kind}" for n in range(2, 99)]
        for candidate in candidates:
            if candidate not in self.used:
                self.used.add(candidate)
                return candidate, address
        raise AssertionError("ran out of names")  # pragma: no cover

    def _parts(self, spec: SiteTypeSpec, district: str, dname: str, road: str) -> tuple[str, str]:
        rng = self.rng
        brand = (
            rng.choice(names.BRANDS) if rng.random() < 0.75 else f"{rng.choice(names.SURNAMES)}记"
        )
        short_road = road[:-1] if road.endswith("路") and len(road) > 2 else road
        choices: dict[str, tuple[str, str]] = {
            "market": (road, "农贸市场"),
            "public_toilet": (road, "公厕"),
            "small_eatery": (brand, rng.choice(names.EATERY_KINDS)),
            "small_salon": (brand, rng.choice(names.SALON_KINDS)),
            "small_hotel": (brand, rng.choice(names.HOTEL_KINDS)),
            "small_ktv": (brand, rng.choice(names.KTV_KINDS)),
            "small_bathhouse": (brand, rng.choice(names.BATH_KINDS)),
            "internet_cafe": (brand, rng.choice(names.INTERNET_KINDS)),
            "school_area": (dname, f"{rng.choice(names.SCHOOLS)}周边"),
            "hospital": (dname, rng.choice(names.HOSPITALS)),
            "station": (dname, rng.choice(names.STATIONS)),
            "construction_site": (
                f"{rng.choice(names.BRANDS)}{rng.choice(names.PROJECTS)}",
                f"{rng.choice(names.PROJECT_PHASES)}项目工地",
            ),
            "back_lane": (
                f"{road}{rng.choice('东西南北')}{chinese_number(rng.randrange(1, 10))}",
                rng.choice(names.LANE_SUFFIXES),
            ),
            "main_road": (road, rng.choice(("", "东段", "西段", "南段", "北段", "中段"))),
            "urban_village": (rng.choice(self.villages.get(district) or [road]), "城中村"),
            "old_estate": (rng.choice(names.ESTATE_PREFIXES), rng.choice(names.ESTATE_SUFFIXES)),
            "park_square": (short_road, rng.choice(names.PARKS)),
            "river": (rng.choice(names.RIVERS), f"（{road}段）"),
            "transfer_station": (road, "垃圾转运站"),
            "institution": (dname, rng.choice(names.INSTITUTION_SUFFIXES)),
            "food_workshop": (brand, rng.choice(names.WORKSHOP_KINDS)),
            "food_stall": (f"{rng.choice(names.SURNAMES)}记", rng.choice(names.STALL_KINDS)),
            "grocery": (brand, rng.choice(names.GROCERY_KINDS)),
            "small_clinic": (
                f"{rng.choice(names.SURNAMES)}氏" if rng.random() < 0.4 else brand,
                rng.choice(names.CLINIC_KINDS),
            ),
        }
        return choices[spec.code]


@cache
def _units_by_code() -> dict[str, dict[str, Any]]:
    return {u["code"]: u for u in division_units()}


def _district_name(code: str) -> str:
    return str(_units_by_code()[code]["name"])


def _district_label(code: str) -> str:
    unit = _units_by_code()[code]
    return str(unit.get("short_name") or unit["name"])


def licence_number(kind: str, district: str, rng: random.Random) -> str:
    """A licence number in the usual format of its kind (invented digits)."""
    if kind == "food":  # 食品经营许可证: JY + category + area code + sequence + check digit
        return f"JY{rng.choice('123')}{district}{rng.randrange(10**6):06d}{rng.randrange(10)}"
    if kind == "hygiene":  # 公共场所卫生许可证
        return f"鲁卫公证字〔{rng.choice((2023, 2024, 2025))}〕第{district}{rng.randrange(10**5):05d}号"
    if kind == "internet":  # 网络文化经营许可证
        return f"鲁网文〔{rng.choice((2022, 2023, 2024, 2025))}〕{rng.randrange(10**4):04d}号"
    if kind == "clinic":  # 医疗机构执业许可证 登记号
        return f"PDY{rng.randrange(10**8):08d}{district}{rng.randrange(10**4):04d}"
    if kind == "credit":  # 统一社会信用代码
        tail = "".join(rng.choice(_CREDIT_CHARS) for _ in range(8))
        return f"92{district}MA{tail}"
    if kind == "permit":  # 建筑工程施工许可证
        return f"{district}2026{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}{rng.randrange(100):02d}01"
    return ""


def plan_sites(seed: int, count: int, layout: GridLayout) -> list[SitePlan]:
    """``count`` sites spread over the small grids, ~1% just outside every grid."""
    rng = random.Random(f"{seed}:sites")
    namer = _SiteNamer(random.Random(f"{seed}:site-names"))
    smalls = layout.by_level(3)
    weights = [rng.uniform(0.4, 1.6) for _ in smalls]
    block_of = {}
    for grid in smalls:
        block_of[grid.code] = BLOCKS[int(grid.code.split("-")[1][1:]) - 1].unit_code
    specs = list(SITE_TYPES)
    type_weights = [s.weight for s in specs]
    outside_count = max(1, round(count * OUTSIDE_SHARE))
    outside_at = set(rng.sample(range(count), outside_count))
    sites: list[SitePlan] = []
    for n in range(count):
        spec = rng.choices(specs, type_weights)[0]
        if n in outside_at:
            block = rng.choice(BLOCKS)
            district = block.unit_code
            edge_lng, edge_lat = layout.lattices[district].north_edge_point(rng.random())
            # 0.4–1.0 km north of the block: beyond every grid, still near the city.
            lng, lat = round(edge_lng, 7), round(edge_lat + rng.uniform(0.4, 1.0) / 110.574, 7)
        else:
            grid = rng.choices(smalls, weights)[0]
            district = block_of[grid.code]
            lng, lat = point_in_cell(grid.corners, rng.uniform(0.12, 0.88), rng.uniform(0.12, 0.88))
        road = rng.choice(names.ROADS[district])
        name, address = namer.name(spec, district, road)
        status = "operating"
        if spec.business:
            roll = rng.random()
            status = (
                "closed"
                if roll < CLOSED_SHARE
                else ("suspended" if roll < CLOSED_SHARE + SUSPENDED_SHARE else "operating")
            )
        sites.append(
            SitePlan(
                code=f"CS-{n + 1:06d}",
                name=name,
                type_code=spec.code,
                district_code=district,
                address=address,
                lng=lng,
                lat=lat,
                outside=n in outside_at,
                contact_name=names.person_name(rng),
                contact_phone=names.phone_number(rng),
                licence_no=licence_number(spec.licence, district, rng),
                status=status,
            )
        )
    return sites


def plan_city(seed: int = 2026, sites: int = 3200) -> CityPlan:
    """The whole plan for a seed: grids and sites. Pure; two calls give equal plans."""
    layout = plan_grids(seed)
    return CityPlan(grids=layout, sites=plan_sites(seed, sites, layout))


def type_counts(sites: list[SitePlan]) -> Counter[str]:
    return Counter(s.type_code for s in sites)
