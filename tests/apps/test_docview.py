"""The document view: ``zhibiao extract --format html`` (and the serve page, in
tests/apps/test_serve.py) shows the text with every quantity and date highlighted by role;
hovering a mention shows its value, unit, indicator and period and outlines its links.
The browser tests drive a real headless Chromium (tests/cdp_browser.py)."""
from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from cdp_browser import CHROMIUM, Browser  # noqa: E402
from helpers import SEED, zhibiao

from pipeline import extract
from pipeline.apps import docview

needs_browser = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed "
                                   "(apt-get install -y chromium)")
HOSTILE = "<script>alert(1)</script>全市新增建设用地1.2万亩，完成全年任务的60%。&amp; <b>x</b>"


@pytest.fixture(scope="module")
def seed_result() -> dict:
    done = zhibiao("extract", SEED, "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def seed_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docview") / "seed.html"
    done = zhibiao("extract", SEED, "--format", "html", "--out", out)
    assert done.returncode == 0, done.stderr
    return out


# --------------------------------------------------------------------------- the HTML

def test_every_mention_is_marked_once(seed_result: dict) -> None:
    frag = docview.fragment(seed_result)
    for m in seed_result["quantities"] + seed_result["dates"]:
        assert frag.count(f"id='{m['id']}'") == 1, m["id"]
    assert frag.count("<mark ") == len(seed_result["quantities"]) + len(seed_result["dates"])


class _TextOnly(HTMLParser):
    """The text of the view, leaving out the labels and hover cards of the marks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        cls = dict(attrs).get("class") or ""
        if self.skip or cls in ("zb-label", "zb-tip"):
            self.skip += tag == "span"

    def handle_endtag(self, tag: str) -> None:
        if self.skip and tag == "span":
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def test_text_is_kept_exactly(seed_result: dict) -> None:
    """Taking the marks' labels and hover cards out gives back the text as written."""
    parser = _TextOnly()
    parser.feed(docview.highlighted_text(seed_result["text"], docview.mentions(seed_result),
                                         docview.task_anchors(seed_result)))
    assert "".join(parser.parts) == seed_result["text"]
    hostile = extract(HOSTILE)
    parser = _TextOnly()
    parser.feed(docview.highlighted_text(HOSTILE, docview.mentions(hostile)))
    assert "".join(parser.parts) == HOSTILE


def test_report_strings_are_escaped() -> None:
    r = extract(HOSTILE, doc_id="<i>evil</i>")
    r["source"] = "<img src=x onerror=alert(1)>.txt"
    page = docview.render_page([r])
    assert "<script>alert(1)</script>" not in page.replace(f"<script>{docview.SCRIPT}</script>", "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page and "<b>x</b>" not in page
    assert "&amp;amp;" in page  # the text's own "&amp;" is shown as written


def test_links_are_listed(seed_result: dict) -> None:
    ms = docview.mentions(seed_result)
    rows = docview.link_rows(ms)
    expected = sum(1 for q in seed_result["quantities"] for k in ("target", "of", "change_of", "date")
                   if q[k])
    assert len(rows) == expected > 0
    frag = docview.fragment(seed_result)
    assert f"<h2>Links ({expected})</h2>" in frag
    q = next(q for q in seed_result["quantities"] if q["target"])
    assert f"href='#{q['id']}'" in frag and f"href='#{q['target']}'" in frag


def test_hover_card_fields(seed_result: dict) -> None:
    q = next(q for q in seed_result["quantities"] if q["text"] == "1.98万亩")
    m = next(m for m in docview.mentions(seed_result) if m.id == q["id"])
    tip = dict(m.tip)
    assert tip["value"] == "19800 亩" and tip["unit"] == "亩"
    period = q.get("period") or seed_result["period"]
    expected = (period["start_date"] if period["start_date"] == period["end_date"]
                else f"{period['start_date']} – {period['end_date']}")
    assert tip["indicator"] == q["indicator"] and tip["period"] == expected
    assert expected.endswith("2024-06-30")
    assert m.label == q["role"]


def test_overlapping_mentions_do_not_break_the_text() -> None:
    r = {"text": "全市新增1.2万亩。", "quantities": [
        {"id": "Q1", "start": 4, "end": 9, "text": "1.2万亩", "value": 12000.0, "unit": "亩",
         "role": "actual"},
        {"id": "Q2", "start": 4, "end": 7, "text": "1.2万", "value": 12000.0, "unit": None,
         "role": "other"}], "dates": []}
    frag = docview.fragment(r)
    assert frag.count("<mark ") == 1 and "。" in frag


def test_several_documents_keep_ids_apart(seed_result: dict) -> None:
    page = docview.render_page([seed_result, seed_result])
    assert "id='d0-Q1'" in page and "id='d1-Q1'" in page and "id='Q1'" not in page


# --------------------------------------------------------------------------- in Chromium

@needs_browser
def test_chromium_shows_marks_coloured_by_role(seed_html: Path, seed_result: dict,
                                                tmp_path: Path) -> None:
    with Browser(tmp_path / "profile") as b:
        b.goto(seed_html.as_uri())
        marks = b.js("""[...document.querySelectorAll('.zb-text mark.zb-ent')].map(e => [e.id,
            e.dataset.label, getComputedStyle(e).backgroundColor,
            getComputedStyle(e.querySelector('.zb-tip')).display])""")
        b.screenshot(tmp_path / "seed.png")
    assert len(marks) == len(seed_result["quantities"]) + len(seed_result["dates"])
    roles = {q["id"]: q["role"] for q in seed_result["quantities"]}
    for mid, label, colour, tip_display in marks:
        assert label == roles.get(mid, "date")
        assert colour == _rgb(docview.COLOURS[label]), (mid, label, colour)
        assert tip_display == "none"  # hover cards hidden until hovered
    assert len({c for _, _, c, _ in marks}) >= 4  # several roles, several colours
    assert (tmp_path / "seed.png").stat().st_size > 10_000


@needs_browser
def test_chromium_hover_shows_card_and_outlines_links(seed_html: Path, seed_result: dict,
                                                      tmp_path: Path) -> None:
    q = next(q for q in seed_result["quantities"] if q["target"])
    with Browser(tmp_path / "profile") as b:
        b.goto(seed_html.as_uri())
        b.hover(f"#{q['id']}")
        card = b.js(f"""(() => {{ const t = document.querySelector('#{q["id"]} > .zb-tip');
            return [getComputedStyle(t).display, t.innerText]; }})()""")
        linked = b.js(f"document.getElementById('{q['target']}').classList.contains('zb-linked')")
        b.hover("h1")
        after = b.js(f"""[getComputedStyle(document.querySelector('#{q["id"]} > .zb-tip')).display,
            document.getElementById('{q['target']}').classList.contains('zb-linked')]""")
    display, text = card
    assert display == "block"
    assert f"value {docview.value_text(q)}" in text and f"unit {q['unit']}" in text
    assert f"indicator {q['indicator']}" in text and "period 2024-" in text
    assert linked is True
    assert after == ["none", False]


def _rgb(hex_colour: str) -> str:
    h = hex_colour.lstrip("#")
    return "rgb({}, {}, {})".format(*(int(h[i:i + 2], 16) for i in (0, 2, 4)))
