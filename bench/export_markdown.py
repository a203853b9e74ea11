#!/usr/bin/env python3
"""Export a tabiji site as plain Markdown pages for Hugo and for mdBook (benchmark peers).

    python3 bench/export_markdown.py SITE OUT_DIR

writes

    OUT_DIR/hugo/     hugo.toml, layouts/_default/{baseof,single,list}.html (a minimal layout of
                      its own, no theme), content/**.md
    OUT_DIR/mdbook/   book.toml, src/SUMMARY.md, src/**.md

Both get the same pages with the same Markdown text, one page per tabiji page:

- home: site title and description, the stages by phase, every persona, every department;
- personas/<id>: profile (role, company, goals, concerns), body, and each of the persona's
  journeys as a Markdown table (rows x stages, then emotion, experience, touchpoints, tasks);
- journeys/<id>: the same table;
- stages/<id>: summary, phase, owner, how customers enter and leave (every journey's
  key_factor cells of the previous stage and of this one), the stage's playbooks, every
  persona's cells for that stage (one table row per journey) and every task at the stage by
  department;
- departments/<id>: body, clients and suppliers, KPIs, stages owned, every task of the
  department by stage and persona, its playbooks;
- playbooks/<id>: stage, departments, personas, body;
- glossary: every term with reading and definition; onboarding: the steps with their pages.

tabiji links (`[x](stage:id)`, `persona:`, `journey:`, `department:`, `playbook:`,
`glossary:`) become site links: absolute pretty URLs for Hugo (`/stages/id/`), relative `.md`
paths for mdBook (which turns them into `.html`). Not exported: tabiji's print page and
search index (mdBook makes its own print page and search index by default; Hugo does
neither), the emotion curve SVG, the department-chain SVG.

Hugo also gets one list page per section (personas/, journeys/, …) listing its pages, as is
usual for Hugo; mdBook gets one index page per section for its SUMMARY. The text of the
journey tables is written once per page that shows it, as tabiji does.

OUT_DIR/hugo/content and OUT_DIR/mdbook/src are removed first.
"""

import json
import os
import re
import shutil
import sys
import tomllib

# ---------------------------------------------------------------------------------------------
# Labels (the Japanese labels of tabiji's built-in templates)

L = {
    "personas": "ペルソナ", "journeys": "ジャーニー", "stages": "ステージ", "departments": "部門",
    "playbooks": "プレイブック", "glossary": "用語集", "onboarding": "オンボーディング",
    "role": "購買関与（DMU）", "company": "企業像", "goals": "目標", "concerns": "懸念",
    "journeys_of_persona": "このペルソナのジャーニー", "no_journey": "このペルソナのジャーニーはまだありません。",
    "customer_side": "顧客側", "emotion": "感情曲線", "experience": "提供すべき顧客体験",
    "touchpoints": "コンタクトポイント", "tasks": "部門タスク", "kpi": "KPI", "notes": "メモ", "empty": "未記入",
    "phase": "フェーズ", "owner": "担当部門", "no_owner": "担当未定", "enter": "このステージに入る条件",
    "leave": "次のステージへ進む条件", "first_stage": "最初のステージです。",
    "playbooks_of_stage": "このステージのプレイブック", "no_playbooks": "プレイブックはまだありません。",
    "cells_by_persona": "ペルソナ別の顧客の状態", "previous": "前へ", "next": "次へ",
    "clients": "顧客（この部門がサービスする部門）", "suppliers": "サプライヤー（この部門を支える部門）",
    "department_chain": "部門のつながり", "kpis": "KPI", "stages_owned": "担当するステージ",
    "tasks_by_stage": "ステージ別のタスク", "no_tasks": "この部門のタスクはまだありません。",
    "tagged_playbooks": "この部門のプレイブック", "stage": "ステージ", "applies_to": "対象ペルソナ",
    "all_personas": "すべてのペルソナ", "term": "用語", "reading": "読み", "definition": "意味",
    "stage_strip": "顧客ステージの流れ", "start_onboarding": "新人向けの学習パスを始める", "steps": "ステップ",
}
EMOTION = {-2: "とても不満", -1: "不満", 0: "普通", 1: "満足", 2: "とても満足"}
SECTIONS = ["personas", "journeys", "stages", "departments", "playbooks"]
KIND_SECTION = {"persona": "personas", "journey": "journeys", "stage": "stages",
                "department": "departments", "playbook": "playbooks"}

# ---------------------------------------------------------------------------------------------
# Reading the site


def read_text(path):
    with open(path, encoding="utf-8-sig") as f:
        return f.read().replace("\r\n", "\n")


def read_toml(path):
    return tomllib.loads(read_text(path))


def read_front(path):
    """(front matter dict, Markdown body) of a `+++`-fenced file."""
    text = read_text(path)
    lines = text.split("\n")
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i >= len(lines) or lines[i].rstrip() != "+++":
        return {}, text
    for k in range(i + 1, len(lines)):
        if lines[k].rstrip() == "+++":
            return tomllib.loads("\n".join(lines[i + 1:k])), "\n".join(lines[k + 1:])
    return {}, text


def read_dir(folder, ext, reader):
    out = {}
    if not os.path.isdir(folder):
        return out
    for name in sorted(os.listdir(folder)):
        if name.endswith(ext) and not name.startswith("."):
            out[name[:-len(ext)]] = reader(os.path.join(folder, name))
    return out


class Site:
    def __init__(self, root):
        c = os.path.join(root, "content")
        self.config = read_toml(os.path.join(root, "tabiji.toml"))
        self.title = self.config.get("title", "tabiji")
        self.description = self.config.get("description", "")
        self.phases = self.config.get("phases", [])
        self.stages = self.config.get("stages", [])
        self.rows = self.config.get("rows", [])
        self.stage_index = {s["id"]: i for i, s in enumerate(self.stages)}
        self.phase_name = {p["id"]: p.get("name", p["id"]) for p in self.phases}
        self.personas = read_dir(os.path.join(c, "personas"), ".md", read_front)
        self.journeys = read_dir(os.path.join(c, "journeys"), ".toml", read_toml)
        self.departments = read_dir(os.path.join(c, "departments"), ".md", read_front)
        self.playbooks = read_dir(os.path.join(c, "playbooks"), ".md", read_front)
        g = os.path.join(c, "glossary.toml")
        self.terms = read_toml(g).get("terms", []) if os.path.exists(g) else []
        o = os.path.join(c, "onboarding.toml")
        self.onboarding = read_toml(o) if os.path.exists(o) else None
        self.journeys_of = {}
        for jid, j in self.journeys.items():
            self.journeys_of.setdefault(j.get("persona"), []).append(jid)

    def persona_name(self, pid):
        p = self.personas.get(pid)
        return p[0].get("name", pid) if p else pid

    def dept_name(self, did):
        d = self.departments.get(did)
        return d[0].get("name", did) if d else did

    def stage_name(self, sid):
        i = self.stage_index.get(sid)
        return self.stages[i].get("name", sid) if i is not None else sid

    def playbook_title(self, bid):
        b = self.playbooks.get(bid)
        return b[0].get("title", bid) if b else bid

    def playbooks_of_stage(self, sid):
        pbs = [(b[0].get("order", 0), bid) for bid, b in self.playbooks.items() if b[0].get("stage") == sid]
        return [bid for _, bid in sorted(pbs)]


# ---------------------------------------------------------------------------------------------
# Markdown helpers. Text is written with tabiji links (`kind:id`); each target rewrites them.


def esc(text):
    """Plain text for inline Markdown (the names and titles are plain text in tabiji)."""
    return re.sub(r"([\\`*_\[\]<>|])", r"\\\1", str(text))


def link(text, kind, target):
    return f"[{esc(text)}]({kind}:{target})"


def cell(text):
    """A Markdown table cell: no pipes, no line breaks."""
    return str(text).strip().replace("|", "\\|").replace("\n", "<br>")


def table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out)


def bullets(items):
    return "\n".join(f"- {x}" for x in items)


# ---------------------------------------------------------------------------------------------
# Pages: (path without extension, title, Markdown body)


def journey_table(site, jid):
    j = site.journeys[jid]
    st = j.get("stages", {})
    header = [L["customer_side"]]
    for s in site.stages:
        h = link(s.get("name", s["id"]), "stage", s["id"])
        if s.get("phase"):
            h = esc(site.phase_name.get(s["phase"], s["phase"])) + " / " + h
        if s.get("owner"):
            h += "（" + link(site.dept_name(s["owner"]), "department", s["owner"]) + "）"
        header.append(h)
    rows = []
    for r in site.rows:
        rows.append([esc(r.get("name", r["id"]))] + [cell(st.get(s["id"], {}).get(r["id"]) or L["empty"])
                                                     for s in site.stages])

    def any_(key):
        return any(key in st.get(s["id"], {}) for s in site.stages)

    if any_("emotion"):
        row = [L["emotion"]]
        for s in site.stages:
            e = st.get(s["id"], {}).get("emotion")
            row.append("" if e is None else f"{'+' if e > 0 else ''}{e} {EMOTION.get(max(-2, min(2, e)), '')}")
        rows.append(row)
    if any_("experience"):
        rows.append([L["experience"]] + [cell(st.get(s["id"], {}).get("experience", "")) for s in site.stages])
    if any_("touchpoints"):
        rows.append([L["touchpoints"]] + [cell("、".join(esc(t) for t in st.get(s["id"], {}).get("touchpoints", [])))
                                          for s in site.stages])
    if any_("tasks"):
        row = [L["tasks"]]
        for s in site.stages:
            items = []
            for t in st.get(s["id"], {}).get("tasks", []):
                x = "**" + link(site.dept_name(t["department"]), "department", t["department"]) + "**: " + t["task"]
                if t.get("kpi"):
                    x += f"（{L['kpi']}: {t['kpi']}）"
                items.append(x)
            row.append(cell("<br>".join(items)))
        rows.append(row)
    if any_("notes"):
        rows.append([L["notes"]] + [cell(st.get(s["id"], {}).get("notes", "")) for s in site.stages])
    return table(header, rows)


def persona_page(site, pid):
    fm, body = site.personas[pid]
    out = []
    if fm.get("summary"):
        out += [esc(fm["summary"]), ""]
    if fm.get("role"):
        out += [f"**{L['role']}**: {esc(fm['role'])}", ""]
    if fm.get("company"):
        out += [f"**{L['company']}**: {esc(fm['company'])}", ""]
    for key in ("goals", "concerns"):
        if fm.get(key):
            out += [f"**{L[key]}**", "", bullets(esc(g) for g in fm[key]), ""]
    out += [body.strip(), "", f"## {L['journeys_of_persona']}", ""]
    jids = site.journeys_of.get(pid, [])
    for jid in jids:
        j = site.journeys[jid]
        out += [f"### {link(j.get('name', jid), 'journey', jid)}", "", journey_table(site, jid), ""]
    if not jids:
        out += [L["no_journey"], ""]
    return f"personas/{pid}", fm.get("name", pid), "\n".join(out)


def journey_page(site, jid):
    j = site.journeys[jid]
    pid = j.get("persona")
    out = [f"{L['personas']}: {link(site.persona_name(pid), 'persona', pid)}", "", journey_table(site, jid), ""]
    return f"journeys/{jid}", j.get("name", jid), "\n".join(out)


def key_factor_row(site):
    ids = [r["id"] for r in site.rows]
    return "key_factor" if "key_factor" in ids else (ids[-1] if ids else None)


def stage_page(site, i):
    s = site.stages[i]
    sid = s["id"]
    out = []
    if s.get("summary"):
        out += [esc(s["summary"]), ""]
    if s.get("phase"):
        out += [f"**{L['phase']}**: {esc(site.phase_name.get(s['phase'], s['phase']))}", ""]
    owner = link(site.dept_name(s["owner"]), "department", s["owner"]) if s.get("owner") else L["no_owner"]
    out += [f"**{L['owner']}**: {owner}", ""]
    kf = key_factor_row(site)

    def factors(stage_id):
        items = []
        for jid, j in site.journeys.items():
            text = j.get("stages", {}).get(stage_id, {}).get(kf, "") if kf else ""
            if text.strip():
                items.append(f"{link(site.persona_name(j.get('persona')), 'persona', j.get('persona'))}: {text.strip()}")
        return items

    prev = site.stages[i - 1] if i > 0 else None
    nxt = site.stages[i + 1] if i + 1 < len(site.stages) else None
    out += [f"## {L['enter']}", ""]
    if prev:
        out += ["← " + link(prev.get("name", prev["id"]), "stage", prev["id"]), "", bullets(factors(prev["id"])), ""]
    else:
        out += [L["first_stage"], ""]
    out += [f"## {L['leave']}", ""]
    if nxt:
        out += ["→ " + link(nxt.get("name", nxt["id"]), "stage", nxt["id"]), ""]
    out += [bullets(factors(sid)), ""]
    out += [f"## {L['playbooks_of_stage']}", ""]
    pbs = site.playbooks_of_stage(sid)
    if pbs:
        for bid in pbs:
            depts = site.playbooks[bid][0].get("departments", [])
            d = "（" + "、".join(link(site.dept_name(x), "department", x) for x in depts) + "）" if depts else ""
            out.append(f"- {link(site.playbook_title(bid), 'playbook', bid)}{d}")
        out.append("")
    else:
        out += [L["no_playbooks"], ""]
    if site.journeys:
        out += [f"## {L['cells_by_persona']}", ""]
        header = [L["personas"], L["journeys"]] + [esc(r.get("name", r["id"])) for r in site.rows]
        rows = []
        for jid, j in site.journeys.items():
            cells = j.get("stages", {}).get(sid, {})
            rows.append([link(site.persona_name(j.get("persona")), "persona", j.get("persona")),
                         link(j.get("name", jid), "journey", jid)]
                        + [cell(cells.get(r["id"]) or L["empty"]) for r in site.rows])
        out += [table(header, rows), ""]
    by_dept = {}
    for jid, j in site.journeys.items():
        for t in j.get("stages", {}).get(sid, {}).get("tasks", []):
            x = t["task"]
            if t.get("kpi"):
                x += f"（{L['kpi']}: {t['kpi']}）"
            x += " — " + link(site.persona_name(j.get("persona")), "journey", jid)
            by_dept.setdefault(t["department"], []).append(x)
    if by_dept:
        out += [f"## {L['tasks']}", ""]
        for did in sorted(by_dept):
            out += [f"### {link(site.dept_name(did), 'department', did)}", "", bullets(by_dept[did]), ""]
    pager = []
    if prev:
        pager.append(f"← {L['previous']}: " + link(prev.get("name", prev["id"]), "stage", prev["id"]))
    if nxt:
        pager.append(f"{L['next']}: " + link(nxt.get("name", nxt["id"]), "stage", nxt["id"]) + " →")
    if pager:
        out += [" ｜ ".join(pager), ""]
    return f"stages/{sid}", s.get("name", sid), "\n".join(out)


def department_page(site, did):
    fm, body = site.departments[did]
    out = [body.strip(), "", f"## {L['department_chain']}", ""]
    for key in ("clients", "suppliers"):
        items = "、".join(link(site.dept_name(x), "department", x) for x in fm.get(key, [])) or "—"
        out += [f"**{L[key]}**: {items}", ""]
    if fm.get("kpis"):
        out += [f"## {L['kpis']}", "", bullets(esc(k) for k in fm["kpis"]), ""]
    owned = [s for s in site.stages if s.get("owner") == did]
    if owned:
        out += [f"## {L['stages_owned']}", "", "、".join(link(s.get("name", s["id"]), "stage", s["id"]) for s in owned), ""]
    out += [f"## {L['tasks_by_stage']}", ""]
    any_task = False
    for s in site.stages:
        groups = []
        for jid, j in site.journeys.items():
            tasks = [t for t in j.get("stages", {}).get(s["id"], {}).get("tasks", []) if t.get("department") == did]
            if tasks:
                pid = j.get("persona")
                items = [t["task"] + (f"（{L['kpi']}: {t['kpi']}）" if t.get("kpi") else "") for t in tasks]
                groups += [link(site.persona_name(pid), "persona", pid) + " · " + link(j.get("name", jid), "journey", jid),
                           "", bullets(items), ""]
        if groups:
            any_task = True
            out += [f"### {link(s.get('name', s['id']), 'stage', s['id'])}", ""] + groups
    if not any_task:
        out += [L["no_tasks"], ""]
    pbs = [bid for bid, b in site.playbooks.items() if did in b[0].get("departments", [])]
    if pbs:
        out += [f"## {L['tagged_playbooks']}", "", bullets(link(site.playbook_title(b), "playbook", b) for b in pbs), ""]
    return f"departments/{did}", fm.get("name", did), "\n".join(out)


def playbook_page(site, bid):
    fm, body = site.playbooks[bid]
    out = []
    if fm.get("stage"):
        out += [f"**{L['stage']}**: {link(site.stage_name(fm['stage']), 'stage', fm['stage'])}", ""]
    if fm.get("departments"):
        out += [f"**{L['departments']}**: " + "、".join(link(site.dept_name(d), "department", d) for d in fm["departments"]), ""]
    ps = fm.get("personas")
    out += [f"**{L['applies_to']}**: " + ("、".join(link(site.persona_name(p), "persona", p) for p in ps)
                                         if ps else L["all_personas"]), ""]
    out += [body.strip(), ""]
    return f"playbooks/{bid}", fm.get("title", bid), "\n".join(out)


def glossary_page(site):
    out = []
    for t in site.terms:
        out += [f"## {esc(t['term'])}", ""]
        if t.get("reading"):
            out += [f"{L['reading']}: {esc(t['reading'])}", ""]
        out += [t.get("definition", ""), ""]
    return "glossary", L["glossary"], "\n".join(out)


PAGE_REF = re.compile(r"^(personas|journeys|stages|departments|playbooks)/(.+)$")


def onboarding_page(site):
    ob = site.onboarding
    out = []
    for n, step in enumerate(ob.get("steps", []), 1):
        out += [f"## {n}. {esc(step.get('title', ''))}", ""]
        if step.get("note"):
            out += [step["note"], ""]
        items = []
        for ref in step.get("pages", []):
            m = PAGE_REF.match(ref)
            if ref == "glossary":
                items.append(f"[{L['glossary']}](page:glossary)")
            elif m:
                sec, pid = m.groups()
                name = {"personas": site.persona_name, "stages": site.stage_name, "departments": site.dept_name,
                        "playbooks": site.playbook_title,
                        "journeys": lambda x: site.journeys.get(x, {}).get("name", x)}[sec](pid)
                items.append(link(name, sec[:-1], pid))
            else:
                items.append(esc(ref))
        out += [bullets(items), ""]
    return "onboarding", ob.get("title", L["onboarding"]), "\n".join(out)


def home_page(site):
    out = []
    if site.description:
        out += [esc(site.description), ""]
    if site.onboarding:
        out += [f"[{L['start_onboarding']}](page:onboarding)", ""]
    out += [f"## {L['stage_strip']}", ""]
    groups = []
    for s in site.stages:
        ph = s.get("phase")
        if not groups or groups[-1][0] != ph:
            groups.append((ph, []))
        groups[-1][1].append(s)
    for ph, stages in groups:
        if ph:
            out += [f"### {esc(site.phase_name.get(ph, ph))}", ""]
        for s in stages:
            owner = link(site.dept_name(s["owner"]), "department", s["owner"]) if s.get("owner") else L["no_owner"]
            out.append(f"1. {link(s.get('name', s['id']), 'stage', s['id'])}: {esc(s.get('summary', ''))}（{owner}）")
        out.append("")
    out += [f"## {L['personas']}", ""]
    for pid, (fm, _) in site.personas.items():
        x = f"- **{link(fm.get('name', pid), 'persona', pid)}**"
        if fm.get("role"):
            x += f" — {esc(fm['role'])}"
        if fm.get("summary"):
            x += f"：{esc(fm['summary'])}"
        js = site.journeys_of.get(pid, [])
        if js:
            x += f"（{L['journeys']}: " + "、".join(link(site.journeys[j].get("name", j), "journey", j) for j in js) + "）"
        out.append(x)
    out.append("")
    if site.departments:
        out += [f"## {L['departments']}", ""]
        for did, (fm, _) in site.departments.items():
            out += [f"### {link(fm.get('name', did), 'department', did)}", ""]
            if fm.get("kpis"):
                out += [bullets(esc(k) for k in fm["kpis"]), ""]
    return "index", site.title, "\n".join(out)


def all_pages(site):
    pages = [home_page(site)]
    pages += [persona_page(site, p) for p in site.personas]
    pages += [journey_page(site, j) for j in site.journeys]
    pages += [stage_page(site, i) for i in range(len(site.stages))]
    pages += [department_page(site, d) for d in site.departments]
    pages += [playbook_page(site, b) for b in site.playbooks]
    if site.terms:
        pages.append(glossary_page(site))
    if site.onboarding:
        pages.append(onboarding_page(site))
    return pages


# ---------------------------------------------------------------------------------------------
# Link rewriting

LINK = re.compile(r"\]\((persona|journey|stage|department|playbook|glossary|page):([^)\s#]*)(#[^)\s]*)?\)")


def anchor(term):
    """The heading id Hugo and mdBook give `## term` (close enough for ASCII and Japanese)."""
    return re.sub(r"\s+", "-", term.strip().lower())


def rewrite(text, url):
    def sub(m):
        kind, target, frag = m.group(1), m.group(2), m.group(3) or ""
        if kind == "glossary":
            return f"]({url('glossary')}#{anchor(target)})"
        if kind == "page":
            return f"]({url(target)}{frag})"
        return f"]({url(KIND_SECTION[kind] + '/' + target)}{frag})"
    return LINK.sub(sub, text)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def q(s):
    return json.dumps(s, ensure_ascii=False)


# ---------------------------------------------------------------------------------------------
# Hugo

BASEOF = """<!DOCTYPE html>
<html lang="{{ site.LanguageCode }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} | {{ end }}{{ site.Title }}</title>
<style>body{font-family:sans-serif;max-width:72rem;margin:auto;padding:1rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem;vertical-align:top}</style>
</head>
<body>
<header><a href="/">{{ site.Title }}</a>{{ range site.Sections }} · <a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</header>
<main>
{{ block "main" . }}{{ end }}
</main>
</body>
</html>
"""
SINGLE = """{{ define "main" }}<article>
<h1>{{ .Title }}</h1>
{{ .Content }}
</article>{{ end }}
"""
LIST = """{{ define "main" }}<article>
<h1>{{ .Title }}</h1>
{{ .Content }}
{{ if not .IsHome }}<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
</article>{{ end }}
"""


def hugo_url(path):
    if path == "index":
        return "/"
    return "/" + path + "/"


def export_hugo(site, pages, out):
    content = os.path.join(out, "content")
    shutil.rmtree(content, ignore_errors=True)
    shutil.rmtree(os.path.join(out, "layouts"), ignore_errors=True)
    write(os.path.join(out, "hugo.toml"), "\n".join([
        'baseURL = "/"',
        'languageCode = "ja"',
        'defaultContentLanguage = "ja"',
        f"title = {q(site.title)}",
        # Only the page kinds tabiji has an equivalent for: no RSS, sitemap or taxonomies.
        'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT"]',
        "disablePathToLower = true",
        'timeout = "600s"',
        "",
        "[markup.goldmark.renderer]",
        "unsafe = true  # the <br> in table cells",
        "",
    ]))
    write(os.path.join(out, "layouts", "_default", "baseof.html"), BASEOF)
    write(os.path.join(out, "layouts", "_default", "single.html"), SINGLE)
    write(os.path.join(out, "layouts", "_default", "list.html"), LIST)
    for sec in SECTIONS:
        write(os.path.join(content, sec, "_index.md"), f"+++\ntitle = {q(L[sec])}\n+++\n")
    for path, title, body in pages:
        body = rewrite(body, hugo_url)
        file = os.path.join(content, "_index.md" if path == "index" else path + ".md")
        write(file, f"+++\ntitle = {q(title)}\n+++\n\n{body}")


# ---------------------------------------------------------------------------------------------
# mdBook


def export_mdbook(site, pages, out):
    src = os.path.join(out, "src")
    shutil.rmtree(src, ignore_errors=True)
    write(os.path.join(out, "book.toml"), "\n".join([
        "[book]",
        f"title = {q(site.title)}",
        'language = "ja"',
        'src = "src"',
        "",
        "# Defaults kept: a search index and a print page of the whole book, like tabiji's.",
        "[output.html]",
        "",
    ]))
    by_path = {p[0]: p for p in pages}

    def relative_url(from_path):
        depth = from_path.count("/")

        def url(path):
            target = "index.md" if path == "index" else path + ".md"
            return "../" * depth + target
        return url

    for path, title, body in pages:
        write(os.path.join(src, path + ".md"), f"# {esc(title)}\n\n{rewrite(body, relative_url(path))}")
    summary = ["# Summary", "", f"[{esc(site.title)}](index.md)", ""]
    for sec in SECTIONS:
        members = [p for p in pages if p[0].startswith(sec + "/")]
        lines = [f"- [{esc(t)}]({p}.md)" for p, t, _ in members]
        write(os.path.join(src, sec, "index.md"), f"# {L[sec]}\n\n" + "\n".join(
            f"- [{esc(t)}]({p[len(sec) + 1:]}.md)" for p, t, _ in members) + "\n")
        summary.append(f"- [{L[sec]}]({sec}/index.md)")
        summary += ["  " + x for x in lines]
    for path in ("glossary", "onboarding"):
        if path in by_path:
            summary.append(f"- [{esc(by_path[path][1])}]({path}.md)")
    write(os.path.join(src, "SUMMARY.md"), "\n".join(summary) + "\n")


def main():
    if len(sys.argv) != 3 or sys.argv[1].startswith("-"):
        sys.exit(__doc__)
    site_dir, out = sys.argv[1], sys.argv[2]
    site = Site(site_dir)
    pages = all_pages(site)
    export_hugo(site, pages, os.path.join(out, "hugo"))
    export_mdbook(site, pages, os.path.join(out, "mdbook"))
    size = sum(len(b.encode()) for _, _, b in pages)
    print(f"exported {len(pages)} pages ({size / 1e6:.1f} MB of Markdown) to {out}/hugo and {out}/mdbook",
          file=sys.stderr)


if __name__ == "__main__":
    main()
