"""Role (target, actual, rate, change, rank, other) and indicator phrase of each quantity.

Rules first: cue words in the clause before the number (resources/lexicon.toml
[role_cue]) and the table column the number stands in.  ``role_source`` records what
decided (pattern | column | cue | default | model).

The indicator phrase is read backwards from the number through the jieba words of
its clause, stopping at verbs, subjects and function words ([indicator] stop):

>>> indicator_phrase("全市完成工业用地连片整治面积")
'工业用地连片整治面积'
>>> indicator_phrase("全市处置完成批而未供土地")
'批而未供土地'
>>> indicator_phrase("全市闲置土地总量为")
'闲置土地总量'
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import replace
from typing import cast

from pipeline.core import units
from pipeline.core.indicators import indicator_key, is_bare
from pipeline.core.mentions import model
from pipeline.core.mentions.patterns import LIST_GAP, change_cue
from pipeline.core.normalize import View, simplify
from pipeline.core.periods import speaks_of_last_year
from pipeline.core.records import Quantity
from pipeline.core.vocab import Role
from pipeline.core.words import tokenizer

COMPARISON_TAIL = re.compile(r"(?:(?:比上年|比去年|较上年|较去年|同比|环比|比|较)?(?:不低于|不少于|不超过|不高于|低于|"
                             r"高于|超过|上涨|增长|下降|回落到|回落|提高到|提高|降低|降到|减少|增加|达到|"
                             r"控制在|保持在|稳定在|为|约|了|分别))+$")
# 目标是：, 预期指标：, 指标为： open a list of targets; a caption 指标：工业增加值 names one
TARGET_SCOPE = re.compile(r"(?:目标|任务|要求|预期)(?:指标)?[是为]?[:：]|指标[是为][:：]")
CLAUSE_BREAK = re.compile(r"[，,。；;！？!?：:（）()\n|\t]")  # a table's cell ends a clause too
SENTENCE_BREAK = re.compile(r"[。；;！？!?]")


BASE_FIGURE = re.compile(r"[(（][^()（）]{1,10}[)）]$")  # the bracketed figure of a gap's base


def clause_before(folded: str, start: int, limit: int = 40) -> str:
    """The text of the clause that ends at ``start`` (cut at ，。；：and brackets)."""
    window = folded[max(0, start - limit):start]
    cut = 0
    for m in CLAUSE_BREAK.finditer(window):
        cut = m.end()
    return window[cut:]


def period_before(folded: str, start: int, limit: int = 300) -> str:
    """The text since the last full stop: the scope of a list opened by 目标是：."""
    window = folded[max(0, start - limit):start]
    cut = max(window.rfind("。"), window.rfind("！"), window.rfind("？"))
    return window[cut + 1:]


def sentence_before(folded: str, start: int, limit: int = 80) -> str:
    window = folded[max(0, start - limit):start]
    cut = 0
    for m in SENTENCE_BREAK.finditer(window):
        cut = m.end()
    return window[cut:]


@functools.cache
def _stops() -> frozenset[str]:
    return frozenset(units.lexicon()["indicator"]["stop"])


@functools.cache
def _soft_verbs() -> frozenset[str]:
    return frozenset(units.lexicon()["indicator"]["soft_verbs"])


@functools.lru_cache(maxsize=4096)
def indicator_phrase(clause: str) -> str | None:
    """The noun phrase that ends a clause, read backwards until a stop word.  A phrase
    shorter than three characters takes back the verbs before it (完成投资, 已办结).

    >>> indicator_phrase("已办结"), indicator_phrase("完成投资"), indicator_phrase("全县新增市场主体")
    ('已办结', '完成投资', '新增市场主体')
    """
    words = tokenizer().lcut(clause)
    stops, soft = _stops(), _soft_verbs()
    while words and words[-1] in stops:
        words.pop()
    picked: list[str] = []
    i = len(words) - 1
    while i >= 0:
        w = words[i]
        if w in stops or not w.strip() or re.search(r"\d", w) or units.resolve_unit(w):
            break  # a stop word, or the number and unit of the quantity before
        if w in soft and len("".join(picked)) >= 3:
            break
        picked.insert(0, w)
        i -= 1
    phrase = "".join(picked)
    return phrase if len(phrase) >= 2 else None


def rate_phrase(clause: str) -> str | None:
    """A rate's indicator when no noun names it: 完成全年任务的 → 完成全年任务."""
    m = re.search(r"(?:占|完成)[^，。；,;]{1,14}?(?=的$)", clause)
    return m.group(0) if m else None


def _has_any(text: str, words: Iterable[str]) -> bool:
    return any(w in text for w in words)


# 完成全年任务的41.3%, 占新增市场主体的25.8%, 为预算的39.8%, 税收占比72.2%
SHARE_OF = re.compile(r"(?:占|为|完成|达到?|是|超)[^，。；,;]{0,14}的$|占比?$|占比为$"
                      # 完成年目标任务117.4%, 占年度投资计划50%, 完成年初预算36.7%: 的 left out
                      r"|(?:占|完成)(?:全年|年度|年初|本年|全省|全市)?[^，。；,;\d]{0,6}(?:目标任务|目标|任务|计划|预算)数?$")
# 占GDP比重达到2.6%, 占规上工业总产值比重34.8%: a share, planned or not
SHARE_NAMED_RATE = re.compile(r"占[^，。；,;]{1,20}(?:比重|比例|份额)(?:达到?|为|提高到|超过|保持在)?$")
# 比年目标任务4%低0.63个百分点, 较全省平均高1.2个百分点: a gap, a signed change
GAP = re.compile(r"(?:(?:比|较)[^，。；,;]{0,20}(?<![提降升])(?:低|高|快|慢)了?"
                 # 高于全国(3.9%)3.6个百分点: the base's own figure may stand in brackets
                 r"|(?<!不)(?:低于|高于|快于|慢于)[^，。；,;\d]{1,8}(?:[(（][^()（）]{1,10}[)）])?"
                 r"|(?:超|快于|慢于|落后于?|超过|高出|低出)(?:序时|时序|时间)进度)$")  # (低于70% is a bound)
# 距离年目标值差85天, 离目标任务还差12个: how far short of the target, a negative change
SHORTFALL = re.compile(r"(?:距离?|离)[^，。；,;]{0,10}(?:目标|任务)[^，。；,;]{0,6}(?:还?差|相差|尚差)$")
# 年末城镇登记失业率控制在2.87%, 截至…保持在: a state reached, not planned
STATE_REACHED = re.compile(r"年末|截至|截止")
# 从每人每月574元、271元分别提高到609元、300元: the level before the change
FROM_LEVEL = re.compile(r"(?:、[^，。；,;]{0,12}?)*(?:分别)?(?:提高|增加|提升|调整|上调|降低|下调|扩大|缩小|增至|降至)"
                        r"(?:到|至)?")
# 增1.64%, 减2.5%: a lone change verb right after a clause break or an amount
LONE_CHANGE = re.compile(r"(?:^|[，,、；;。\d%万亿元吨亩个人])(增|减|降)了?$")
# 重点项目共530项, 列入省级重点项目17个, 2025年全县30项民生实事: a planned set (ruling 14)
PLANNED_SET = re.compile(r"重点项目|重点工程|民生实事|实事项目|民生工程|为民办实事|十件实事")
SET_CUE = re.compile(r"共|计划|列入|安排|确定|下达|涉及")
SET_DONE = re.compile(r"已|完成|建成|开工|竣工|投用|办结|启动|推进|超额|进展|入选|均|全部|提前|滞后|偏慢|正在|未")
SET_UNITS = ("项", "个", "件", "类", "批")
# 正在施工中（93%）: the share of the work done so far
UNDER_WAY = re.compile(r"(?:施工|进行|建设|推进|实施|办理)中[（(]$")
TARGET_AFTER = ("目标", "的目标", "任务", "的任务")
PLAN_CUES = ("拟", "预期", "目标", "计划", "力争", "确保")
DONE_CUES = ("已", "实现", "完成", "达到")
SECTION_DONE_CUES = ("已", "累计", "同比")  # what a plan section reports as done
# a sentence that opens on a year ahead of the report (到2030年，森林覆盖率提高到45%) plans
HORIZON_OPEN = re.compile(r"^\s*(?:[（(]?[一二三四五六七八九十\d]{1,2}[)）、.．]\s*)?(?:——)?[^，。；,;]{0,8}?"
                          r"(?:到|至|力争到|预计到)((?:19|20)\d\d)年(?:底|末)?[，,]")
# Words with 计划 in them that state no plan (医疗卫生与计划生育支出, 计划单列市,
# 超计划完成): masked before cue words are looked for. 比计划 names the plan's amount
# (比计划产量54.8万吨 is the target) but makes no plan of the change after it
# (增产0.9万吨), so it is masked in the sentence's scope only.
NOT_PLAN = re.compile(r"计划生育|计划单列|超计划")
AGAINST_PLAN = re.compile(r"[比较]计划")
# a target that is the object of what was done (全面完成全年目标任务的有46项) plans nothing
DONE_TARGET = re.compile(r"(?:完成|实现|达到|达成|超额完成)[^，。；,;\d]{0,6}?(?:目标任务|目标|任务)的[^，。；,;\d]{0,6}?有$")
NOT_PLAN_SCOPE = re.compile(r"计划生育|计划单列|[比较超]计划")


def _mask(pattern: re.Pattern, text: str) -> str:
    return pattern.sub(lambda m: "_" * len(m.group()), text)
# A report's review section (一、2023年工作回顾): 控制在/稳定在/保持在 there state a result
REVIEW_HEADING = re.compile(r"(?m)^[ \t\u3000]*[一二三四五六七八九十]+、[^\n]{0,30}(?:回顾|过去)")
ANY_HEADING = re.compile(r"(?m)^[ \t\u3000]*[一二三四五六七八九十]+、")
STATE_CUES = ("控制在", "稳定在", "保持在")


def review_spans(folded: str) -> list[tuple[int, int]]:
    r"""The review sections of a report: from a 回顾 heading to the next heading.

    >>> t = "一、2023年工作回顾\n赤字率控制在3%。\n二、2024年工作任务\n控制在3%"
    >>> [t[s:e].splitlines()[0] for s, e in review_spans(t)]
    ['一、2023年工作回顾']
    """
    out = []
    for m in REVIEW_HEADING.finditer(folded):
        nxt = ANY_HEADING.search(folded, m.end())
        end = nxt.start() if nxt else len(folded)
        line = folded[m.start():folded.find("\n", m.start()) % (len(folded) + 1)]
        plans = _plan_half(folded, line, m.start() + len(line), end)  # …回顾和2024年工作安排
        out.append((m.start(), plans if plans else end))
    return out


# A report's plan section (二、“十四五”时期主要目标任务, 三、2024年重点工作, 下一步工作打算):
# what it states without a cue is planned
PLAN_HEADING = re.compile(r"(?:目标|任务|工作安排|重点工作|主要工作|工作部署|总体部署|总体要求|政策取向|工作的建议|工作计划|规划|打算|展望|思路|草案)")
NOT_PLAN_HEADING = re.compile(r"回顾|过去|完成|进展|成效|成绩|成就|总结|情况|问题|不足")


def plan_spans(folded: str) -> list[tuple[int, int]]:
    r"""The plan sections of a report: from a heading that names its plans to the next.

    >>> t = "一、2023年工作回顾\n增长5%。\n二、2024年重点工作\n增长5%\n三、存在的问题\n"
    >>> [t[s:e].splitlines()[0] for s, e in plan_spans(t)]
    ['二、2024年重点工作']
    """
    out = []
    for m in ANY_HEADING.finditer(folded):
        line = folded[m.start():folded.find("\n", m.start()) % (len(folded) + 1)]
        nxt = ANY_HEADING.search(folded, m.end())
        end = nxt.start() if nxt else len(folded)
        if PLAN_HEADING.search(line) and not NOT_PLAN_HEADING.search(line):
            out.append((m.start(), end))
        elif PLAN_HEADING.search(line) and (start := _plan_half(folded, line, m.start() + len(line), end)):
            out.append((start, end))
    return out


PLAN_PERIOD = re.compile(r"(十[一二三四五六七八九]五)|((?:19|20)\d\d)年")


def _plan_half(folded: str, heading: str, body: int, end: int) -> int | None:
    r"""Where the plans begin in a section whose heading joins a review to them
    (“十三五”时期发展成就和“十四五”时期主要目标任务; 2023年工作回顾和2024年工作安排): the
    first paragraph that names the plans' period; None when the heading is no such pair.

    >>> t = "二、2023年工作回顾和2024年工作安排\n增长5%。\n2024年，我们将…增长6%。\n"
    >>> t[_plan_half(t, t.splitlines()[0], len(t.splitlines()[0]), len(t)):].splitlines()[0]
    '2024年，我们将…增长6%。'
    """
    parts = re.split(r"和|与|及", heading)
    tail = parts[-1] if len(parts) > 1 else ""
    if not PLAN_HEADING.search(tail) or NOT_PLAN_HEADING.search(tail) or not NOT_PLAN_HEADING.search(heading):
        return None
    period = PLAN_PERIOD.search(tail)
    if period is None:
        return None
    at = folded.find(period.group(1) or period.group(0), body, end)
    return folded.rfind("\n", body, at) + 1 if at >= 0 else None


SHARE_WORD_END = re.compile(r"(?:比重|占比|份额)$")
# a plan's figure named after what allocated it (已安排投资计划2225.5亿元)
PLAN_NAMED = re.compile(r"(?:下达|安排)[^，。；,;\d]{0,12}(?:计划|预算|任务)(?:数|额|资金)?[为达]?$")
SHARE_DONE = re.compile(r"(?:(?:已经?|累计)(?:完成|完工|开工|拨付|兑付)|(?:已经?)?(?:收获|收割|播种|播栽|栽插|机收))"
                        r"了?(?:约|近|超过|超)?$"
                        r"|进度(?:达到|达|为|已达)(?:了)?$")
WHOLE_OF_SHARE = re.compile(r"(?:任务|计划|目标|预算)[^，。；,;\d]{0,4}$")
RATE_NAMED_BY_TARGET = re.compile(r"(?:目标|任务|计划)(?=完成率|执行率|完成进度)|预期(?=指数)")  # (PMI 预期指数)
# a completion-type rate named right before its figure (开工率达到88%, 资金到位率93.5%):
# a rate, with or without the amounts it relates in the sentence
COMPLETION_RATE = re.compile(r"(?:完成|整改|办结|开工|执行|到位|完工|拨付|兑付)率"
                             r"(?:达到|达|为|是|已达|提高到|提升至)?$")
RAISED_TO = ("提高到", "提高至", "提升到", "提升至", "增加到", "增加至", "降低到", "降低至", "降到", "降至",
             "下调到", "下调至", "上调到", "上调至", "调整为", "调整到", "扩大到", "扩大至", "缩短到", "缩短至")


def decide_role(q: Quantity, clause: str, scope: str = "", after: str = "",
                has_base: bool = False, in_review: bool = False, in_plan: bool = False) -> tuple[Role, str]:
    """(role, source) for one quantity from its kind, column and cue words.

    ``clause`` is the text of the clause before the number, ``scope`` the text since
    the last full stop (inside a list that 目标是： opens, every amount is a target,
    增长5%左右 included), ``after`` a few characters after the mention, and
    ``has_base`` whether a non-percent quantity stands earlier in the same sentence
    (开工率92.5% after 已开工172个 is a rate of it; 城镇化率58.7% alone is a level);
    ``in_review`` whether it stands in the report's review of the past (no plans there:
    赤字率控制在2.8% is a result); ``in_plan`` whether in its plan section (what has no
    cue of its own there is planned: 常住人口城镇化率提高到65%).

    >>> from pipeline.core.records import Quantity
    >>> pct = Quantity(id="", start=0, end=0, text="", value=1.0, unit="%", written_unit="%", kind="percent")
    >>> decide_role(pct, "完成全年任务的")
    ('rate', 'cue')
    >>> decide_role(pct, "城镇化率为")
    ('actual', 'default')
    >>> decide_role(pct, "开工率", has_base=True)
    ('rate', 'cue')
    >>> money = Quantity(id="", start=0, end=0, text="", value=3.8e9, unit="元", written_unit="亿元", kind="money")
    >>> decide_role(money, "医疗卫生与计划生育支出")
    ('actual', 'default')
    """
    cues = units.lexicon()["role_cue"]
    percentish = q.kind in ("percent", "ratio")
    clause, scope = _mask(NOT_PLAN, clause), _mask(NOT_PLAN_SCOPE, scope)
    if q.role == "rank":
        return "rank", "pattern"
    if q.column == "score" or q.unit == "分":
        return "other", "score"  # points of an assessment: 产出指标(50分), 得分18.5分
    if q.kind in ("percent", "percent_point") and GAP.search(clause):
        return "change", "gap"
    if SHORTFALL.search(clause):
        return "change", "shortfall"  # 距离年目标值差85天: short of the target by
    if q.kind == "percent_point" and "拉动" in clause:
        return "change", "cue"  # 拉动经济增长1.3个百分点: a contribution to a growth
    if percentish and SHARE_NAMED_RATE.search(clause) and not TARGET_SCOPE.search(scope):
        return "rate", "cue"  # (a share in a list of targets is planned: 占制造业比重达到66%左右)
    if clause.endswith(STATE_CUES) and STATE_REACHED.search(clause):
        return "actual", "cue"
    if clause.endswith("从") and after.startswith(RAISED_TO):
        # 从75%提高到100%: where a planned change starts from is today's level (a share's
        # level is a rate: 比重从15.8%提高到27.2%)
        return ("rate" if percentish and SHARE_WORD_END.search(clause[:-1]) else "actual"), "cue"
    if TARGET_SCOPE.search(scope):
        return "target", "cue"
    if q.role == "change":
        # a planned change is the plan's target (拟…比上年增加X, 预期增长X%)
        if not in_review and (in_plan and not _has_any(scope, SECTION_DONE_CUES)
                              or _has_any(scope, PLAN_CUES) and not _has_any(scope, DONE_CUES)):
            return "target", "plan"  # linked as a change all the same (change_of)
        return "change", "pattern"
    if percentish and (SHARE_OF.search(clause) or UNDER_WAY.search(scope)):
        return "rate", "cue"
    if q.column in ("task", "target", "time", "label"):
        return "target", "column"  # an amount written in a task's or an item's name is its plan
    if q.column in ("rate", "actual", "change"):
        return cast(Role, q.column), "column"
    if q.column == "index":
        return "actual", "column"  # 为上年%, 指数: a level against a base of 100
    if q.column == "progress" and q.kind == "percent" and not CJK_END.search(clause):
        return "rate", "column"  # a % alone in a 进度 cell: the share of the row's target done
    # 已安排投资计划2225.5亿元: what was settled is a plan, the figure names it
    settled = "已" in clause and not PLAN_NAMED.search(clause)
    target_cues = [c for c in cues["target"] if c not in STATE_CUES] if in_review else cues["target"]
    aimed = _mask(DONE_TARGET, clause)  # 全面完成全年目标任务的有46项: the target is what was done
    aimed = _mask(RATE_NAMED_BY_TARGET, aimed)  # 目标完成率为143%: a rate named after its target
    if not settled and (_has_any(aimed, target_cues) or after.startswith(TARGET_AFTER)):
        return "target", "cue"
    if not percentish and WHOLE_OF_SHARE.search(clause) and re.match(r"的\d", after):
        return "target", "cue"  # 完成省下达任务46.8万亩的112%: the task a share is of
    if percentish and (has_base or COMPLETION_RATE.search(clause)) and _has_any(clause, cues["rate"]):
        return "rate", "cue"  # 开工率达到88%: a completion rate is a rate alone too
    if percentish and SHARE_DONE.search(clause):
        return "rate", "cue"  # 秋粮已收获59.8%, 进度达到62.9%: the share of the work done
    if q.role == "target":
        return "target", "pattern"
    if (_has_any(clause, cues["target_weak"]) and not _has_any(clause.replace("下达", ""), cues["actual"])
            and q.column != "progress"):
        return "target", "cue"  # (下达 holds 达 but reaches nothing: 省下达我市造林任务46.8万亩)
    if in_plan and not in_review and q.column is None and not settled and not _has_any(scope, SECTION_DONE_CUES):
        return "target", "section"  # (达到, 实现, 完成 plan there: 到2025年…达到1500亿元)
    if percentish:
        return "actual", "default"
    if _has_any(clause, cues["actual"]):
        return "actual", "cue"
    if q.column == "progress":
        return "actual", "column"
    return "actual", "default"


CJK_END = re.compile(r"[\u4e00-\u9fff]\s*$")
ABSOLUTE_CHANGE_VERBS = ("增加", "减少", "增长", "下降", "提高", "提升", "增产", "减产", "降低",
                         "回落", "上升", "下滑", "增收", "减收", "增支", "减支", "净增", "净减",
                         "压减", "高于", "低于", "扩大", "缩小", "多增", "少增")
# 126条农村黑臭水体治理已完成120条, 263场送戏进万村已送230场: a task, then what of it is done
TOTAL_THEN_DONE = re.compile(r"[^，。；,;:：()（）]{1,24}已(?:完成|送|建成|开工|办结|整改|实施|落实|开展)$")
# 完成率分别为：长沙市76.43%、衡阳市28.85%: a list item named by a short label
LIST_LABEL = re.compile(r"[、，,][\u4e00-\u9fff]{1,8}$")


LEVEL_REACHED = re.compile(r"(?:增长|增加|上升|提高|提升|下降|减少|降低)(?:为|到|至)$")


def _absolute_change(folded: str, fs: int) -> int | None:
    """The sign when a change verb stands right before an absolute amount
    (增产74亿斤, 减少约1500亿元, 较二季度末增加71.4公顷); None otherwise."""
    cue = change_cue(folded, fs)
    if cue is None or LEVEL_REACHED.search(folded, max(0, fs - 4), fs):
        return None  # 由2.9亿元增长为8亿元: the level it grew to
    window = folded[max(0, fs - 6):fs].rstrip("了为达约近超")
    return cue[0] if window.endswith(ABSOLUTE_CHANGE_VERBS) else None


QUOTED_TASK = re.compile(r"(?:为|对|在|全省|全市|全县|每个)?[^，。；“”]{0,14}?"
                         r"(?:建成|新建|改建|新增|实施|完成|改造|培育|建设|安置|提升|开展|招募|培训|打造|创建)")


def _quoted_task(folded: str, fs: int, fe: int) -> bool:
    """Whether the figure stands inside a quoted task (“为1万名患者实施免费复明手术”,
    “全省每个县建成1个残疾人服务中心”): the name of a work item, what it plans."""
    open_at = folded.rfind("“", max(0, fs - 40), fs)
    if open_at < 0 or "”" in folded[open_at:fs]:
        return False
    close_at = folded.find("”", fe, fe + 40)
    return close_at >= 0 and 6 <= close_at - open_at <= 60 and QUOTED_TASK.match(folded, open_at + 1) is not None


def _plan_list_scope(text: str, start: int) -> str | None:
    """The paragraph before ``start`` from a 目标是：that opens a list of targets, when
    nothing in it since reports a result (已, 累计, 截至); else None."""
    para = text[max(0, text.rfind("\n", 0, start) + 1, start - 300):start]
    if "：" not in para and ":" not in para:
        return None  # (every opener ends with a colon: the fast test)
    opener = next(reversed(list(TARGET_SCOPE.finditer(para))), None)  # the last one
    if opener is None or re.search(r"已|累计|截至|截止|完成|实现了", para[opener.end():].split("。", 1)[-1]):
        return None
    return para[opener.start():]


def _horizon_plan(scope: str, report_year: int | None) -> bool:
    """Whether the sentence opens on a year ahead of the report's and states nothing as
    done (到2025年，全市地区生产总值达到1500亿元)."""
    m = HORIZON_OPEN.match(scope)
    return (m is not None and (report_year is None or int(m.group(1)) > report_year)
            and not _has_any(scope, SECTION_DONE_CUES))


def assign_roles(view: View, quantities: list[Quantity], use_model: bool = False,
                 report_year: int | None = None) -> list[Quantity]:
    """Every quantity's role, source and indicator; ``report_year`` (the year of the
    report's period) tells a horizon ahead of it (到2030年) from one behind."""
    folded = view.folded
    out: list[Quantity] = []
    simplified = simplify(view.text)
    traditional = simplified != view.text
    reviews = review_spans(simplified)  # headings need the line breaks folding drops
    plans = plan_spans(simplified)
    starts: list[int] = []  # the folded start of each quantity of ``out``
    for q in quantities:
        fs, fe = view.folded_span(q.start, q.end)
        clause = clause_before(folded, fs)
        base_figure = BASE_FIGURE.search(folded, max(0, fs - 14), fs)
        if base_figure and GAP.search(past := clause_before(folded, base_figure.start()) + base_figure.group()):
            clause = past  # 高于全国(3.9%)3.6个百分点: the clause runs on past the base's figure
        scope = period_before(folded, fs)
        if not TARGET_SCOPE.search(scope) and (opened := _plan_list_scope(view.text, q.start)):
            scope = opened  # 主要预期目标是：…增长5%左右。经济结构…: the list runs on to the paragraph's end
        sentence_start = fs - len(sentence_before(folded, fs, limit=200))
        has_base = any(p.kind not in ("percent", "percent_point", "rank") and p.unit and ps >= sentence_start
                       for p, ps in zip(out[-6:], starts[-6:]))
        starts.append(fs)
        in_review = any(s <= q.start < e for s, e in reviews) or speaks_of_last_year(view.text, q.start)
        in_plan = any(s <= q.start < e for s, e in plans)
        role, source = decide_role(q, clause, scope, folded[fe:fe + 4], has_base, in_review, in_plan)
        if role in ("actual", "change") and source in ("cue", "default", "pattern") and q.column is None \
                and _quoted_task(folded, fs, fe):
            role, source = "target", "quoted task"  # “完成回迁安置857户以上”(市住建局): a task's name plans
        if (role == "actual" and source in ("default", "cue") or role == "change" and source == "pattern") \
                and q.column is None and not in_review and "已" not in clause and _horizon_plan(scope, report_year):
            role, source = "target", "horizon"  # (a planned change stays linked as a change)
        value = q.value
        gap = GAP.search(clause) if source == "gap" else None
        if gap is not None and value is not None and re.search("低|落后|慢", gap.group()):
            value = -abs(value)  # 比目标低0.63个百分点: -0.63
        if source == "shortfall" and value is not None:
            value = -abs(value)
        prev = out[-1] if out else None
        between = folded[view.folded_span(prev.start, prev.end)[1]:fs] if prev is not None else ""
        planned = prev is not None and prev.role_source == "plan"  # a planned change: 分别降低13.5%、18%
        if (prev is not None and (prev.role == "change" and role != "change" or planned)
                and between in ("、", "和", "与")):
            role, source = (prev.role or "target", "plan") if planned else ("change", "list")  # 分别增长8.9%、7.7%
            if value is not None and prev.value is not None and prev.value < 0:
                value = -abs(value)
        elif (prev is not None and prev.role in ("rate", "change") and role != prev.role
              and q.kind == prev.kind and LIST_LABEL.fullmatch(between) and "分别" in scope):
            role, source = prev.role, "list"  # 完成率分别为：长沙市76.43%、衡阳市28.85%
        elif (prev is not None and q.kind == "percent" and prev.kind not in ("percent", "percent_point")
              and between in ("(", "（") and role == "actual"):
            role, source = "rate", "cue"  # 已完成120条(95%): the share of the task done
        elif (prev is not None and role == "actual" and prev.role == "actual"
              and prev.role_source in ("cue", "default") and prev.unit and prev.unit == q.unit
              and prev.kind not in ("percent", "percent_point") and value is not None
              and prev.value is not None and 0 <= value <= prev.value and TOTAL_THEN_DONE.match(between)):
            # 126条农村黑臭水体治理已完成120条: the first amount is the task
            out[-1] = replace(prev, role="target", role_source="cue")
        elif (role == "target" and source in ("cue", "default", "column") and re.search(r"[从由][^，。；,;]{0,12}$", clause)
              and FROM_LEVEL.match(folded, fe)):
            role, source = "actual", "from"  # 从574元提高到609元: 574元 is the level now
        elif (q.kind in ("percent", "percent_point") and role in ("actual", "rate") and source in ("cue", "default")
              and (m := LONE_CHANGE.search(folded[max(0, fs - 3):fs]))):
            role, source = "change", "cue"  # 增产0.9万吨，增1.64%
            value = None if value is None else (-abs(value) if m.group(1) in "减降" else abs(value))
        elif (q.kind == "count" and q.unit in SET_UNITS and role == "actual" and source in ("cue", "default")
              and (SET_CUE.search(clause) or PLANNED_SET.match(folded, fe))
              and PLANNED_SET.search(folded[max(0, fs - 24):fe + 8])
              and not SET_DONE.search(clause + CLAUSE_BREAK.split(folded[fe:fe + 16], 1)[0])):
            role, source = "target", "planned set"  # 重点项目共530项 (ruling 14)
        elif ((role in ("actual", "rate") or AGAINST_PLAN.search(clause))
              and source in ("cue", "default", "column")):
            # 增产74亿斤; 比计划产量54.8万吨增产0.9万吨 is a change, not the plan
            sign = _absolute_change(folded, fs)
            if sign is not None:
                role, source = "change", "cue"
                value = None if value is None else sign * abs(value)
        phrase = q.indicator or (indicator_phrase(clause) if q.role != "rank" else None)
        if q.role != "rank" and is_bare(phrase):
            # 城镇新增就业人数不低于 / 居民消费价格总水平比上年上涨: the noun before the
            # comparison or the change verb names it
            shorter = COMPARISON_TAIL.sub("", clause)
            if shorter != clause:
                phrase = indicator_phrase(shorter) or phrase
        if role == "rate" and (phrase is None or SHARE_OF.search(clause)):
            phrase = rate_phrase(clause) or phrase
        if phrase and traditional:
            phrase = view.as_written(phrase, fs)  # 新增耕地面積 as written
        out.append(replace(q, role=role, role_source=source, value=value, indicator=phrase,
                           indicator_key=indicator_key(phrase)))
    if use_model:
        out = _model_roles(view, out)
    return _roles_in_context(folded, view, out)


PART_OPEN = re.compile(r"[（(][^（）()。；;]{0,12}")  # 建设项目27项(省级6项
PART_NEXT = re.compile(r"[、，,][^（）()。；;、，,]{0,8}")  # …、市级5项
SENTENCE_END = re.compile(r"[。；;！？]")
DONE_AFTER = re.compile(r"[^，。；,;]{0,4}(?:完成|建成|开工|实现|办结|达到|落地)")  # …等17项超额完成


def _roles_in_context(folded: str, view: View, qs: list[Quantity]) -> list[Quantity]:
    """Roles the words around a mention decide once every mention has one: parts take
    their whole's, a figure held against its target is a result, a span of years ahead
    makes a plan."""
    spans = [view.folded_span(q.start, q.end) for q in qs]
    out = _list_shares_role(folded, qs, spans)
    out = _parts_share_roles(folded, out, spans)
    out = [replace(q, role="actual", role_source="against target")
           if q.role == "target" and q.role_source in ("cue", "default", "model")
           and AGAINST_TARGET_AFTER.match(folded, spans[i][1]) else q for i, q in enumerate(out)]
    return [replace(q, role="target", role_source="horizon")
            if q.role == "actual" and q.role_source in ("default", "model") and q.column is None
            and PLAN_YEARS_AFTER.match(folded, spans[i][1]) else q for i, q in enumerate(out)]


def _list_shares_role(folded: str, qs: list[Quantity], spans: list[tuple[int, int]]) -> list[Quantity]:
    """The numbers of a list whose unit is written once, after the last (拉动0.15、-5.64、
    1.34个百分点), take the role of the one that carries it, and so the sign of a change."""
    out = list(qs)
    for i in range(len(out) - 2, -1, -1):
        q, nxt = out[i], out[i + 1]
        if not (q.unit_inferred and q.written_unit == nxt.written_unit
                and q.column is None and LIST_GAP.fullmatch(folded[spans[i][1]:spans[i + 1][0]])):
            continue
        if q.role != nxt.role and nxt.role in ("change", "target", "actual", "rate"):
            value = q.value
            if nxt.role == "change" and value is not None and nxt.value is not None and nxt.value < 0 < value:
                value = -value  # 分别下降6.8、11.6个百分点
            out[i] = replace(q, role=nxt.role, role_source="list", value=value)
    return out


def _parts_share_roles(folded: str, qs: list[Quantity], spans: list[tuple[int, int]]) -> list[Quantity]:
    """The parts of a whole take its role where no cue of their own decided theirs: the
    parts in brackets after it (建设项目27项(省级6项、市级5项)) and those of a 其中 list
    (重点项目共30项，其中：建设项目27项，前期项目3项): a breakdown of a plan is planned."""
    out = list(qs)
    for i, q in enumerate(out):
        if i == 0 or q.role_source not in ("default", "model") or q.role not in ("actual", "target") \
                or q.column is not None:
            continue  # (a table's cells take their roles from their columns)
        whole = None
        prev, between = out[i - 1], folded[spans[i - 1][1]:spans[i][0]]
        if prev.unit == q.unit and prev.role in ("actual", "target") and (
                PART_OPEN.fullmatch(between) or prev.role_source == "part" and PART_NEXT.fullmatch(between)):
            whole = prev
        else:
            for j in range(i - 1, max(-1, i - 9), -1):
                gap = folded[spans[j][1]:spans[i][0]]
                if SENTENCE_END.search(gap):
                    break
                w = out[j]
                if "其中" in gap and w.unit == q.unit and w.role in ("actual", "target") and w.role_source != "part":
                    whole = w if gap.index("其中") < 4 else None  # 其中 right after the whole
                    break
        if whole is not None and whole.role != q.role and not DONE_AFTER.match(folded, spans[i][1]):
            out[i] = replace(q, role=whole.role, role_source="part")
    return out


# 控制在3.37%，比年目标任务4%低0.63个百分点 / 6.1%，低于目标0.9个百分点: a figure
# measured against its target is the result, whatever verb states it
AGAINST_TARGET_AFTER = re.compile(r"[，,]\s*(?:比|较|低于|高于|超过|超出)[^，。；,;]{0,4}(?:目标|计划|预期)")
# 2606个撤并村通公路(2013—2017年): an amount set for a span of years ahead is a plan
PLAN_YEARS_AFTER = re.compile(r"[^，。；,;：:()（）]{0,16}[（(](?:19|20)\d\d年?[—–\-~至到](?:19|20)\d\d年?[)）]")


def _model_roles(view: View, qs: list[Quantity]) -> list[Quantity]:
    """Where the rules fell to their default, ask the trained classifier."""
    unsure = [i for i, q in enumerate(qs) if q.role_source == "default"]
    feats = [model.role_features(view.folded, *view.folded_span(qs[i].start, qs[i].end), qs[i].kind)
             for i in unsure]
    preds = model.predict_roles(feats)
    if preds is None:
        return qs
    out = list(qs)
    for i, (role, prob) in zip(unsure, preds):
        if role in ("actual", "target", "rate") and prob >= 0.6:
            out[i] = replace(out[i], role=cast(Role, role), role_source="model")
    return out
