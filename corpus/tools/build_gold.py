"""Write corpus/docs/*.txt and corpus/gold/*.json from the annotations in this folder.

    python corpus/tools/build_gold.py            # build everything, print a review
    python corpus/tools/build_gold.py --quiet

Team documents (team_docs*.py) carry their text; the seed and the government work
reports are standoff: their text is read from ../shared (never copied here) to compute
offsets, and the gold keeps only offsets, annotations and text_sha256.  When ../shared
is absent the standoff gold files already in corpus/gold are left as they are.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from gold_lib import T, build_doc, d, q, review  # noqa: E402

SHARED = (ROOT / ".." / "shared").resolve()
SEED_FILE = "seed/000_91978d1d437a04e2.txt"
GOLD = ROOT / "corpus" / "gold"
DOCS = ROOT / "corpus" / "docs"


def seed_doc(text: str) -> dict[str, Any]:
    per = ("2024-04-01", "2024-06-30")
    tasks = [
        T("1", "1\n\n强化", "土地处置办", ["用途管制科", "土地处置办"]),
        T("2", "2\n开发用好", "矿产保护科", ["矿产保护科"]),
        T("3", "3\n\n坚决遏制", "耕地保护科", ["耕地保护科"]),
    ]
    dates = [
        d("2024年第2季度", "2024-04-01", "2024-06-30", "quarter", occ=1),
        d("6月\n底", "2024-06-30", "2024-06-30", "day", key="jun"),
        d("5月22日", "2024-05-22", "2024-05-22", "day"),
        d("2024年第2季度", "2024-04-01", "2024-06-30", "quarter", occ=2),
        d("2024年第2季度", "2024-04-01", "2024-06-30", "quarter", occ=3),
        d("6月27日", "2024-06-27", "2024-06-27", "day"),
        d("7月15日", "2024-07-15", "2024-07-15", "day", key="jul15"),
        d("1—5月份", "2024-01-01", "2024-05-31", "month", key="m1_5"),
        d("6月18日-20日", "2024-06-18", "2024-06-20", "day"),
        d("6月25日", "2024-06-25", "2024-06-25", "day"),
    ]
    qs = [
        # row 1
        q("2.8\n万亩", "target", "新增建设用地指标", key="t_new"),
        q("1万亩", "target", "工业低效用地", key="t_low"),
        q("2", "target", "新增建设用地指标", anchor="建设用地指标2\n", value=20000.0,
          unit_hint="亩", written_unit=None, unit_inferred=True),
        q("1.23万亩", "actual", "新增建设用地指标", target="t_new"),
        q("1.98万亩", "actual", "批而未供土地", key="pg", date="jun"),
        q("82.5%", "rate", "省任务完成率", of="pg", date="jun"),
        q("4128亩", "actual", "单宗低效用地再开发面积", key="dz", target="t_low", date="jun"),
        q("41.3％", "rate", "完成全年任务", of="dz", date="jun"),
        q("3286亩", "actual", "工业用地连片整治面积", key="lp", date="jun"),
        q("32.9％", "rate", "完成全年任务", of="lp", date="jun"),
        q("2212亩", "actual", "存量闲置土地", date="jun"),
        q("2328亩", "actual", "新增闲置土地", date="jun"),
        q("8069亩", "actual", "闲置土地总量", key="xz", date="jun"),
        q("1.5%", "change", "闲置土地总量", change_of="xz", date="jun"),
        # row 2
        q("2\n宗", "target", "地热采矿权"),
        # row 3
        q("970万亩", "target", "粮食播种面积"),
        q("85亿斤", "target", "粮食产量"),
        q("14.38万\n亩", "actual", "不合理流出耕地面积", key="lc1"),
        q("1.11万亩", "actual", "已整改", of="lc1"),
        q("27.09万亩", "actual", "遥感监测不合理流出耕地面积", key="lc2"),
        q("6.86万亩", "actual", "已整改", of="lc2"),
        q("45536个", "actual", "问题线索", key="xs", date="jul15"),
        q("16.31万亩", "actual", "面积", key="xsm", date="jul15"),
        q("38321个", "actual", "已完成整改", of="xs", date="jul15"),
        q("13.34万亩", "actual", "面积", of="xsm", date="jul15"),
        q("84.16%", "rate", "整改率", of="xs", date="jul15"),
        q("152亩", "actual", "土地卫片新增违法占用耕地", key="wp", date="m1_5"),
        q("89.2%", "change", "土地卫片新增违法占用耕地", change_of="wp", date="m1_5"),
        q("28宗", "actual", "新增乱占耕地建房重点类图斑", key="zf", date="m1_5"),
        q("89.5%", "change", "新增乱占耕地建房重点类图斑", change_of="zf", date="m1_5"),
        q("第9位", "rank", "全省", date="m1_5"),
    ]
    return build_doc("seed", text, quantities=qs, dates=dates, tasks=tasks, period=per,
                     source={"corpus": "seed", "file": SEED_FILE}, standoff=True,
                     genre="progress_table")


def read_seed() -> str | None:
    p = SHARED / "corpus" / SEED_FILE
    if not p.exists():
        return None
    with p.open(encoding="utf-8", newline="") as fh:
        return fh.read()


def read_gwr(year: int) -> str | None:
    p = SHARED / "corpus" / "gwr" / "government_work_reports.jsonl"
    if not p.exists():
        return None
    with p.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec.get("year") is not None and str(rec["year"]) == str(year) \
                    and "决议" not in rec["title"]:
                return str(rec["content"])
    raise KeyError(year)


def write(doc: dict[str, Any], text: str, quiet: bool) -> None:
    GOLD.mkdir(parents=True, exist_ok=True)
    (GOLD / f"{doc['doc_id']}.json").write_text(
        json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if not quiet:
        print(review(doc, text))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quiet", action="store_true")
    ap.add_argument("--only", help="build only doc ids starting with this")
    args = ap.parse_args()
    import gwr_docs
    import team_docs
    DOCS.mkdir(parents=True, exist_ok=True)
    for doc_id, text, builder in team_docs.DOCS:
        if args.only and not doc_id.startswith(args.only):
            continue
        (DOCS / f"{doc_id}.txt").write_text(text, encoding="utf-8", newline="")
        write(builder(doc_id, text), text, args.quiet)
    seed = read_seed()
    if seed is None:
        print("../shared absent: standoff gold left as it is")
        return 0
    if not args.only or "seed".startswith(args.only):
        write(seed_doc(seed), seed, args.quiet)
    for year, builder in gwr_docs.REPORTS.items():
        if args.only and not f"gwr{year}".startswith(args.only):
            continue
        text = read_gwr(year)
        assert text is not None
        write(builder(text), text, args.quiet)
    return 0


if __name__ == "__main__":
    sys.exit(main())
