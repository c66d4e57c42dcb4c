"""One self-contained HTML page that shows a document with every extracted
number marked: targets and actuals highlighted, numbers seen but not
reported shown faintly with the reason, the section tree as navigation and a
summary table linking to each mark. No network: CSS and script are inline,
and every character of the document is escaped."""
from __future__ import annotations

import html
import json
from typing import TYPE_CHECKING

from .emit import value_phrase as _value_text

if TYPE_CHECKING:  # the models only name types here: no Pydantic at start-up
    from .models import Document, Measure, Section, Target

REJECTION_WORDS = {"no_unit": "no unit", "quoted_name": "name in quotes", "ordinal": "ordinal or per-unit",
                   "set_phrase": "set phrase", "qualifier": "qualifier of what is counted",
                   "enumeration": "enumeration", "duration_name": "duration used as a name",
                   "code": "code or identifier"}

_CSS = """
*{box-sizing:border-box} body{margin:0;font:15px/1.8 "Noto Serif CJK SC","Source Han Serif SC",serif;color:#222}
#nav{position:fixed;top:0;left:0;bottom:0;width:280px;overflow:auto;padding:12px;background:#f6f6f4;
 border-right:1px solid #ddd;font-size:13px;line-height:1.5}
#nav a{color:#234;text-decoration:none} #nav ul{list-style:none;padding-left:14px;margin:2px 0}
#nav .count{color:#888;font-size:11px}
#main{margin-left:280px;margin-right:300px;padding:16px 28px}
#panel{position:fixed;top:0;right:0;bottom:0;width:300px;overflow:auto;padding:12px;background:#fbfbf9;
 border-left:1px solid #ddd;font-size:13px;line-height:1.5}
#doc{white-space:pre-wrap;word-break:break-all}
mark.t{padding:0 1px;border-radius:2px;cursor:pointer}
mark.target{background:#ffe08a} mark.actual{background:#bfe3ff}
mark.t:target,mark.t.focus{outline:2px solid #d33}
span.rej{color:#999;border-bottom:1px dotted #bbb}
table{border-collapse:collapse;width:100%;font-size:13px} td,th{border-bottom:1px solid #eee;padding:2px 6px;
 text-align:left;vertical-align:top} tr.row{cursor:pointer} tr.row:hover{background:#f3f0e0}
.legend span{display:inline-block;padding:0 6px;margin-right:6px;border-radius:2px}
dl{margin:0} dt{color:#888} dd{margin:0 0 6px 0}
h1{font-size:20px} h2{font-size:16px;margin-top:28px}
"""

_SCRIPT = """
(function(){
  var data = JSON.parse(document.getElementById('targets-data').textContent);
  var panel = document.getElementById('detail');
  function esc(s){var d=document.createElement('div');d.textContent=s==null?'':String(s);return d.innerHTML;}
  function show(i){
    var t = data[i]; if(!t) return;
    var rows = [['indicator',t.indicator],['action',t.action],['value',t.value_text],['comparator',t.comparator],
      ['base value',t.base],['kind',t.kind],['modality',t.modality],['section',t.section_path],['measure',t.measure],
      ['text',t.text],['offsets',t.start+'–'+t.end]];
    panel.innerHTML = '<dl>' + rows.map(function(r){return '<dt>'+esc(r[0])+'</dt><dd>'+esc(r[1])+'</dd>';}).join('') + '</dl>';
    document.querySelectorAll('mark.focus').forEach(function(m){m.classList.remove('focus');});
    var m = document.getElementById('t-'+i); if(m){ m.classList.add('focus'); }
  }
  document.querySelectorAll('mark.t').forEach(function(m){
    m.addEventListener('click', function(){ show(+m.dataset.i); });
  });
  document.querySelectorAll('tr.row').forEach(function(r){
    r.addEventListener('click', function(){
      var i = +r.dataset.i, m = document.getElementById('t-'+i);
      if(m){ m.scrollIntoView({block:'center'}); history.replaceState(null,'','#t-'+i); show(i); }
    });
  });
})();
"""


def _tooltip(t: Target) -> str:
    parts = [f"{t.indicator or '?'}", f"{t.action or ''} {_value_text(t)}".strip(),
             f"base {t.base_value:g} {t.base_unit}".strip(), t.kind]
    if t.modality:
        parts.append(t.modality)
    if t.section_path:
        parts.append("§ " + " / ".join(t.section_path))
    return " · ".join(parts)


def _sections_flat(sections: list[Section], path=()):
    for s in sections:
        here = (*path, s.label or s.title)
        yield s, here
        yield from _sections_flat(s.children, here)


def render(doc: Document, text: str) -> str:
    """The page for `doc`, whose offsets index `text`."""
    flat = list(_sections_flat(doc.sections))
    section_ids = {id(s): f"s-{k}" for k, (s, _) in enumerate(flat)}
    measure_ids = {}
    for k, (s, _) in enumerate(flat):
        for j, m in enumerate(s.measures):
            measure_ids[id(m)] = f"m-{k}-{j}"

    # where to open and close markup in the text: (offset, order, html)
    events: list[tuple[int, int, str]] = []
    for s, _ in flat:
        events.append((s.start, 0, f'<a id="{section_ids[id(s)]}"></a>'))
        for m in s.measures:
            events.append((m.start, 0, f'<a id="{measure_ids[id(m)]}"></a>'))
    marked = doc.targets_and_actuals()  # in text order: the marks, the data and the summary share their index
    for i, t in enumerate(marked):
        attrs = f'class="t {t.kind}" id="t-{i}" data-i="{i}" title="{html.escape(_tooltip(t))}"'
        events.append((t.start, 2, f"<mark {attrs}>"))
        events.append((t.end, 1, "</mark>"))
    taken = [(t.start, t.end) for t in marked]
    for r in doc.rejected:
        if any(a < r.end and r.start < b for a, b in taken):
            continue
        why = REJECTION_WORDS.get(r.reason, r.reason)
        events.append((r.start, 2, f'<span class="rej" title="not a target: {html.escape(why)}">'))
        events.append((r.end, 1, "</span>"))
    events.sort(key=lambda e: (e[0], e[1]))

    body, pos = [], 0
    for offset, _, markup in events:
        body.append(html.escape(text[pos:offset]))
        body.append(markup)
        pos = offset
    body.append(html.escape(text[pos:]))

    nav = _nav(doc.sections, section_ids, measure_ids)
    summary = _summary(marked)
    data = [{"indicator": t.indicator, "action": t.action, "value_text": _value_text(t),
             "comparator": t.comparator, "base": f"{t.base_value:g} {t.base_unit}".strip(), "kind": t.kind,
             "modality": t.modality, "section_path": " / ".join(t.section_path), "measure": t.measure,
             "text": t.text, "start": t.start, "end": t.end} for t in marked]
    # no markup characters inside the script element at all: JSON reads \u003c as <
    data_json = (json.dumps(data, ensure_ascii=False)
                 .replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e"))
    title = html.escape(doc.meta.title or doc.meta.source or "plancli")
    counts = {"target": len(doc.targets), "actual": len(doc.actuals)}
    return f"""<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} — plancli</title><style>{_CSS}</style></head>
<body>
<nav id="nav"><b>{title}</b>
<p class="legend"><span style="background:#ffe08a">target {counts['target']}</span><span style="background:#bfe3ff">actual {counts['actual']}</span><span class="rej">not reported {len(doc.rejected)}</span></p>
{nav}</nav>
<aside id="panel"><b>Details</b><p>Click a highlighted number or a row of the summary.</p><div id="detail"></div></aside>
<main id="main">
<h1>{title}</h1>
<div id="doc">{''.join(body)}</div>
<h2 id="summary">Targets by section</h2>
{summary}
</main>
<script type="application/json" id="targets-data">{data_json}</script>
<script>{_SCRIPT}</script>
</body></html>
"""


def _nav(sections: list[Section], section_ids, measure_ids) -> str:
    if not sections:
        return "<p>No sections found.</p>"
    items = []
    for s in sections:
        label = html.escape(f"{s.label} {s.title}".strip())
        inner = "".join(f'<li><a href="#{measure_ids[id(m)]}">{html.escape(m.title)}</a> {_counts(m)}</li>'
                        for m in s.measures)
        children = _nav(s.children, section_ids, measure_ids) if s.children else ""
        items.append(f'<li><a href="#{section_ids[id(s)]}">{label}</a> {_counts(s)}'
                     f'<ul>{inner}</ul>{children}</li>')
    return f"<ul>{''.join(items)}</ul>"


def _counts(block: Section | Measure) -> str:
    """How many targets a block holds, and actuals where it reports any: 3 · 12."""
    actuals = f' · <span title="actuals">{block.actual_count}</span>' if block.actual_count else ""
    return f'<span class="count"><span title="targets">{block.target_count}</span>{actuals}</span>'


def _summary(marked: list[Target]) -> str:
    if not marked:
        return "<p>No quantities found.</p>"
    rows, previous = [], object()
    for i, t in enumerate(marked):
        section = " ".join(x for x in (t.section, t.section_title) if x) or "–"
        if section != previous:
            rows.append(f'<tr><th colspan="5">{html.escape(section)}</th></tr>')
            previous = section
        rows.append(f'<tr class="row" data-i="{i}"><td><a href="#t-{i}">{html.escape(t.indicator or "?")}</a></td>'
                    f"<td>{html.escape(t.action or '')}</td><td>{html.escape(_value_text(t))}</td>"
                    f"<td>{t.kind}</td><td>{html.escape(t.modality or '')}</td></tr>")
    return ('<table id="summary-table"><tr><th>indicator</th><th>action</th><th>value</th><th>kind</th>'
            f"<th>modality</th></tr>{''.join(rows)}</table>")
