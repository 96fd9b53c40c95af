"""Jinja templates of the zhibiao pages, extending Datasette's ``base.html``.

Kept as strings so they ship with the code (no package data).  Datasette's Jinja
environment autoescapes: every value from a report is escaped.  The one exception is the
document view (``DOC``): its ``view`` is HTML that :mod:`pipeline.apps.docview` built with
every report string already escaped, so it is inserted with ``|safe``.
"""
from __future__ import annotations

STYLE = """
<style>
.zb-muted { color: #666; font-size: 0.9em; }
.zb-bar { position: relative; background: #e8e8e8; border-radius: 4px; height: 1.6em;
          max-width: 40em; margin: 0.2em 0 0.8em 0; overflow: hidden; }
.zb-fill { background: #2e7d32; height: 100%; }
.zb-fill.zb-over { background: #1565c0; }
.zb-bar-label { position: absolute; left: 0.5em; top: 0.15em; font-weight: bold;
                color: #111; text-shadow: 0 0 3px #fff; }
.zb-flag { color: #b71c1c; font-weight: bold; }
.zb-ok { color: #2e7d32; }
tr.zb-failed td { background: #ffebee; }
mark { background: #fff59d; }
.zb-tasks { margin: 0.2em 0 1em 1.5em; }
.zb-nav a { margin-right: 1em; }
td.zb-num { text-align: right; white-space: nowrap; }
</style>
"""

INDEX = """{% extends "base.html" %}
{% block title %}zhibiao: documents and tasks{% endblock %}
{% block extra_head %}""" + STYLE + """{% endblock %}
{% block content %}
<h1>zhibiao: documents and tasks</h1>
<p>{{ totals.documents }} documents, {{ totals.tasks }} tasks, {{ totals.quantities }} quantities,
{{ totals.checks }} checks
(<span class="{{ 'zb-flag' if totals.failed_checks else 'zb-ok' }}">{{ totals.failed_checks }} failed</span>),
{{ totals.errors }} errors.</p>

<form action="{{ db_url }}/short_search" method="get">
  <label for="zb-q">Search indicators, sentences and task titles:</label>
  <input type="search" id="zb-q" name="q" placeholder="批而未供">
  <input type="submit" value="Search">
</form>
<p class="zb-nav">
  <a href="{{ db_url }}/progress">Progress against target</a>
  <a href="{{ db_url }}/failed_checks">Checks that do not add up</a>
  <a href="{{ db_url }}/quantities">All quantities</a>
  <a href="{{ db_url }}">The database</a>
</p>

<h2>Documents</h2>
{% if not documents %}<p>No documents on this page.</p>{% endif %}
{% for d in documents %}
<h3>{{ d.source }} <a class="zb-doclink" href="{{ d.url }}">view the document</a></h3>
<p class="zb-muted">doc_id {{ d.doc_id or "–" }}{% if d.period %} · period {{ d.period }}{% endif %}
 · {{ d.chars }} characters · {{ d.quantities }} quantities
 {% if d.failed_checks %} · <span class="zb-flag">{{ d.failed_checks }} failed checks</span>{% endif %}</p>
{% if d.tasks %}
<ol class="zb-tasks">
{% for t in d.tasks %}
  <li><a href="{{ t.url }}">{{ t.tid }}{% if t.seq %} ({{ t.seq }}){% endif %}: {{ t.title or "(untitled)" }}</a>
  <span class="zb-muted">{{ t.quantities }} quantities{% if t.departments %} · {{ t.departments }}{% endif %}</span>
  {% if t.failed_checks %}<span class="zb-flag">{{ t.failed_checks }} flagged</span>{% endif %}</li>
{% endfor %}
</ol>
{% else %}<p class="zb-muted">No tasks.</p>{% endif %}
{% endfor %}
<p class="zb-nav">
{% if prev_offset is not none %}<a href="?offset={{ prev_offset }}">← previous documents</a>{% endif %}
{% if next_offset is not none %}<a href="?offset={{ next_offset }}">next documents →</a>{% endif %}
</p>
{% endblock %}
"""

TASK = """{% extends "base.html" %}
{% block title %}{{ task.tid }} · {{ document.source }}{% endblock %}
{% block extra_head %}""" + STYLE + """{% endblock %}
{% block content %}
<p class="zb-nav"><a href="{{ index_url }}">← all documents and tasks</a>
{% if prev %}<a href="{{ prev }}">← previous task</a>{% endif %}
{% if next %}<a href="{{ next }}">next task →</a>{% endif %}</p>
<h1>{{ task.tid }}{% if task.seq %} ({{ task.seq }}){% endif %}: {{ task.title or "(untitled)" }}</h1>
<p class="zb-muted">{{ document.source }}{% if document.doc_id %} · doc_id {{ document.doc_id }}{% endif %}
{% if task.period or document.period %} · period {{ task.period or document.period }}{% endif %}
{% if task.departments %} · {{ task.departments | join("、") }}{% endif %}
 · <a class="zb-doclink" href="{{ document.url }}">this task in the document</a></p>

<h2>Progress against target</h2>
{% if bars %}
{% for b in bars %}
<div class="zb-progress">
  <div><strong>{{ b.indicator or b.qid }}</strong>: {{ b.actual }} of {{ b.target }}
  {% if b.date %}<span class="zb-muted">({{ b.date }})</span>{% endif %}</div>
  <div class="zb-bar" role="progressbar" aria-valuemin="0" aria-valuemax="100"
       aria-valuenow="{{ b.label[:-1] }}" aria-label="{{ b.actual }} of {{ b.target }}">
    <div class="zb-fill{% if b.over %} zb-over{% endif %}" style="width: {{ b.width }}%"></div>
    <span class="zb-bar-label">{{ b.label }}</span>
  </div>
</div>
{% endfor %}
{% else %}<p>No actual of this task is linked to a target in the same unit.</p>{% endif %}

<h2>Checks{% if flagged %} <span class="zb-flag">({{ flagged }} flagged)</span>{% endif %}</h2>
{% if checks %}
<table class="rows-and-columns">
<thead><tr><th>status</th><th>rule</th><th>quantities</th><th>expected</th><th>reported</th><th>message</th></tr></thead>
<tbody>
{% for c in checks %}
<tr class="{{ 'zb-ok-row' if c.ok else 'zb-failed' }}">
  <td>{% if c.ok %}<span class="zb-ok">ok</span>{% else %}<span class="zb-flag">flagged</span>{% endif %}</td>
  <td>{{ c.rule }}</td><td>{{ c.quantities }}</td>
  <td class="zb-num">{{ c.expected }}</td><td class="zb-num">{{ c.reported }}</td><td>{{ c.message }}</td>
</tr>
{% endfor %}
</tbody></table>
{% else %}<p>No checks over this task's quantities.</p>{% endif %}

<h2>Quantities</h2>
{% if quantities %}
<table class="rows-and-columns">
<thead><tr><th>id</th><th>indicator</th><th>role</th><th>as written</th><th>value</th>
<th>target</th><th>progress</th><th>date</th><th>sentence</th></tr></thead>
<tbody>
{% for q in quantities %}
<tr class="{{ 'zb-failed' if q.failed_check else '' }}">
  <td>{{ q.qid }}</td><td>{{ q.indicator }}</td><td>{{ q.role }}</td>
  <td>{{ q.written }}</td><td class="zb-num">{{ q.normalised }}</td>
  <td>{{ q.target }}</td>
  <td class="zb-num">{% if q.progress is not none %}{{ "%.1f" | format(q.progress) }}%{% endif %}</td>
  <td>{{ q.date }}</td>
  <td>{{ q.before }}<mark>{{ q.mention }}</mark>{{ q.after }}</td>
</tr>
{% endfor %}
</tbody></table>
{% else %}<p>No quantities in this task.</p>{% endif %}
{% endblock %}
"""

CHOOSE = """{% extends "base.html" %}
{% block title %}Which document?{% endblock %}
{% block content %}
<h1>Several documents have doc_id {{ key }}</h1>
<ul>
{% for d in choices %}<li><a href="{{ d.url }}">{{ d.source }}</a></li>{% endfor %}
</ul>
<p><a href="{{ index_url }}">← all documents and tasks</a></p>
{% endblock %}
"""

DOC = """{% extends "base.html" %}
{% block title %}{{ document.source }}{% endblock %}
{% block extra_head %}""" + STYLE + """<style>{{ style | safe }}</style>
<script>{{ script | safe }}</script>{% endblock %}
{% block content %}
<p class="zb-nav"><a href="{{ index_url }}">← all documents and tasks</a></p>
<h1>{{ document.source }}</h1>
<p class="zb-muted">{% if document.doc_id %}doc_id {{ document.doc_id }} · {% endif %}
{% if document.period %}period {{ document.period }} · {% endif %}
{{ counts.quantities }} quantities, {{ counts.dates }} dates.
Hover a mention for its value, unit, indicator and period; the mentions it is linked to
are outlined.</p>
{% if tasks %}<p class="zb-nav">Tasks:
{% for t in tasks %}<a href="{{ t.url }}" title="{{ t.title }}">{{ t.tid }}</a>{% endfor %}</p>{% endif %}
{{ view | safe }}
{% endblock %}
"""
