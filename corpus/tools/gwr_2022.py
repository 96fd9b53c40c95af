"""Gold of the 2022 government work report (standoff; text in ../shared).

One mention per ``q(...)``/``d(...)`` line, in text order; see gold_lib.py for the
helpers and ../shared/ANNOTATION.md for what to mark.  The whole report is annotated.
"""
from __future__ import annotations

from typing import Any

from gold_lib import d, q
from gwr_common import _doc, _para_end, y  # noqa: F401


def build(text: str) -> dict[str, Any]:
    qs = [
        # 一、2021年工作回顾
        q("114万亿元", "actual", "国内生产总值", key="gdp"),
        q("8.1%", "change", "国内生产总值", occ=1, change_of="gdp"),
        q("20万亿元", "actual", "全国财政收入", key="rev", qualifier=">"),
        q("10.7%", "change", "全国财政收入", change_of="rev"),
        q("1269万人", "actual", "城镇新增就业"),
        q("5.1%", "actual", "城镇调查失业率"),
        q("0.9%", "change", "居民消费价格"),
        q("15.5%", "change", "企业研发经费"),
        q("1.37万亿斤", "actual", "粮食产量"),
        q("18.2%", "change", "高技术制造业增加值"),
        q("1.5亿户", "actual", "市场主体总量"),
        q("21.4%", "change", "货物进出口总额"),
        q("9.1%", "change", "细颗粒物（PM2.5）平均浓度"),
        q("8.1%", "change", "居民人均可支配收入", occ=2),
        q("5.6万个", "actual", "新开工改造城镇老旧小区"),
        q("千万", "actual", "惠及家庭", anchor="惠及近千万家庭", unit_hint="户",
          written_unit="千万"),
        q("85%", "actual", "疫苗全程接种覆盖率"),
        q("2.8万亿元", "actual", "中央财政资金"),
        q("两次", "actual", "全面降准"),
        q("1万亿元", "actual", "新增减税降费"),
        q("4.76万亿元", "actual", "涉税市场主体纳税"),
        q("27.3%", "change", "普惠小微企业贷款"),
        q("40%", "change", "大型商业银行普惠小微企业贷款"),
        q("4个", "actual", "服务业扩大开放综合试点"),
        q("100%", "actual", "制造业企业研发费用加计扣除比例", occ=1),
        q("200亿元", "actual", "种粮农民补贴"),
        q("160个", "actual", "国家乡村振兴重点帮扶县"),
        q("10亿千瓦", "actual", "可再生能源发电装机规模", qualifier=">"),
        q("3700多万", "actual", "学生受益", unit_hint="人", written_unit="万"),
        q("4000元", "change", "国家助学贷款每人每年最高额度"),
        q("500多万", "actual", "在校生", unit_hint="人", written_unit="万"),
        q("60%", "actual", "住院费用跨省直接结算率"),
        q("10件", "actual", "审议法律议案"),
        q("15部", "actual", "制定修订行政法规"),
        # 二、主要预期目标
        q("5.5%", "target", "国内生产总值", occ=1),
        q("1100万人", "target", "城镇新增就业"),
        q("5.5%", "target", "城镇调查失业率", occ=2),
        q("3%", "target", "居民消费价格涨幅"),
        q("1.3万亿斤", "target", "粮食产量"),
        # 三、政府工作任务
        q("2.8%", "target", "赤字率"),
        q("2万亿元", "target", "支出规模"),
        q("3.9%", "target", "中央本级支出"),
        q("1.5万亿元", "target", "中央对地方转移支付", occ=1, change_of="tp"),
        q("9.8万亿元", "target", "中央对地方转移支付", key="tp"),
        q("18%", "target", "中央对地方转移支付", change_of="tp"),
        q("3.65万亿元", "target", "地方政府专项债券"),
        q("2.5万亿元", "target", "退税减税", key="tax"),
        q("1.5万亿元", "target", "留抵退税", occ=2, of="tax"),
        q("1000万人", "actual", "高校毕业生"),
        q("1000亿元", "target", "失业保险基金"),
        q("75%", "actual", "科技型中小企业加计扣除比例"),
        q("100%", "target", "科技型中小企业加计扣除比例", occ=2),
        q("6400亿元", "target", "中央预算内投资"),
        q("18亿亩", "target", "耕地红线"),
        q("1亿亩", "target", "新建高标准农田"),
        q("14亿多", "actual", "中国人", unit_hint="人", written_unit="亿"),
        q("30年", "target", "土地承包到期后再延长"),
        q("2.9亿", "actual", "在校学生", unit_hint="人", written_unit="亿"),
        q("30元", "target", "居民医保人均财政补助标准"),
        q("5元", "target", "基本公共卫生服务经费人均财政补助标准"),
        q("3岁", "other", "婴幼儿"),
    ]
    ds = [
        d("2022年3月5日", "2022-03-05", "2022-03-05", "day"),
        d("2021年", *y(2021)),
        d("2013年", *y(2013)),
        d("2022年", *y(2022), occ=2),
        d("2022年", *y(2022), occ=3),
        d("6月底", "2022-06-30", "2022-06-30", "day"),
    ]
    return _doc(2022, text, qs, ds, len(text))
