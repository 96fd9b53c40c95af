"""Gold of the 2019 government work report (standoff; text in ../shared).

One mention per ``q(...)``/``d(...)`` line, in text order; see gold_lib.py for the
helpers and ../shared/ANNOTATION.md for what to mark.  The whole report is annotated.

Roles: what the report plans or commits to for 2019 is ``target``, planned growth rates
and planned shares included, and so is a planned change stated against a level in the
same sentence (比去年增加…, 超过23万亿元，增长6.5%), which also has ``change_of``.  Planned
decreases (下降/降低/压减 X% as a target) carry a negative value, as
单位国内生产总值能耗 does in the other reports.  从A提高到B / 由A降至B gives two levels:
A actual, B actual when done and target when planned.  The country's population
(近14亿人口, 近14亿中国人) is marked as in gwr_2022/gwr_2023.

Left unmarked on purpose: numbers inside names (十三五, 三大攻坚战, 两学一做, 一带一路,
PM2.5, M2, 嫦娥四号, 第二届…博览会, 2020年奥运会, 70周年/40周年, 两个一百年), 56个民族,
八个字, and 一半 / 半年 (清偿一半以上, 压缩一半以上, 一半用于…, 失业半年以上:
gold_lib cannot parse them).
"""
from __future__ import annotations

from typing import Any

from gold_lib import d, q
from gwr_common import _doc, _para_end, y  # noqa: F401


def build(text: str) -> dict[str, Any]:
    # 国内生产总值增长6%－6.5%: one range mention.  gold_lib.parse_mention cannot read a
    # range whose first number carries its own % and whose dash is full-width (－), so
    # the mention is located by its first number "6%" and its span, text and range are
    # given explicitly.
    gdp_range = "6%－6.5%"
    gdp_s = text.index("国内生产总值增长" + gdp_range) + len("国内生产总值增长")
    gdp_target = q("6%", "target", "国内生产总值", anchor="增长" + gdp_range, value=None,
                   low=6.0, high=6.5, start=gdp_s, end=gdp_s + len(gdp_range))
    gdp_target.extra["text"] = gdp_range  # q() takes the span text as its own argument
    qs = [
        # 一、2018年工作回顾
        q("6.6%", "change", "国内生产总值", change_of="gdp"),
        q("90万亿元", "actual", "国内生产总值总量", key="gdp", qualifier=">"),
        q("2.1%", "change", "居民消费价格"),
        q("1361万人", "actual", "城镇新增就业"),
        q("5%", "actual", "调查失业率", anchor="稳定在5%左右"),
        q("14亿", "actual", "人口", anchor="近14亿人口", unit_hint="人", written_unit="亿"),
        q("60%", "rate", "服务业对经济增长贡献率", anchor="接近60%"),
        q("3.1%", "change", "单位国内生产总值能耗"),
        q("1.8万户", "actual", "日均新设企业"),
        q("1亿户", "actual", "市场主体总量"),
        q("30万亿元", "actual", "货物进出口总额"),
        q("1383亿美元", "actual", "实际使用外资"),
        q("1386万", "change", "农村贫困人口", unit_hint="人", written_unit="万"),
        q("280万人", "actual", "易地扶贫搬迁"),
        q("6.5%", "change", "居民人均可支配收入", anchor="实际增长6.5%"),
        q("6项", "actual", "专项附加扣除"),
        q("1亿人次", "actual", "资助各类学校家庭困难学生"),
        q("620多万套", "actual", "棚户区住房改造"),
        q("190万户", "actual", "农村危房改造"),
        q("1.3万亿元", "actual", "减税降费"),
        q("4次", "actual", "降低存款准备金率"),
        q("3万亿美元", "actual", "外汇储备"),
        q("三分之一", "change", "工业生产许可证种类", anchor="种类压减三分之一以上"),
        q("30%", "change", "技术合同成交额", anchor="成交额增长30%以上"),
        q("58.5%", "rate", "科技进步贡献率"),
        q("9.8%", "actual", "关税总水平"),
        q("7.5%", "actual", "关税总水平"),
        q("70%", "change", "新设外资企业"),
        q("1.3万亿斤", "actual", "粮食总产量"),
        q("1400万", "actual", "农业转移人口在城镇落户", unit_hint="人", written_unit="万"),
        q("4100公里", "actual", "新增高速铁路运营里程"),
        q("6000多公里", "actual", "新建改建高速公路"),
        q("30多万公里", "actual", "新建改建农村公路"),
        q("70元", "actual", "城乡居民基础养老金最低标准"),
        q("88元", "actual", "城乡居民基础养老金最低标准"),
        # pending: 17种抗癌药大幅降价并纳入国家医保目录 (unit 种 not in gold_lib.UNITS)
        # q("17种", "actual", "抗癌药"),
        q("18件", "actual", "审议法律议案"),
        q("37部", "actual", "制定修订行政法规"),
        # 二、2019年经济社会发展总体要求和政策取向: 主要预期目标
        gdp_target,
        q("1100万人", "target", "城镇新增就业"),
        q("5.5%", "target", "城镇调查失业率"),
        q("4.5%", "target", "城镇登记失业率"),
        q("3%", "target", "居民消费价格涨幅", anchor="涨幅3%左右"),
        q("1000万", "target", "农村贫困人口", anchor="减少1000万以上", value=-1e7,
          unit_hint="人", written_unit="万"),
        q("3%", "target", "单位国内生产总值能耗", anchor="能耗下降3%左右", value=-3.0),
        # 积极的财政政策
        q("2.8%", "target", "赤字率", key="deficit_rate"),
        q("0.2个百分点", "target", "赤字率", change_of="deficit_rate"),
        q("2.76万亿元", "target", "财政赤字", key="deficit"),
        q("1.83万亿元", "target", "中央财政赤字", of="deficit"),
        q("9300亿元", "target", "地方财政赤字", of="deficit"),
        q("23万亿元", "target", "财政支出", key="spending"),
        q("6.5%", "target", "财政支出", anchor="23万亿元，增长6.5%", change_of="spending"),
        q("10.9%", "target", "中央对地方均衡性转移支付"),
        # 三、2019年政府工作任务 （一）宏观调控
        q("16%", "actual", "制造业等行业税率", anchor="现行16%的税率"),
        q("13%", "target", "制造业等行业税率"),
        q("10%", "actual", "交通运输业、建筑业等行业税率", anchor="现行10%的税率"),
        q("9%", "target", "交通运输业、建筑业等行业税率", anchor="降至9%"),
        q("6%", "target", "税率", anchor="保持6%一档的税率"),
        q("16%", "target", "城镇职工基本养老保险单位缴费比例", anchor="可降至16%"),
        q("2万亿元", "target", "减税降费", anchor="负担近2万亿元"),
        q("5%", "target", "一般性支出", anchor="压减5%以上", value=-5.0),
        q("3%", "target", "“三公”经费", anchor="再压减3%左右", value=-3.0),
        q("30%", "target", "国有大型商业银行小微企业贷款", anchor="要增长30%以上"),
        q("2.15万亿元", "target", "地方政府专项债券", key="special_bonds"),
        q("8000亿元", "target", "地方政府专项债券", anchor="增加8000亿元",
          change_of="special_bonds"),
        q("三年", "target", "定额税费减免", anchor="三年内给予", qualifier="<="),
        q("1000亿元", "target", "失业保险基金结余"),
        q("1500万人次", "target", "职工技能提升和转岗转业培训"),
        q("100万人", "target", "扩招", anchor="扩招100万人"),
        # （二）营商环境
        q("10%", "target", "一般工商业平均电价", anchor="再降低10%", value=-10.0),
        q("两年", "target", "高速公路省界收费站", anchor="两年内基本取消", qualifier="<="),
        # （三）新动能
        q("15%", "target", "中小企业宽带平均资费", value=-15.0),
        q("20%", "target", "移动网络流量平均资费", value=-20.0),
        q("3万元", "actual", "小规模纳税人增值税起征点"),
        q("10万元", "target", "小规模纳税人增值税起征点"),
        # （四）内需
        q("8000万", "actual", "符合减税政策的纳税人", anchor="约8000万纳税人",
          unit_hint="人", written_unit="万"),
        q("60岁", "other", "人口"),  # the age bracket of 60岁以上人口 (as 3岁 in gwr_2022)
        q("2.5亿", "actual", "60岁以上人口", unit_hint="人", written_unit="亿"),
        q("8000亿元", "target", "铁路投资", anchor="铁路投资8000亿元"),
        q("1.8万亿元", "target", "公路水运投资"),
        q("5776亿元", "target", "中央预算内投资", key="central_invest"),
        q("400亿元", "target", "中央预算内投资", change_of="central_invest"),
        # （五）脱贫攻坚和乡村振兴
        q("14亿", "actual", "中国人", anchor="近14亿中国人", unit_hint="人", written_unit="亿"),
        q("8000万亩", "target", "新增高标准农田"),
        q("6000万", "target", "农村人口供水保障", unit_hint="人", written_unit="万"),
        q("20万公里", "target", "新建改建农村公路"),
        # （七）污染防治
        q("3%", "target", "二氧化硫、氮氧化物排放量", anchor="排放量要下降3%", value=-3.0),
        q("2%", "target", "化学需氧量、氨氮排放量", anchor="排放量要下降2%", value=-2.0),
        # （十）社会事业
        # a share, but planned for this year (继续保持在4%以上): target, as planned growth
        # rates are target rather than change
        q("4%", "target", "国家财政性教育经费占国内生产总值比例"),
        q("1万亿元", "target", "中央财政教育支出"),
        q("30元", "target", "居民医保人均财政补助标准"),
        q("50%", "actual", "报销比例"),
        q("60%", "target", "报销比例", anchor="提高到60%"),
        # 政府自身建设
        q("三分之一", "target", "文件", anchor="文件压减三分之一以上", value=-1 / 3),
    ]
    ds = [
        d("2018年", *y(2018)),  # 一、2018年工作回顾
        d("2019年", *y(2019), occ=1),  # 二、2019年经济社会发展总体要求和政策取向
        d("2019年", *y(2019), occ=2),  # 三、2019年政府工作任务
    ]
    return _doc(2019, text, qs, ds, len(text))
