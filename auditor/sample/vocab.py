"""Word lists of the synthetic exports: shops, catalogue, reason texts, agents.

Everything here is plain data; the generator draws from it with numpy, column-wise.
Reason texts use the platforms' own wording; each is listed under the class the shipped
synonym table (auditor/io/reasons.yaml) gives it, except ``ODD_REASONS``, which on
purpose match no synonym (they exercise Q005).
"""

from __future__ import annotations

from dataclasses import dataclass

# The first shop sells a bit of everything, so that even a one-shop sample covers the
# statutory-exclusion (定制, 生鲜) and confirm-required (内衣, 化妆品) categories.
SHOPS: tuple[str, ...] = (
    "悦享生活旗舰店",
    "云裳服饰专营店",
    "花漾美妆官方店",
    "极客数码旗舰店",
    "拾味鲜生鲜馆",
)


@dataclass(frozen=True)
class Item:
    shop: int  # index into SHOPS
    category: str
    product: str
    price: float  # typical unit price, yuan
    durable: bool = False  # can be repaired under warranty


CATALOGUE: tuple[Item, ...] = (
    # 0: the variety store
    Item(0, "女装/连衣裙", "法式碎花雪纺连衣裙 夏季新款", 189.0),
    Item(0, "男装/T恤", "纯棉圆领短袖T恤 男款宽松", 79.0),
    Item(0, "内衣/文胸", "无钢圈聚拢文胸 舒适透气", 129.0),
    Item(0, "化妆品/面霜", "玻尿酸补水保湿面霜 50g", 239.0),
    Item(0, "生鲜/水果", "海南妃子笑荔枝 5斤装 顺丰冷链", 99.0),
    Item(0, "定制/刻字保温杯", "316不锈钢保温杯 定制刻字 500ml", 89.0),
    Item(0, "数码/蓝牙耳机", "主动降噪真无线蓝牙耳机", 399.0, durable=True),
    Item(0, "家电/电饭煲", "智能IH电饭煲 4L 家用", 1299.0, durable=True),
    Item(0, "家居/床上用品", "全棉四件套 1.8m床 简约条纹", 259.0),
    Item(0, "食品/坚果零食", "每日坚果 30袋礼盒装", 119.0),
    # 1: apparel
    Item(1, "女装/针织衫", "慵懒风V领针织开衫 女", 159.0),
    Item(1, "女装/牛仔裤", "高腰直筒牛仔裤 显瘦阔腿", 139.0),
    Item(1, "男装/夹克", "春秋款工装夹克 男士外套", 299.0),
    Item(1, "鞋靴/运动鞋", "轻便透气跑步鞋 男女同款", 259.0),
    Item(1, "内衣/睡衣", "莫代尔长袖睡衣套装 女", 149.0),
    Item(1, "配饰/围巾", "羊毛混纺格纹围巾", 69.0),
    # 2: beauty
    Item(2, "化妆品/口红", "丝绒哑光口红 #316", 219.0),
    Item(2, "美妆/粉底液", "持妆遮瑕粉底液 30ml", 329.0),
    Item(2, "个护/洗发水", "氨基酸控油洗发水 500ml", 59.0),
    Item(2, "美妆工具/化妆刷", "12支装化妆刷套装", 79.0),
    # 3: electronics
    Item(3, "数码/充电宝", "20000mAh 快充移动电源", 149.0, durable=True),
    Item(3, "数码/智能手表", "运动智能手表 心率血氧监测", 899.0, durable=True),
    Item(3, "电脑办公/机械键盘", "87键热插拔机械键盘 茶轴", 349.0, durable=True),
    Item(3, "家电/空气炸锅", "可视空气炸锅 5.5L", 2599.0, durable=True),
    Item(3, "定制/手机壳", "个性定制照片手机壳", 39.0),
    # 4: fresh food
    Item(4, "生鲜/海鲜", "鲜活大闸蟹 公4.0两 母3.0两 8只", 328.0),
    Item(4, "生鲜/牛排", "原切西冷牛排 10片装", 199.0),
    Item(4, "食品/临期特惠", "进口黑巧克力 临期特惠 3盒", 49.0),
    Item(4, "食品/茶叶", "明前龙井绿茶 250g 礼盒", 368.0),
)

# Categories the sample treats as confirm-required or statutorily excluded (the cn-law
# version files' lists); used to shape violations (X001 needs the first, W001 neither).
# Written out here, not imported from the rules: the sample is the tests' independent
# account of what should fire.
EXCLUSION_KEYWORDS = (
    *("定制", "订制", "定作", "定做", "订做", "鲜活", "生鲜", "新鲜", "水产", "熟食", "鲜花"),
    *("数字化商品", "数字内容", "数字阅读", "虚拟商品", "虚拟物品", "点卡", "游戏币", "网游装备"),
    *("报纸", "期刊", "杂志"),
)
CONFIRM_KEYWORDS = (
    *("内衣", "贴身", "化妆品", "美妆", "彩妆", "护肤", "个护化妆", "香水"),
    *("隐形眼镜", "计生", "情趣用品", "激活", "临期", "瑕疵"),
)

# Reason texts by class (platform wording, as buyers pick or type them).
REASONS: dict[str, tuple[str, ...]] = {
    "no_reason": (
        "七天无理由退货",
        "7天无理由退换货",
        "不想要了",
        "尺码拍错",
        "拍错/多拍",
        "不喜欢",
        "效果不好",
        "买错了",
        "尺码不合适",
    ),
    "quality": ("质量问题", "做工粗糙", "商品有瑕疵", "商品故障", "开线/起球", "用了两天就坏了"),
    "not_as_described": ("与描述不符", "实物与图片不符", "色差太大"),
    "wrong_item": ("少件/漏发", "发错货", "配件缺失"),
    "damaged_in_transit": ("快递破损", "运输途中损坏", "包装破损"),
    "not_received": ("未收到货", "物流停滞"),
    "buyer_damage": ("人为损坏",),
    "other": ("协商一致退款", "价保", "补差价", "其他"),
}

# Texts no synonym classifies (Q005): what buyers really type in the free-text box.
ODD_REASONS: tuple[str, ...] = (
    "帮朋友买的 朋友说不用了",
    "老公不让买",
    "重复下单",
    "降价了要求补偿",
    "想换个颜色",
    "客服态度差",
    "发货太慢",
)

COMPLAINT_REASONS: tuple[str, ...] = ("客服态度差", "发货太慢", "质量问题", "与描述不符")

AGENTS: tuple[tuple[str, ...], ...] = (
    ("小雨", "阿杰", "晓雯", "老陈"),
    ("婷婷", "小周", "阿敏"),
    ("可可", "小林", "思思"),
    ("大伟", "小吴", "阿峰"),
    ("小鱼", "阿强", "芳芳"),
)

# Reject reasons a shop gives when the rejection is allowed (clean cases) ...
REJECT_REASONS_VALID: dict[str, tuple[str, ...]] = {
    "out_of_window": ("已超过七天无理由退货期限",),
    "excluded": ("定制/生鲜商品不支持七天无理由退货", "该商品不适用七天无理由退货"),
    "confirmed": ("购买时已确认贴身/拆封商品不支持无理由退货",),
    "no_evidence": ("未提供有效凭证，请补充照片后重新申请",),
    "buyer_damage": ("人为损坏不在保修范围内",),
    "delivered": ("物流显示已签收，请核实后再申请",),
}
# ... and the ones the law does not accept (used by violations).
REJECT_REASONS_INVALID: tuple[str, ...] = (
    "商品已拆封影响二次销售",
    "活动商品不退不换",
    "商品无质量问题",
    "已过保修期",
)

# Platform texts for an escalated case where a profile maps "any other text" to true.
ESCALATED_TEXT: dict[str, str] = {
    "taobao": "客服介入中",
    "douyin": "仲裁中",
    "pdd": "平台介入中",
    "jd": "客服介入",
    "kuaishou": "平台介入",
    "wechat": "平台介入",
}
