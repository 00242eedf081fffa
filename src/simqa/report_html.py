"""One self-contained HTML evaluation report (inline CSS, SVG and script; no external assets)."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from simqa.plots import curves, grouped_bars, histogram
from simqa.reporting import format_value

TYPE_SERIES = ("answer@1", "answer@3", "coverage@0.5", "status_accuracy")

CSS = """
body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1200px;padding:1rem 1.5rem;
color:#1d232a}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #dde;padding:.35rem .5rem;
vertical-align:top;text-align:left}th{background:#f4f6f9}
.metrics td.v{text-align:right;font-variant-numeric:tabular-nums}
.meta{color:#555;font-size:.9rem}.plots{display:flex;flex-wrap:wrap;gap:1rem}
.plot{box-sizing:border-box;background:#fff;border:1px solid #dde;width:calc(50% - .5rem);
min-width:320px;height:auto}
.plot .grid{stroke:#eee}.plot .tick{font-size:11px;fill:#555}.plot .axis-label{font-size:12px}
.plot .legend{font-size:12px}.plot .marker-label{font-size:11px;fill:#c0392b}
tr.fail{background:#fff5f4}tr.fail td:first-child{border-left:4px solid #c0392b}
tr.pass td:first-child{border-left:4px solid #3c9a5f}
blockquote{margin:.2rem 0;padding:.2rem .5rem;border-left:3px solid #2f6db3;background:#f7f9fc}
blockquote.related{border-color:#aaa;color:#555}blockquote.bad{border-color:#c0392b}
.src{font-size:.8rem;color:#555}.filters{display:flex;gap:.8rem;flex-wrap:wrap;margin:.5rem 0}
.better{color:#2d7a4b}.worse{color:#b03a2e}code{font-size:.85rem}
"""

SCRIPT = """
(function(){
  const $=id=>document.getElementById(id);
  const rows=[...document.querySelectorAll('#items tbody tr')];
  const text=$('filter-text'), status=$('filter-status'), type=$('filter-type'),
        fails=$('filter-failed'), shown=$('shown');
  function apply(){
    const q=text.value.trim().toLowerCase(); let n=0;
    for(const r of rows){
      const ok=(!q||r.textContent.toLowerCase().includes(q))
        &&(!status.value||r.dataset.status===status.value)
        &&(!type.value||r.dataset.type===type.value)
        &&(!fails.checked||r.dataset.failed==='1');
      r.hidden=!ok; if(ok)n++;
    }
    shown.textContent=n;
  }
  for(const el of [text,status,type,fails]){
    el.addEventListener('input',apply); el.addEventListener('change',apply);
  }
  apply();
})();
"""


def render(data: dict[str, Any], comparison: dict[str, Any] | None = None) -> str:
    dataset = data["dataset"]
    title = f"simqa eval: {dataset['name']} ({data['system']})"
    parts = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
             f"<meta name='viewport' content='width=device-width,initial-scale=1'>"
             f"<title>{escape(title)}</title><style>{CSS}</style></head><body>",
             f"<h1>{escape(title)}</h1>", _meta(data)]
    if dataset["problems"]:
        parts.append(f"<p><strong>{len(dataset['problems'])} malformed line(s) skipped:</strong>"
                     "</p><ul>" + "".join(f"<li><code>{escape(p)}</code></li>"
                                          for p in dataset["problems"]) + "</ul>")
    parts += ["<h2>Summary</h2>", _metrics_table(data)]
    if comparison:
        parts.append(_comparison(comparison))
    parts += ["<h2>Plots</h2><div class='plots'>", _type_plot(data), _sweep_plot(data),
              _latency_plot(data), "</div>", _type_table(data), _items_table(data),
              f"<script>{SCRIPT}</script></body></html>"]
    return "\n".join(parts)


def write_html(data: dict[str, Any], path: str | Path,
               comparison: dict[str, Any] | None = None) -> None:
    Path(path).write_text(render(data, comparison), encoding="utf-8")


def _meta(data: dict[str, Any]) -> str:
    meta = data["meta"]
    keys = ("simqa_version", "git_commit", "model", "corpus_version", "corpus_dir",
            "abstain_threshold", "started_at", "duration_s", "load_s")
    cells = " · ".join(f"{k}: <code>{escape(str(meta[k]))}</code>" for k in keys if k in meta)
    return f"<p class='meta'>{data['dataset']['items']} questions from " \
           f"<code>{escape(data['dataset']['path'])}</code><br>{cells}</p>"


def _metrics_table(data: dict[str, Any]) -> str:
    rows = "".join(
        f"<tr><td><code>{escape(k)}</code></td><td class='v'>{format_value(k, v)}</td>"
        f"<td class='v'>{data['counts'][k]}</td><td>{escape(data['labels'][k])}</td></tr>"
        for k, v in data["metrics"].items())
    return ("<table class='metrics' id='summary'><thead><tr><th>metric</th><th>value</th>"
            f"<th>n</th><th>meaning</th></tr></thead><tbody>{rows}</tbody></table>")


def _comparison(diff: dict[str, Any]) -> str:
    rows = "".join(
        f"<tr><td><code>{escape(k)}</code></td><td class='v'>{d['old']:.3f}</td>"
        f"<td class='v'>{d['new']:.3f}</td><td class='v'>{d['delta']:+.3f}</td></tr>"
        for k, d in diff["metrics"].items())
    lists = "".join(
        f"<p class='{label}'>{len(diff[label])} question(s) got {label}: "
        + ", ".join(f"<code>{escape(e['id'])}</code>" for e in diff[label]) + "</p>"
        for label in ("better", "worse"))
    return ("<h2>Against the baseline</h2><table class='metrics' id='comparison'><thead><tr>"
            "<th>metric</th><th>baseline</th><th>now</th><th>change</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>{lists}")


def _type_table(data: dict[str, Any]) -> str:
    by_type = data["by_type"]
    if len(by_type) < 2:
        return ""
    names = [m for m in data["metrics"] if any(m in v for v in by_type.values())]
    head = "".join(f"<th>{escape(m)}</th>" for m in names)
    rows = "".join(
        f"<tr><td>{escape(kind)}</td><td class='v'>{data['type_counts'][kind]}</td>"
        + "".join(f"<td class='v'>{format_value(m, values[m])}</td>" if m in values
                  else "<td class='v'>-</td>" for m in names) + "</tr>"
        for kind, values in by_type.items())
    return ("<h2>Per question type</h2><div style='overflow-x:auto'><table class='metrics' "
            f"id='by-type'><thead><tr><th>type</th><th>n</th>{head}</tr></thead>"
            f"<tbody>{rows}</tbody></table></div>")


def _type_plot(data: dict[str, Any]) -> str:
    by_type = data["by_type"]
    groups = list(by_type)
    series = {m: [by_type[g].get(m) for g in groups] for m in TYPE_SERIES
              if any(m in by_type[g] for g in groups)}
    return grouped_bars("plot-types", "Scores per question type", groups, series)


def _sweep_plot(data: dict[str, Any]) -> str:
    rows = data["sweep"]["rows"]
    threshold = data["sweep"]["configured_threshold"]
    xs = [r["threshold"] for r in rows]
    names = {"answer accuracy": "answer_accuracy", "abstention accuracy": "abstention_accuracy",
             "wrongly abstained": "wrongly_abstained"}
    series = {label: [r[key] for r in rows] for label, key in names.items()
              if rows and all(r[key] is not None for r in rows)}
    label = "" if threshold is None else f"configured {threshold:g}"
    return curves("plot-sweep", "Answer vs abstention accuracy across abstention thresholds",
                  xs, series, marker=threshold, marker_label=label,
                  x_label="abstention threshold (answer iff top quote score >= threshold)")


def _latency_plot(data: dict[str, Any]) -> str:
    seconds = [i["seconds"] for i in data["items"]]
    return histogram("plot-latency", "Latency per question", seconds, x_label="milliseconds",
                     scale=1000.0, unit="ms")


def _quote(q: dict[str, Any]) -> str:
    css = "related" if q["role"] == "related" else ("" if q["verbatim"] else "bad")
    check = "" if q["verbatim"] else " <strong>NOT VERBATIM</strong>"
    return (f"<blockquote class='{css}'>{escape(q['text'])}<div class='src'>{escape(q['role'])}"
            f" · <code>{escape(q['source_id'])}</code> {q['start']}-{q['end']} · score "
            f"{q['score']:.3f}{check}</div></blockquote>")


def _gold(gold: dict[str, Any]) -> str:
    parts = []
    if gold["answers"]:
        parts.append("<div>answers: " + " | ".join(f"<q>{escape(a)}</q>" for a in gold["answers"])
                     + "</div>")
    for e in gold["evidence"]:
        quote = f"{escape(e['quote'])}" if e["quote"] else "(document)"
        parts.append(f"<blockquote>{quote}<div class='src'><code>{escape(e['doc'])}</code>"
                     "</div></blockquote>")
    for s in gold["spans"]:
        parts.append(f"<div class='src'>span <code>{escape(s['doc'])}</code> "
                     f"{s['start']}-{s['end']}</div>")
    if gold["relevant_docs"]:
        docs = sorted(gold["relevant_docs"].items(), key=lambda kv: (-kv[1], kv[0]))
        parts.append("<div class='src'>relevant: " + ", ".join(
            f"<code>{escape(d)}</code>({g})" for d, g in docs[:20])
            + (" …" if len(docs) > 20 else "") + "</div>")
    return "".join(parts) or "<span class='src'>no answer expected</span>"


def _options(values: list[str]) -> str:
    return "".join(f"<option value='{escape(v)}'>{escape(v)}</option>" for v in values)


def _items_table(data: dict[str, Any]) -> str:
    items = sorted(data["items"], key=lambda i: (not i["failed"],))  # failures first, stable
    statuses = sorted({i["status"] for i in items})
    types = sorted({i["type"] for i in items})
    rows = []
    for i in items:
        scores = ", ".join(f"{k} {v:.2f}" for k, v in i["scores"].items() if v is not None)
        ranked = ""
        if i["ranked_docs"]:
            ranked = "<div class='src'>ranked: " + ", ".join(
                f"<code>{escape(d)}</code>" for d in i["ranked_docs"]) + "</div>"
        rows.append(
            f"<tr class='{'fail' if i['failed'] else 'pass'}' data-status='{escape(i['status'])}'"
            f" data-type='{escape(i['type'])}' data-failed='{int(i['failed'])}'>"
            f"<td><code>{escape(i['id'])}</code><div class='src'>{escape(i['type'])}</div></td>"
            f"<td>{escape(i['question'])}<div class='src'>expected {escape(i['expected_status'])}"
            f", got <strong>{escape(i['status'])}</strong> · {i['seconds'] * 1000:.0f} ms</div>"
            f"<div class='src'>{escape(i.get('message', ''))}</div>"
            f"<div class='src'>{escape(scores)}</div></td>"
            f"<td>{''.join(_quote(q) for q in i['quotes'])}{ranked}</td>"
            f"<td>{_gold(i['gold'])}</td></tr>")
    return (
        "<h2>Questions</h2><div class='filters'>"
        "<label>search <input id='filter-text' type='search'></label>"
        f"<label>status <select id='filter-status'><option value=''>any</option>"
        f"{_options(statuses)}</select></label>"
        f"<label>type <select id='filter-type'><option value=''>any</option>{_options(types)}"
        "</select></label><label><input id='filter-failed' type='checkbox'> failures only</label>"
        f"<span><span id='shown'>{len(items)}</span> of {len(items)} shown</span></div>"
        "<table id='items'><thead><tr><th>id</th><th>question</th><th>returned quotes</th>"
        f"<th>gold evidence</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")
