"""Charts of a series (``zhibiao series KEY --out chart.png``) with a CJK font, so that
Chinese labels draw on machines without one."""
from __future__ import annotations

import sys
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib import font_manager

from pipeline.apps import docview


def plot_series(rows: list[dict[str, Any]], key: str, out: str) -> None:
    """Values over time in the indicator's most common unit: actuals (and other roles) as
    lines with markers, targets as dashed lines."""
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # pyplot: once the Agg backend is chosen

    units = Counter(r["unit"] for r in rows if r["value"] is not None)
    unit = units.most_common(1)[0][0] if units else None
    cjk = cjk_fonts()
    if cjk:
        plt.rcParams["font.sans-serif"] = cjk + list(plt.rcParams["font.sans-serif"])
    else:
        print("zhibiao: no CJK font found (reinstall zhibiao to get mplfonts, or install "
              "fonts-noto-cjk); Chinese labels in the chart will show as boxes", file=sys.stderr)
    fig, ax = plt.subplots(figsize=(8, 4.5))
    labels = sorted({x_label(r) for r in rows})
    pos = {lab: i for i, lab in enumerate(labels)}
    by_role: dict[str, list[tuple[int, float]]] = {}
    targets: list[tuple[int, float]] = []
    regions = {r.get("region") for r in rows}
    for r in rows:
        x = pos[x_label(r)]
        if r["value"] is not None and r["unit"] == unit:
            # one line per role and, when the documents come from several places, per region
            name = r["role"] or "other"
            if len(regions) > 1:
                name = f"{r.get('region') or '?'} {name}"
            by_role.setdefault(name, []).append((x, r["value"]))
        if r["target_value"] is not None and r["target_unit"] == unit:
            targets.append((x, r["target_value"]))
    for role, pts in sorted(by_role.items()):
        pts.sort()
        style = "--" if role.endswith("target") else "-"
        ax.plot([p[0] for p in pts], [p[1] for p in pts], style, marker="o", label=role)
    if targets:
        targets.sort()
        ax.plot([p[0] for p in targets], [p[1] for p in targets], ":", marker="x",
                label="target of actual")
    ax.set_xticks(range(len(labels)))
    ax.set_xticklabels(labels, rotation=30, ha="right", fontsize=8)
    ax.set_ylabel(unit or "")
    ax.set_title(key)
    ax.legend()
    with warnings.catch_warnings():
        if not cjk:  # reported once above, not once per missing glyph
            warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        fig.tight_layout()
        fig.savefig(out)
    plt.close(fig)


def add_bundled_cjk_font() -> str | None:
    """Register Noto Sans CJK SC from the ``mplfonts`` package (a dependency) with
    matplotlib, so a machine without CJK system fonts still draws Chinese; returns the
    family name, or None when the font file is not there."""
    path = docview.cjk_font_path()
    if path is None:
        return None
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def cjk_fonts() -> list[str]:
    """Font families that cover Chinese, best first: the bundled Noto Sans CJK SC, then
    any installed on the system."""
    bundled = add_bundled_cjk_font()
    names = {f.name for f in font_manager.fontManager.ttflist}
    wanted = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei",
              "WenQuanYi Micro Hei", "SimHei", "Microsoft YaHei", "PingFang SC",
              "AR PL UMing CN", "Droid Sans Fallback")
    found = [n for n in wanted if n in names] + sorted(n for n in names if "CJK" in n and n not in wanted)
    return ([bundled] if bundled else []) + [n for n in found if n != bundled]


def x_label(r: dict[str, Any]) -> str:
    return r["date_end"] or Path(r["source"]).name

