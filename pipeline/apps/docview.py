"""Look rather than read: a document's text with every quantity and date highlighted.

In the way displaCy shows entities, each mention is a coloured box with its label,
coloured by role (target, actual, rate, change, rank, other) or as a date.  Hovering a
mention shows its value, unit, indicator and period, and lights up the mentions it is
linked to (its target, the whole it is a share of, the base of a change, its date);
every link is also listed under the text.  Tasks get anchors (``#task-T2``) so a task
page can point into the document.

    zhibiao extract report.pdf --format html --out report.html     (:func:`render_page`)
    zhibiao serve: /-/zhibiao/doc/<doc_id>                          (:func:`fragment`)

Every string from a report is escaped here (``html.escape``); the fragment is safe to
insert into a page as it is.
"""
from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from pipeline.core.vocab import LINK_TYPES, ROLES

#: background colours by label, chosen to stay apart for the common colour blindnesses
COLOURS = {"target": "#9ecae1", "actual": "#a1d99b", "rate": "#fdd0a2", "change": "#dadaeb",
           "rank": "#d9b38c", "other": "#e0e0e0", "date": "#c7e9e9"}
LINK_NAMES = {"target": "target", "of": "share of", "change_of": "change of", "date": "stated at"}
CJK_FONT_FILE = "NotoSansCJKsc-Regular.otf"  # shipped by the mplfonts package (a dependency)


def cjk_font_path() -> Path | None:
    """Noto Sans CJK SC from the ``mplfonts`` package, or None when it is not installed."""
    try:
        path = Path(str(resources.files("mplfonts").joinpath("fonts", CJK_FONT_FILE)))
    except ModuleNotFoundError:
        return None
    return path if path.is_file() else None


def font_face(url: str | None) -> str:
    """CSS for the family ``zhibiao CJK``: a CJK font of the system when there is one,
    else the bundled font at ``url`` (fetched only for CJK characters)."""
    src = ", ".join(f'local("{n}")' for n in ("Noto Sans CJK SC", "Source Han Sans SC",
                                             "PingFang SC", "Microsoft YaHei", "WenQuanYi Zen Hei"))
    if url:
        src += f', url("{url}") format("opentype")'
    return ("@font-face { font-family: 'zhibiao CJK'; " f"src: {src}; "
            "unicode-range: U+2E80-9FFF, U+F900-FAFF, U+FE30-FE4F, U+FF00-FFEF; }\n")


@dataclass(frozen=True)
class Mention:
    """One highlighted span: a quantity (label = its role) or a date (label = date)."""
    id: str
    start: int
    end: int
    label: str
    tip: tuple[tuple[str, str], ...]          # (field, value) lines of the hover card
    links: tuple[tuple[str, str], ...] = ()   # (link type, id of the linked mention)


@dataclass(frozen=True)
class Anchor:
    """A zero-width anchor in the text (a task's start)."""
    id: str
    at: int


def _num(v: float | None) -> str:
    if v is None:
        return ""
    return str(int(v)) if float(v).is_integer() else f"{v:.6g}"


def value_text(q: dict[str, Any]) -> str:
    """``28000 亩``, ``>=3000–5000 亩``, ``-89.2 %``: the value in the base unit.

    >>> value_text({"value": 28000.0, "unit": "亩", "qualifier": "="})
    '28000 亩'
    >>> value_text({"value": None, "low": 3000.0, "high": 5000.0, "unit": "亩", "qualifier": "~"})
    '~3000–5000 亩'
    """
    if q.get("value") is None and (q.get("low") is not None or q.get("high") is not None):
        num = f"{_num(q.get('low'))}–{_num(q.get('high'))}"
    else:
        num = _num(q.get("value"))
    qual = "" if q.get("qualifier") in (None, "=") else q["qualifier"]
    return f"{qual}{num} {q.get('unit') or ''}".strip()


def _period(p: dict[str, Any] | None) -> str:
    if not p or not (p.get("start_date") or p.get("end_date")):
        return ""
    s, e = p.get("start_date") or "?", p.get("end_date") or "?"
    return s if s == e else f"{s} – {e}"


def mentions(result: dict[str, Any]) -> list[Mention]:
    """The mentions of a contract dict (``pipeline.extract`` output), in text order."""
    dates = {d["id"]: d for d in result.get("dates") or []}
    tasks = {t["id"]: t for t in result.get("tasks") or []}
    out = []
    for q in result.get("quantities") or []:
        linked = dates.get(q.get("date") or "")
        task = tasks.get(q.get("task") or "")
        period = (_period(q.get("period")) or _period(linked) or _period(task and task.get("period"))
                  or _period(result.get("period")))
        tip = [("value", value_text(q) + (" (unit inferred)" if q.get("unit_inferred") else "")),
               ("unit", q.get("unit") or "?"), ("as written", " ".join((q.get("text") or "").split())),
               ("role", q.get("role") or "other"), ("indicator", q.get("indicator") or "–"),
               ("period", period or "–")]
        if task:
            tip.append(("task", f"{task['id']} {' '.join((task.get('title') or '').split())[:40]}"))
        links = tuple((kind, q[kind]) for kind in LINK_TYPES if q.get(kind))
        label = q.get("role") if q.get("role") in ROLES else "other"
        out.append(Mention(q["id"], q["start"], q["end"], label, tuple(tip), links))
    for d in result.get("dates") or []:
        tip = (("date", " ".join((d.get("text") or "").split())), ("period", _period(d) or "?"),
               ("grain", d.get("grain") or "?"))
        out.append(Mention(d["id"], d["start"], d["end"], "date", tip))
    return sorted(out, key=lambda m: (m.start, -m.end, m.id))


def task_anchors(result: dict[str, Any]) -> list[Anchor]:
    return [Anchor(f"task-{t['id']}", t["start"]) for t in result.get("tasks") or []
            if t.get("start") is not None]


def _mark(text: str, m: Mention, prefix: str) -> str:
    esc = html.escape
    tip = "".join(f"<span class='zb-tip-row'><b>{esc(k)}</b> {esc(v)}</span>" for k, v in m.tip)
    title = "; ".join(f"{k}: {v}" for k, v in m.tip)
    linked = " ".join(prefix + i for _, i in m.links)
    return (f"<mark class='zb-ent zb-{esc(m.label)}' id='{esc(prefix + m.id)}' tabindex='0' "
            f"data-label='{esc(m.label)}' data-links='{esc(linked)}' title='{esc(title)}'>"
            f"{esc(text[m.start:m.end])}<span class='zb-label'>{esc(m.label)}</span>"
            f"<span class='zb-tip' role='tooltip'>{tip}</span></mark>")


def highlighted_text(text: str, ms: Iterable[Mention], anchors: Iterable[Anchor] = (),
                     prefix: str = "") -> str:
    """The text as HTML with each mention marked; a mention overlapping an earlier one
    is left unmarked (it is still listed under the text)."""
    events = sorted([(a.at, 0, a) for a in anchors] + [(m.start, 1, m) for m in ms],
                    key=lambda e: (e[0], e[1]))
    parts, pos = [], 0
    for at, kind, item in events:
        if at < pos or at > len(text):
            continue
        parts.append(html.escape(text[pos:at]))
        pos = at
        if kind == 0:
            parts.append(f"<a class='zb-anchor' id='{html.escape(prefix + item.id)}'></a>")
        elif item.end <= len(text) and item.end > item.start:
            parts.append(_mark(text, item, prefix))
            pos = item.end
    parts.append(html.escape(text[pos:]))
    return "".join(parts)


def link_rows(ms: list[Mention]) -> list[tuple[Mention, str, Mention]]:
    """(from, link name, to) for every link whose both ends are mentions here."""
    by_id = {m.id: m for m in ms}
    return [(m, LINK_NAMES.get(kind, kind), by_id[to]) for m in ms for kind, to in m.links
            if to in by_id]


def _short(text: str, m: Mention) -> str:
    return html.escape(" ".join(text[m.start:m.end].split()))


def legend(ms: list[Mention]) -> str:
    counts = {label: sum(1 for m in ms if m.label == label) for label in (*ROLES, "date")}
    items = "".join(f"<span class='zb-ent zb-{k}'>{k} <b>{n}</b></span> "
                    for k, n in counts.items() if n)
    return f"<p class='zb-legend'>{items}</p>"


def fragment(result: dict[str, Any], prefix: str = "") -> str:
    """The view of one document as an HTML fragment: legend, text, links table.
    ``prefix`` keeps element ids apart when several documents share a page."""
    text = result.get("text") or ""
    ms = mentions(result)
    rows = link_rows(ms)
    link_html = "".join(
        f"<tr><td><a href='#{html.escape(prefix + a.id)}' class='zb-ent zb-{a.label}'>{a.id} "
        f"{_short(text, a)}</a></td><td>{html.escape(name)}</td>"
        f"<td><a href='#{html.escape(prefix + b.id)}' class='zb-ent zb-{b.label}'>{b.id} "
        f"{_short(text, b)}</a></td></tr>" for a, name, b in rows)
    links = (f"<table class='zb-links'><thead><tr><th>mention</th><th>link</th><th>to</th>"
             f"</tr></thead><tbody>{link_html}</tbody></table>" if rows else
             "<p class='zb-muted'>No links between the mentions of this document.</p>")
    return (f"<div class='zb-doc'>{legend(ms)}"
            f"<div class='zb-text'>{highlighted_text(text, ms, task_anchors(result), prefix)}</div>"
            f"<h2>Links ({len(rows)})</h2>{links}</div>")


STYLE = """
.zb-text { white-space: pre-wrap; line-height: 2.3; font-size: 16px; max-width: 60em;
           font-family: "zhibiao CJK", sans-serif; }
.zb-doc, .zb-page { font-family: "zhibiao CJK", sans-serif; }
.zb-ent { position: relative; padding: 0.15em 0.3em; border-radius: 0.35em;
          color: #111; text-decoration: none; box-decoration-break: clone;
          -webkit-box-decoration-break: clone; }
.zb-label { font-size: 0.62em; font-weight: bold; text-transform: uppercase;
            margin-left: 0.35em; vertical-align: middle; opacity: 0.75; }
.zb-tip { display: none; position: absolute; left: 0; top: 1.9em; z-index: 10;
          background: #fff; border: 1px solid #999; border-radius: 4px; padding: 0.4em 0.6em;
          box-shadow: 0 2px 6px rgba(0,0,0,0.25); white-space: nowrap; line-height: 1.5;
          font-size: 13px; }
.zb-tip-row { display: block; }
.zb-ent:hover > .zb-tip, .zb-ent:focus > .zb-tip { display: block; }
.zb-ent.zb-linked { outline: 3px solid #e6550d; }
.zb-ent:hover, .zb-ent:focus { outline: 3px solid #333; }
.zb-legend .zb-ent { margin-right: 0.5em; }
.zb-links td { padding: 0.2em 0.6em; }
.zb-muted { color: #666; }
""" + "".join(f".zb-{k} {{ background: {v}; }}\n" for k, v in COLOURS.items())

#: hovering (or focusing) a mention outlines the mentions it links to
SCRIPT = """
document.addEventListener("DOMContentLoaded", function () {
  function mark(el, on) {
    (el.dataset.links || "").split(" ").forEach(function (id) {
      var t = id && document.getElementById(id);
      if (t) { t.classList.toggle("zb-linked", on); }
    });
  }
  document.querySelectorAll(".zb-text .zb-ent").forEach(function (el) {
    ["mouseenter", "focus"].forEach(function (ev) { el.addEventListener(ev, function () { mark(el, true); }); });
    ["mouseleave", "blur"].forEach(function (ev) { el.addEventListener(ev, function () { mark(el, false); }); });
  });
});
"""


def render_page(results: list[dict[str, Any]]) -> str:
    """A standalone HTML page of one or more extraction results."""
    sections = []
    for i, r in enumerate(results):
        title = html.escape(r.get("source") or r.get("doc_id") or "(text)")
        period = _period(r.get("period"))
        head = f"<h1>{title}</h1>" + (f"<p class='zb-muted'>period {html.escape(period)}</p>"
                                      if period else "")
        errors = "".join(f"<p class='zb-error'>error {html.escape(str(e.get('code')))}: "
                         f"{html.escape(str(e.get('message')))}</p>" for e in r.get("errors") or [])
        prefix = f"d{i}-" if len(results) > 1 else ""
        sections.append(f"<section>{head}{errors}{fragment(r, prefix)}</section>")
    font = cjk_font_path()
    face = font_face(font.as_uri() if font else None)
    return ("<!DOCTYPE html>\n<html lang='zh'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>zhibiao: {len(results)} document(s)</title><style>{face}{STYLE}</style>"
            f"<script>{SCRIPT}</script></head><body class='zb-page'>{''.join(sections)}</body></html>\n")
