"""Gold of the 2021 government work report (standoff; text in ../shared).

One mention per ``q(...)``/``d(...)`` line, in text order; see gold_lib.py for the
helpers and ../shared/ANNOTATION.md for what to mark.  The whole report is annotated.

Left unmarked on purpose: numbers inside names (六稳, 六保, 十三五, 十四五, 第十四个五年
规划, 国企改革三年行动, 基础研究十年行动方案, 科技创新2030—重大项目, 5G, 长江十年禁渔,
八五普法, 第三届/首届…博览会, 75周年/100周年), years inside document titles
(《…二〇三五年远景目标的建议》, 《…2035年远景目标纲要（草案）》), and vague spans
(过去五年, 经过五年, 年初, 年末, 上亿市场主体, 亿万农民).

Roles: the 十四五 goals and what the report plans for 2021 are ``target``, planned growth
rates and planned shares (城镇化率, 森林覆盖率, 参保率) included.  Planned decreases carry
a negative value, as 单位国内生产总值能耗 does in the other reports.  从A提高到B gives
two levels: A actual, B target.  A number stated as a target that was reached
(实现…100万人目标, 1亿…落户目标顺利实现) is ``target``.  A bracket that only delimits
what a measure applies to (不到100万元的部分) is ``other``, as 3岁 in gwr_2022.
"""
from __future__ import annotations

from typing import Any

from gold_lib import d, q
from gwr_common import _doc, _para_end, y  # noqa: F401


def build(text: str) -> dict[str, Any]:
    qs = [
        # 一、2020年工作回顾
        q("2.6万亿元", "actual", "为市场主体减负", key="relief"),
        q("1.7万亿元", "actual", "减免社保费", of="relief"),
        q("2万亿元", "actual", "新增中央财政资金"),
        q("50%", "change", "大型商业银行普惠小微企业贷款"),
        q("1.5万亿元", "actual", "金融系统向实体经济让利"),
        q("2.3％", "change", "国内生产总值"),
        q("1186万人", "actual", "城镇新增就业"),
        q("5.2％", "actual", "城镇调查失业率"),
        q("2.5％", "change", "居民消费价格"),
        q("600万人", "actual", "新纳入低保、特困供养"),
        q("800万人次", "actual", "实施临时救助"),
        q("551万", "actual", "农村贫困人口", unit_hint="人", written_unit="万"),
        q("52个", "actual", "贫困县"),
        q("9件", "actual", "审议法律议案"),
        q("37部", "actual", "制定修订行政法规"),
        q("1000多万", "actual", "高中毕业生", unit_hint="人", written_unit="万"),
        # 实现高职院校扩招100万人目标: the number is the target (reached)
        q("100万人", "target", "高职院校扩招", anchor="扩招100万人目标"),
        # 二、“十三五”时期发展成就
        q("70万亿元", "actual", "国内生产总值", qualifier="<"),  # 不到
        q("100万亿元", "actual", "国内生产总值"),
        q("5575万", "actual", "农村贫困人口", unit_hint="人", written_unit="万"),
        q("960多万", "actual", "易地扶贫搬迁", unit_hint="人", written_unit="万"),
        # 1亿农业转移人口和其他常住人口在城镇落户目标顺利实现
        q("1亿", "target", "农业转移人口和其他常住人口在城镇落户", unit_hint="人",
          written_unit="亿"),
        q("2100万套", "actual", "城镇棚户区住房改造"),
        q("6000万人", "actual", "城镇新增就业"),
        # “十四五”时期主要目标任务
        q("5.5%", "target", "城镇调查失业率", anchor="控制在5.5%以内"),
        q("7%", "target", "全社会研发经费投入"),
        q("18亿亩", "target", "耕地红线"),
        q("65%", "target", "常住人口城镇化率"),
        q("24.1%", "target", "森林覆盖率"),
        q("13.5%", "target", "单位国内生产总值能耗", value=-13.5),
        q("18%", "target", "二氧化碳排放", value=-18.0),
        q("11.3年", "target", "劳动年龄人口平均受教育年限"),
        q("1岁", "target", "人均预期寿命"),
        q("95%", "target", "基本养老保险参保率"),
        q("1.3万亿斤", "target", "粮食综合生产能力", anchor="综合生产能力保持在1.3万亿斤"),
        # 三、2021年重点工作: 主要预期目标
        q("6%", "target", "国内生产总值", anchor="增长6%以上"),
        q("1100万人", "target", "城镇新增就业"),
        q("5.5%", "target", "城镇调查失业率", anchor="失业率5.5%左右"),
        q("3%", "target", "居民消费价格涨幅", anchor="涨幅3%左右"),
        q("3%", "target", "单位国内生产总值能耗", anchor="能耗降低3%左右", value=-3.0),
        q("1.3万亿斤", "target", "粮食产量", anchor="粮食产量保持在1.3万亿斤"),
        q("6%", "target", "经济增速", anchor="为6%以上"),
        # （一）宏观政策
        q("3.2%", "target", "赤字率"),
        q("7.8%", "target", "对地方一般性转移支付"),
        q("10%", "target", "均衡性转移支付、县级基本财力保障机制奖补资金",
          anchor="增幅均超过10%"),
        q("2.8万亿元", "target", "中央财政资金"),
        q("10万元", "actual", "小规模纳税人增值税起征点"),
        q("15万元", "target", "小规模纳税人增值税起征点"),
        q("100万元", "other", "小微企业和个体工商户年应纳税所得额", qualifier="<"),  # 不到: a bracket
        q("30%", "target", "大型商业银行普惠小微企业贷款"),
        # （二）重点领域改革
        q("10%", "target", "中小企业宽带和专线平均资费", anchor="再降10%", value=-10.0),
        q("20%", "target", "民航发展基金航空公司征收标准", value=-20.0),
        # （三）创新
        q("10.6%", "target", "中央本级基础研究支出"),
        q("75%", "target", "企业研发费用加计扣除"),
        q("100%", "target", "制造业企业加计扣除比例"),
        # （四）内需
        q("3.65万亿元", "target", "地方政府专项债券"),
        q("6100亿元", "target", "中央预算内投资"),
        q("5.3万个", "target", "新开工改造城镇老旧小区"),
        # （五）乡村振兴
        q("5年", "target", "过渡期"),
        q("14亿人", "actual", "人口"),  # 保障好14亿人的粮食安全 (as 14亿多 in gwr_2022)
        # （七）生态
        q("70%", "target", "北方地区清洁取暖率"),
        # （八）民生
        q("30元", "target", "居民医保人均财政补助标准"),
        q("5元", "target", "基本公共卫生服务经费人均财政补助标准"),
    ]
    ds = [
        d("2021年3月5日", "2021-03-05", "2021-03-05", "day"),
        d("2020年", *y(2020)),  # 一、2020年工作回顾
        d("2030年", *y(2030), occ=1),  # 落实2030年应对气候变化国家自主贡献目标
        d("2021年", *y(2021), occ=2),  # 三、2021年重点工作 (occ 1 opens 2021年3月5日)
        d("2030年", *y(2030), occ=2),  # 制定2030年前碳排放达峰行动方案 (no 《》: not a title)
    ]
    return _doc(2021, text, qs, ds, len(text))
