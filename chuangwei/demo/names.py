"""Word lists the demo city draws names from. Invented data, pure Python, no models.

Road names are the demo's own mix of real-sounding 枣庄 roads (several, such as 光明大道,
文化路 or 君山路, exist); shop brands, people and phone numbers are invented.
"""

from __future__ import annotations

import random


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁"
    "魏薛叶阎褚颜孔邵史侯田杜秦任姜崔龚庞孟闫"
)
# The most common surnames are drawn more often, as they are in Shandong.
COMMON_SURNAMES = "王李张刘陈杨孙赵"
GIVEN_CHARS = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国志鹏飞云海峰红梅波宁宇浩然欣怡"
    "子涵晨阳佳琪文博立新春燕庆丰金凤振宇德胜广利学成长青翠兰玉珍东升晓光润泽家豪嘉怡思远"
)
PHONE_PREFIXES = _words(
    "138 139 137 135 136 150 151 152 158 159 186 187 188 133 153 180 189 177 199"
)

# Roads per district/zone code, used in addresses and in the names of markets and toilets.
ROADS: dict[str, tuple[str, ...]] = {
    "370402": _words(
        "文化路 光明路 龙山路 中心街 君山路 建华路 青檀路 振兴路 龙头路 解放路 "
        "西昌路 鑫昌路 枣庄路 华山路 嵩山路 立新路 人民路 税郭路"
    ),
    "370403": _words(
        "临山路 黄河路 珠江路 燕山路 泰山路 武夷山路 常庄路 兴仁路 长江路 "
        "沙河路 临城路 新城路 铁道路 德仁路 奚仲路"
    ),
    "370471": _words(
        "光明大道 复元一路 复元二路 复元三路 长白山路 祁连山路 兴城路 张范路 "
        "互联网小镇路 锦水路 凤鸣路 蟠龙河路"
    ),
    "370404": _words("坛山路 承水路 榴园路 峨山路 吴林路 古邵路 青檀北路 匡衡路 仙坛路 牌坊街"),
    "370405": _words("运河大道 华兴路 金光路 箭道街 兰祺路 长安路 古城路 文化路"),
    "370406": _words("府前路 东山路 翼云路 新城路 山城路"),
}
LANE_SUFFIXES = _words("巷 胡同 里 小区后巷")
BRANDS = _words(
    "好运来 吉祥 福满楼 鑫源 金鼎 聚福 如意 兴隆 顺发 宏达 阳光 一品 老街 四季 百味 "
    "红星 幸福 和顺 美佳 金色年华 万家 老地方 喜来乐 富贵 天天 佳佳 正宗 乐享 大众 "
    "快乐 新时代 盛世 悦来 友谊 平安 君山 青檀 运河 榴园 龙山 凤凰 金桥 康乐 福泰 "
    "东方"
)
EATERY_KINDS = _words(
    "小吃店 面馆 饺子馆 烧烤 快餐店 菜馆 辣子鸡店 羊肉汤馆 菜煎饼 包子铺 米线店 "
    "麻辣烫 火锅店 粥铺 凉皮店 卤味店 土菜馆 炒鸡店"
)
SALON_KINDS = _words("理发店 美发店 美容院 美发沙龙 美甲店 造型工作室")
HOTEL_KINDS = _words("宾馆 旅馆 快捷酒店 招待所 商务宾馆 旅社")
KTV_KINDS = _words("KTV 歌舞厅 量贩KTV 音乐会所")
BATH_KINDS = _words("浴池 洗浴中心 澡堂 汗蒸馆")
INTERNET_KINDS = _words("网吧 网咖 电竞馆")
WORKSHOP_KINDS = _words("豆制品作坊 馒头坊 煎饼坊 糕点作坊 面条加工坊 香油坊")
STALL_KINDS = _words("水果摊 煎饼摊 早点摊 烧饼摊 熟食摊 炸串摊")
GROCERY_KINDS = _words("便利店 超市 食杂店 副食店 粮油店")
CLINIC_KINDS = _words("诊所 中医诊所 口腔诊所 卫生室")
SCHOOLS = _words(
    "实验小学 第一中学 第二中学 第三中学 第八中学 第十五中学 育才小学 光明小学 "
    "立新小学 文化路小学 逸夫小学 实验幼儿园 职业中专 第二实验小学"
)
HOSPITALS = _words(
    "人民医院 中医医院 妇幼保健院 社区卫生服务中心 口腔医院 精神卫生中心 矿务局医院 骨科医院"
)
STATIONS = _words("汽车站 公交首末站 长途汽车站 公交枢纽站 火车站站前广场")
ESTATE_PREFIXES = _words(
    "矿务局 纺织厂 电厂 机厂 供销社 粮食局 水泥厂 铁路 化肥厂 一棉 教育局 邮电局 自来水公司 机械厂"
)
ESTATE_SUFFIXES = _words("宿舍 小区 家属院 生活区 新村")
PARKS = _words("公园 广场 游园 湿地公园 体育公园 街心公园")
RIVERS = _words("蟠龙河 十里泉河 薛城沙河 小沙河 峄城大沙河 周村河 运河支流 东沙河")
PROJECTS = _words("花园 华府 名苑 御景 新城 学府 国际 悦府 公馆 壹号院")
PROJECT_PHASES = _words("一期 二期 三期 A区 B区")
# Appended to a district's name: 市中区人民政府, 薛城区税务局.
INSTITUTION_SUFFIXES = _words(
    "人民政府 市场监督管理局 教育和体育局 税务局 供电中心 邮政分公司 自来水公司 "
    "农商银行 人民法院 人民检察院 图书馆 文化馆 住房和城乡建设局 公安分局 "
    "人民医院门诊楼 实验学校"
)
CITY_LEADER_POSITIONS = _words(
    "市委副书记 常务副市长 副市长 副市长 市人大常委会副主任 市政协副主席"
)


def person_name(rng: random.Random) -> str:
    """A plausible Chinese name: a surname and one or two given-name characters."""
    surname = rng.choice(COMMON_SURNAMES) if rng.random() < 0.45 else rng.choice(SURNAMES)
    given = rng.choice(GIVEN_CHARS)
    if rng.random() < 0.7:
        given += rng.choice(GIVEN_CHARS)
    return surname + given


def phone_number(rng: random.Random) -> str:
    """An 11-digit mobile number (invented)."""
    return rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}"
