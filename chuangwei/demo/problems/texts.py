"""Word lists and mixes of the demo ledger: categories, sources, descriptions, notes.

Demo content, in Chinese like the data a real office enters; not user-interface text.
"""

from __future__ import annotations

from chuangwei.problems.choices import ProblemSource as Src

# Category (by name, as shipped in standards/data/categories.json) and its share: the
# street-level 市容 problems dominate real ledgers.
CATEGORY_MIX: tuple[tuple[str, float], ...] = (
    ("暴露垃圾", 16),
    ("乱堆杂物", 12),
    ("非法小广告", 11),
    ("占道经营", 10),
    ("道路不洁", 9),
    ("店外经营", 5),
    ("非机动车乱停放", 4),
    ("垃圾站(箱)满溢", 4),
    ("积存垃圾渣土", 3),
    ("公共厕所异常", 3),
    ("露天烧烤", 2),
    ("绿地脏乱", 2),
    ("机动车乱停放", 2),
    ("施工物料乱堆放", 2),
    ("工地扬尘", 1.5),
    ("农贸市场环境脏乱", 2),
    ("后厨脏乱", 2),
    ("三防设施缺失", 1.5),
    ("从业人员无健康证", 1),
    ("控烟标识缺失", 1),
    ("室内吸烟", 1),
    ("鼠迹", 1),
    ("蚊蝇孳生地", 1),
    ("违规户外广告", 1),
    ("道路破损", 1),
)

# Mostly grid patrols, then the public, city supervision and mock covert inspections.
SOURCE_MIX: tuple[tuple[str, float], ...] = (
    (Src.GRID_PATROL, 46),
    (Src.CITIZEN, 12),
    (Src.CITY_SUPERVISION, 12),
    (Src.MOCK_COVERT, 7),
    (Src.HOTLINE, 6),
    (Src.DEPARTMENT_CHECK, 5),
    (Src.SUPERVISOR, 4),
    (Src.PROVINCIAL_COVERT, 2.5),
    (Src.LEADER, 2),
    (Src.MEDIA, 1),
    (Src.NATIONAL_COVERT, 1),
)

# Categories found at a kind of site (site type codes of demo/plan.py).
SITE_CATEGORIES: dict[str, tuple[str, ...]] = {
    "公共厕所异常": ("public_toilet",),
    "农贸市场环境脏乱": ("market",),
    "后厨脏乱": ("small_eatery", "food_workshop"),
    "三防设施缺失": ("small_eatery", "food_workshop", "grocery"),
    "从业人员无健康证": ("small_eatery", "small_salon", "small_hotel", "small_bathhouse"),
    "控烟标识缺失": ("internet_cafe", "small_hotel", "small_ktv", "hospital", "institution"),
    "室内吸烟": ("internet_cafe", "small_ktv", "small_eatery"),
    "鼠迹": ("small_eatery", "market", "grocery"),
    "施工物料乱堆放": ("construction_site",),
    "工地扬尘": ("construction_site",),
    "垃圾站(箱)满溢": ("transfer_station",),
}
# Street problems happen at these sites four times in ten, elsewhere on the street otherwise.
STREET_SITE_TYPES = ("back_lane", "main_road", "urban_village", "old_estate", "market")

DESCRIPTIONS: dict[str, tuple[str, ...]] = {
    "暴露垃圾": (
        "{place}路边有暴露垃圾约{n}袋，未及时清运",
        "{place}绿化带内有生活垃圾堆积",
        "{place}垃圾桶周边散落垃圾，有异味",
    ),
    "乱堆杂物": (
        "{place}沿街商户门前乱堆杂物",
        "{place}楼道口堆放废旧家具{n}件",
        "{place}人行道上堆放纸箱等杂物",
    ),
    "非法小广告": (
        "{place}电线杆上张贴非法小广告{n}处",
        "{place}墙面喷涂办证类小广告",
        "{place}公交站牌粘贴小广告",
    ),
    "占道经营": (
        "{place}流动摊贩占道经营，影响通行",
        "{place}水果摊占用人行道经营",
        "{place}早市摊点越线占道",
    ),
    "道路不洁": (
        "{place}路面有油污、泥土，清扫不及时",
        "{place}道路两侧积尘较多",
        "{place}路面散落垃圾未清扫",
    ),
    "店外经营": ("{place}餐馆在店外摆放桌椅经营", "{place}商户将货物摆放至店外"),
    "非机动车乱停放": ("{place}电动车、自行车乱停乱放", "{place}共享单车堆放占用盲道"),
    "垃圾站(箱)满溢": ("{place}垃圾满溢未及时清运", "{place}垃圾箱周边污水横流"),
    "公共厕所异常": ("{place}地面湿滑有异味，保洁不到位", "{place}洗手设施损坏，缺少洗手液"),
    "露天烧烤": ("{place}夜间露天烧烤，油烟扰民",),
    "农贸市场环境脏乱": ("{place}地面积水、垃圾未及时清理", "{place}活禽区卫生状况差"),
    "后厨脏乱": ("{place}后厨地面油污，生熟不分", "{place}后厨餐具消毒不规范"),
    "三防设施缺失": ("{place}未设置防蝇门帘和防鼠挡板", "{place}操作间纱窗破损"),
    "从业人员无健康证": ("{place}{n}名从业人员未持有效健康证明",),
    "控烟标识缺失": ("{place}未张贴禁烟标识", "{place}室内禁烟标识缺失、无监督电话"),
    "室内吸烟": ("{place}室内有人吸烟，无人劝阻", "{place}室内发现烟头、烟灰缸"),
    "鼠迹": ("{place}发现鼠粪、鼠咬痕迹", "{place}库房发现鼠洞"),
    "施工物料乱堆放": ("{place}施工物料堆放在围挡外",),
    "工地扬尘": ("{place}裸土未覆盖，车辆出入未冲洗", "{place}施工扬尘较大，未采取降尘措施"),
}
GENERIC_DESCRIPTIONS = ("{place}发现{category}问题，请尽快处置", "{place}存在{category}情况")

SUBMIT_NOTES = (
    "已安排人员清理完毕",
    "已整改到位，附整改后照片",
    "已清理并安排专人巡查",
    "已约谈经营户，现场整改完毕",
    "已联系责任单位，整改完成",
)
VOID_REASONS = (
    "经核实不属实",
    "不属于创卫问题范围",
    "现场已无此问题",
    "上报位置有误，已通知重新上报",
)
FAIL_REASONS = (
    "现场仍有垃圾残留，整改不彻底",
    "整改后照片与现场不符",
    "占道现象反弹，需长效管理",
    "清理不彻底，周边仍有杂物",
)
PAUSE_REASONS = (
    "需协调产权单位，待市政工程实施",
    "涉及拆迁范围，待统一整治",
    "需专项资金，已列入改造计划",
)
EXTENSION_REASONS = (
    "需协调多个部门联合处置",
    "清运车辆检修，申请延期",
    "涉及产权纠纷，需进一步协调",
)
MEDIA_OUTLETS = ("枣庄日报", "枣庄电视台《问政》", "枣庄晚报")
