// tabiji: small progressive enhancements. The site works without this script (the search
// box is search.js).
(function () {
  "use strict";

  // `/` focuses the search box, as on many documentation sites.
  document.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    var box = document.getElementById("tj-search-input");
    if (box) { e.preventDefault(); box.focus(); }
  });

  function pathKey() {
    return "tabiji:onboarding-path:" + (document.body.getAttribute("data-base-url") || "/");
  }

  // A page reached from the onboarding path: show where it is in the path and what is next.
  function onboardingBar() {
    var tpl = document.getElementById("tj-onboarding-bar");
    if (!tpl || !tpl.content) return;
    var data = null;
    try { data = JSON.parse(localStorage.getItem(pathKey()) || "null"); } catch (e) { data = null; }
    if (!data || !data.path || !data.path.length) return;
    var here = location.pathname;
    var i = -1;
    for (var k = 0; k < data.path.length; k++) {
      if (data.path[k].url.split("#")[0] === here) { i = k; break; }
    }
    if (i < 0) return;
    var bar = tpl.content.firstElementChild.cloneNode(true);
    var entry = data.path[i];
    bar.querySelector("[data-step-number]").textContent = String(entry.step);
    bar.querySelector("[data-step-count]").textContent = String(data.steps);
    bar.querySelector("[data-step-title]").textContent = entry.title;
    var next = data.path[i + 1];
    var a = bar.querySelector("a[data-next]");
    if (next) {
      a.href = next.url;
      a.querySelector("[data-next-name]").textContent = next.name;
    } else {
      a.remove();
    }
    var main = document.getElementById("tj-main");
    if (main) main.insertBefore(bar, main.firstChild);
  }

  // Onboarding: remember each step's checkbox in this browser.
  function onboarding() {
    var list = document.querySelector("[data-onboarding]");
    if (!list) return;
    var key = "tabiji:onboarding:" + list.getAttribute("data-onboarding");
    var state = {};
    try { state = JSON.parse(localStorage.getItem(key) || "{}") || {}; } catch (e) { state = {}; }
    var boxes = list.querySelectorAll("input[data-step]");
    var progress = document.querySelector("[data-onboarding-progress]");
    function update() {
      var done = 0;
      boxes.forEach(function (b) {
        var li = b.closest("li");
        if (li) li.classList.toggle("done", b.checked);
        if (b.checked) done++;
      });
      if (progress) {
        progress.hidden = false;
        var n = progress.querySelector("[data-done]");
        if (n) n.textContent = String(done);
      }
    }
    // Remember the path, so that pages reached from it can offer the next step.
    var path = [];
    list.querySelectorAll("li.step").forEach(function (li, i) {
      var title = li.querySelector("[data-step-title]");
      li.querySelectorAll("a[data-step-page]").forEach(function (a) {
        path.push({ step: i + 1, title: title ? title.textContent : "", url: a.pathname + a.hash, name: a.textContent });
      });
    });
    try { localStorage.setItem(pathKey(), JSON.stringify({ steps: list.querySelectorAll("li.step").length, path: path })); } catch (e) { /* private mode */ }
    boxes.forEach(function (b) {
      b.checked = !!state[b.getAttribute("data-step")];
      b.addEventListener("change", function () {
        state[b.getAttribute("data-step")] = b.checked;
        try { localStorage.setItem(key, JSON.stringify(state)); } catch (e) { /* private mode */ }
        update();
      });
    });
    update();
  }

  // ---- Knowledge checks and checklists ------------------------------------------------
  // Everything stays in this browser (localStorage), keyed by the site's base URL.
  function base() { return (document.body && document.body.getAttribute("data-base-url")) || "/"; }
  function load(key, fallback) {
    try { var v = JSON.parse(localStorage.getItem(key) || "null"); return v == null ? fallback : v; } catch (e) { return fallback; }
  }
  function save(key, value) {
    try { if (value == null) localStorage.removeItem(key); else localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode */ }
  }
  function quizKey(id) { return "tabiji:quiz:" + base() + ":" + id; }
  function passedKey() { return "tabiji:quizzes-passed:" + base(); }

  // A quiz page: each answer marked right or wrong with its explanation opened; the first
  // answer of each question counts for the score; passed once every question is right.
  function quiz() {
    var root = document.querySelector("[data-quiz]");
    if (!root) return;
    var id = root.getAttribute("data-quiz");
    var key = quizKey(id);
    var state = load(key, {});
    if (!state.first) state.first = {};
    if (!state.last) state.last = {};
    var items = root.querySelectorAll("[data-question]");
    var result = root.querySelector("[data-quiz-result]");
    function show() {
      var score = 0, right = 0, answered = 0;
      items.forEach(function (li) {
        var n = li.getAttribute("data-question");
        var answer = li.getAttribute("data-answer");
        var last = state.last[n];
        var verdict = li.querySelector("[data-verdict]");
        li.querySelectorAll("input[type=radio]").forEach(function (r) { r.checked = last != null && r.value === String(last); });
        li.classList.remove("is-right", "is-wrong");
        verdict.textContent = "";
        if (last == null) return;
        answered++;
        var ok = String(last) === answer;
        if (ok) right++;
        if (String(state.first[n]) === answer) score++;
        li.classList.add(ok ? "is-right" : "is-wrong");
        verdict.textContent = root.getAttribute(ok ? "data-right" : "data-wrong");
        var details = li.querySelector("[data-explanation]");
        if (details) details.open = true;
      });
      var passed = items.length > 0 && right === items.length;
      if (result) {
        result.hidden = answered === 0;
        result.querySelector("[data-score]").textContent = String(score);
        result.querySelector("[data-passed]").hidden = !passed;
      }
      var all = load(passedKey(), {});
      if (passed) all[id] = { score: score, of: items.length }; else delete all[id];
      save(passedKey(), all);
    }
    items.forEach(function (li) {
      var n = li.getAttribute("data-question");
      li.querySelectorAll("input[type=radio]").forEach(function (r) {
        r.addEventListener("change", function () {
          if (!r.checked) return;
          if (state.first[n] == null) state.first[n] = r.value;
          state.last[n] = r.value;
          save(key, state);
          show();
        });
      });
    });
    var reset = root.querySelector("[data-quiz-reset]");
    show();
    var mode = quizMode(root, items);
    if (reset) reset.addEventListener("click", function () {
      state = { first: {}, last: {} };
      save(key, null);
      items.forEach(function (li) { var d = li.querySelector("[data-explanation]"); if (d) d.open = false; });
      show();
      if (mode) mode.first();
      var first = root.querySelector(".questions input[type=radio]");
      if (first) first.focus();
    });
  }

  // A quiz shown one question at a time, or all on one page (the default): the reader's
  // choice, kept for the whole site in this browser. One at a time starts at the first
  // question not yet answered right; "previous" and "next" move between them.
  function quizMode(root, items) {
    var box = root.querySelector("[data-quiz-mode]");
    var pager = root.querySelector("[data-quiz-pager]");
    if (!box || !pager || items.length < 2) return null;
    var key = "tabiji:quiz-mode:" + base();
    var prev = pager.querySelector("[data-quiz-prev]");
    var next = pager.querySelector("[data-quiz-next]");
    var current = 0;
    for (var i = 0; i < items.length; i++) {
      if (!items[i].classList.contains("is-right")) { current = i; break; }
    }
    function single() { return load(key, "all") === "one"; }
    function show(focus) {
      var one = single();
      items.forEach(function (li, k) { li.hidden = one && k !== current; });
      pager.hidden = !one;
      pager.querySelector("[data-quiz-current]").textContent = String(current + 1);
      prev.disabled = current === 0;
      next.disabled = current === items.length - 1;
      if (focus) {
        var r = items[current].querySelector("input[type=radio]:checked") || items[current].querySelector("input[type=radio]");
        if (r) r.focus();
      }
    }
    box.hidden = false;
    box.querySelectorAll("input[type=radio]").forEach(function (r) {
      r.checked = r.value === (single() ? "one" : "all");
      r.addEventListener("change", function () {
        if (!r.checked) return;
        save(key, r.value === "one" ? "one" : null);
        show(false);
      });
    });
    prev.addEventListener("click", function () { if (current > 0) { current--; show(true); } });
    next.addEventListener("click", function () { if (current < items.length - 1) { current++; show(true); } });
    show(false);
    return { first: function () { current = 0; show(false); } };
  }

  // Quiz cards (home, stage pages): say which quizzes this reader has passed.
  function quizCards() {
    var cards = document.querySelectorAll("[data-quiz-card]");
    if (!cards.length) return;
    var all = load(passedKey(), {});
    cards.forEach(function (card) {
      var p = all[card.getAttribute("data-quiz-card")];
      var el = card.querySelector("[data-quiz-state]");
      if (!p || !el) return;
      el.hidden = false;
      el.textContent = "✓ " + (document.body.getAttribute("data-passed-label") || "") + " " + p.score + " / " + p.of;
      card.classList.add("passed");
    });
  }

  // Task lists in Markdown: the boxes become enabled and remembered per page and per item's
  // text (an edit elsewhere on the page keeps every tick), with a "clear" control per list.
  function checklists() {
    var lists = [];
    document.querySelectorAll("input.task-box").forEach(function (b) {
      var ul = b.closest("ul, ol");
      if (ul && lists.indexOf(ul) < 0) lists.push(ul);
    });
    if (!lists.length) return;
    var key = "tabiji:checklist:" + base() + ":" + location.pathname;
    var state = load(key, {});
    var label = document.body.getAttribute("data-clear-label") || "Clear";
    lists.forEach(function (ul) {
      var boxes = [];
      ul.querySelectorAll(":scope > li > input.task-box, :scope > li > p > input.task-box").forEach(function (b) {
        var li = b.closest("li");
        var text = li.textContent.replace(/\s+/g, " ").trim();
        var seen = 0;
        boxes.forEach(function (x) { if (x.text === text) seen++; });
        var item = seen ? text + "#" + (seen + 1) : text;
        boxes.push({ text: text, box: b });
        b.disabled = false;
        b.removeAttribute("disabled");
        b.checked = !!state[item];
        li.classList.toggle("ticked", b.checked);
        b.addEventListener("change", function () {
          if (b.checked) state[item] = true; else delete state[item];
          li.classList.toggle("ticked", b.checked);
          save(key, Object.keys(state).length ? state : null);
        });
      });
      if (!boxes.length) return;
      var btn = document.createElement("button");
      btn.type = "button";
      btn.className = "checklist-clear";
      btn.textContent = label;
      btn.addEventListener("click", function () {
        boxes.forEach(function (x) {
          x.box.checked = false;
          x.box.closest("li").classList.remove("ticked");
          Object.keys(state).forEach(function (k) { if (k === x.text || k.indexOf(x.text + "#") === 0) delete state[k]; });
        });
        save(key, Object.keys(state).length ? state : null);
      });
      ul.parentNode.insertBefore(btn, ul.nextSibling);
    });
  }

  // Onboarding steps that name a quiz are done once that quiz is passed.
  function onboardingQuizzes() {
    var list = document.querySelector("[data-onboarding]");
    if (!list) return;
    var all = load(passedKey(), {});
    list.querySelectorAll("li.step").forEach(function (li) {
      var quizzes = li.querySelectorAll("a[data-quiz-id]");
      var box = li.querySelector("input[data-step]");
      if (!quizzes.length || !box || box.checked) return;
      var passed = false;
      quizzes.forEach(function (a) { if (all[a.getAttribute("data-quiz-id")]) passed = true; });
      if (passed) { box.checked = true; box.dispatchEvent(new Event("change")); }
    });
  }

  // Home: the reader's onboarding at a glance (steps done, quizzes passed, the next step),
  // once they have opened the path or passed a quiz.
  function progressGlance() {
    var box = document.querySelector("[data-progress-glance]");
    if (!box) return;
    var path = load(pathKey(), null);
    var done = load("tabiji:onboarding:" + base(), {});
    var passed = Object.keys(load(passedKey(), {})).length;
    var total = path && path.steps ? path.steps : 0;
    var n = 0;
    for (var i = 1; i <= total; i++) if (done[i]) n++;
    if (!n && !passed) return;
    box.hidden = false;
    box.querySelector("[data-steps-done]").textContent = String(n);
    box.querySelector("[data-steps-total]").textContent = String(total);
    var q = box.querySelector("[data-quizzes-passed]");
    if (q) q.textContent = String(passed);
    for (var k = 1; k <= total; k++) {
      if (done[k]) continue;
      var title = "";
      (path.path || []).forEach(function (p) { if (p.step === k && !title) title = p.title; });
      var a = box.querySelector("[data-next-step]");
      a.textContent = title || String(k);
      a.href = a.getAttribute("href").split("#")[0] + "#tj-step-" + k;
      box.querySelector("[data-next-step-line]").hidden = false;
      break;
    }
  }

  // ---- Since your last visit ---------------------------------------------------------------
  // The browser remembers when the reader first came, when they last looked (a new visit
  // starts after 30 minutes away), and what they have marked as read; nothing is sent.
  // History entries, the header's count and a page's own marker ([data-changed]: when its
  // file last changed) all compare with the same last visit.
  var VISIT_GAP = 30 * 60 * 1000;
  function visitKey() { return "tabiji:visits:" + base(); }
  function visit() {
    var now = Date.now();
    var v = load(visitKey(), null);
    if (!v || typeof v.seen !== "number") v = { first: now, last: now, seen: now };
    else if (now - v.seen > VISIT_GAP) { v.last = v.seen; v.seen = now; }
    else v.seen = now;
    save(visitKey(), v);
    return v;
  }
  function sinceLastVisit() {
    var header = document.querySelector("[data-unread-count]");
    var entries = document.querySelectorAll(".history-entry[data-time]");
    var pages = document.querySelectorAll("[data-changed]");
    if (!header && !entries.length && !pages.length) return;
    var v = visit();
    function mark() {
      var newer = 0;
      pages.forEach(function (p) {
        var marker = p.querySelector("[data-changed-marker]");
        if (marker) marker.hidden = !(Number(p.getAttribute("data-changed")) * 1000 > v.last);
      });
      entries.forEach(function (e) {
        var isNew = Number(e.getAttribute("data-time")) * 1000 > v.last;
        e.classList.toggle("is-new", isNew);
        var badge = e.querySelector("[data-new-badge]");
        if (badge) badge.hidden = !isNew;
      });
      if (header) {
        header.getAttribute("data-times").split(",").forEach(function (t) { if (t && Number(t) * 1000 > v.last) newer++; });
        header.hidden = newer === 0;
        if (newer) header.href = header.getAttribute("data-href"); else header.removeAttribute("href");
        header.querySelector("[data-n]").textContent = String(newer);
      }
      var bar = document.querySelector("[data-unread-bar]");
      if (bar) {
        var n = document.querySelectorAll(".history-entry.is-new").length;
        bar.hidden = n === 0;
        var text = bar.querySelector("[data-unread-text]");
        if (text) text.textContent = n + " " + (header ? header.textContent.replace(/^\s*\d+\s*/, "") : "");
      }
    }
    var button = document.querySelector("[data-mark-read]");
    if (button) button.addEventListener("click", function () {
      v.last = Date.now(); v.seen = v.last;
      save(visitKey(), v);
      mark();
    });
    mark();
  }

  function start() { onboarding(); onboardingQuizzes(); onboardingBar(); quiz(); quizCards(); checklists(); sinceLastVisit(); progressGlance(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
