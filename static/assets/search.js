// tabiji: the search box. The site reads without this script; only searching needs it.
//
// The index (src/search/index.rs; docs/templates.md, section 9) is one file on a small site.
// On a large one, `search/index.json` is a small entry file, and a query fetches only the key
// files its tokens need and the document files of its first results; every file is fetched
// once and kept. Both forms go through the same code below.
(function () {
  "use strict";

  // ---- Tokens ---------------------------------------------------------------------------
  // The tokenizer follows src/search/tokenize.rs exactly (tests/search_tokenizer.rs runs
  // both on the same inputs): NFKC + lower case; kanji/kana runs become character pairs,
  // a lone kanji/kana is its own token; Latin letters and digits become words.
  function isCjk(cp) {
    if (cp === 0x30FB || cp === 0x30A0) return false;
    return (cp >= 0x3040 && cp <= 0x309F) || (cp >= 0x30A0 && cp <= 0x30FF) ||
      (cp >= 0x31F0 && cp <= 0x31FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
      (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
      (cp >= 0xAC00 && cp <= 0xD7AF) || cp === 0x3005;
  }
  var WORD = /[\p{L}\p{N}]/u;
  function normalize(text) { return text.normalize("NFKC").toLowerCase(); }
  function cls(ch) {
    var cp = ch.codePointAt(0);
    if (isCjk(cp)) return 1;
    if (WORD.test(ch)) return 2;
    return 0;
  }
  function tokens(text) {
    var chars = Array.from(normalize(text));
    var out = [];
    var i = 0;
    while (i < chars.length) {
      var k = cls(chars[i]);
      var j = i;
      while (j < chars.length && cls(chars[j]) === k) j++;
      if (k === 1) {
        if (j - i === 1) out.push(chars[i]);
        else for (var x = i; x + 1 < j; x++) out.push(chars[x] + chars[x + 1]);
      } else if (k === 2) {
        out.push(chars.slice(i, j).join(""));
      }
      i = j;
    }
    return out;
  }
  function cjkToken(t) { return isCjk(t.codePointAt(0)); }

  // ---- The index ------------------------------------------------------------------------
  // A key's value is [title, text]: the documents whose title holds the token and those whose
  // text does, each list as text of six bits a character: the gaps between the numbers (five
  // bits a character, low bits first, the sixth bit saying "more of this gap"), or after `*`
  // a bitmap (document n is bit n % 6 of character n / 6). A key " ale" lists the words
  // that hold "ale" after their first character.
  var SIX = {};
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".split("").forEach(function (c, i) { SIX[c] = i; });
  function decodeList(s) {
    var out = [], i, v;
    if (s.charAt(0) === "*") {
      for (i = 1; i < s.length; i++) {
        v = SIX[s.charAt(i)];
        for (var b = 0; b < 6; b++) if (v & (1 << b)) out.push((i - 1) * 6 + b);
      }
      return out;
    }
    var n = 0, gap = 0, scale = 1;
    for (i = 0; i < s.length; i++) {
      v = SIX[s.charAt(i)];
      gap += (v & 31) * scale;
      if (v & 32) { scale *= 32; continue; }
      n += gap; out.push(n); gap = 0; scale = 1;
    }
    return out;
  }

  // The index at `url`, fetched with `fetchJson` (url → promise of the parsed file).
  function openIndex(url, fetchJson) {
    var dir = url.replace(/[^/]*$/, "");
    var entry = fetchJson(url);
    var shards = [], files = {};
    function file(path, inline) {
      if (!files[path]) files[path] = inline !== undefined ? Promise.resolve(inline) : fetchJson(dir + path);
      return files[path];
    }
    function shardOf(e, key) {
      var lo = 0, hi = e.shards.length - 1;
      while (lo < hi) { var mid = (lo + hi + 1) >> 1; if (e.shards[mid] <= key) lo = mid; else hi = mid - 1; }
      return lo;
    }
    function loadShard(e, i) {
      return file("keys/" + i + ".json", i === 0 ? e.keys : undefined).then(function (map) {
        if (!shards[i]) shards[i] = { map: map, keys: Object.keys(map).sort() };
      });
    }
    var index = {
      entry: entry,
      // Fetches the key files holding `exact` keys and every key starting with a `prefixes`.
      load: function (exact, prefixes) {
        return entry.then(function (e) {
          var want = {};
          exact.forEach(function (k) { want[shardOf(e, k)] = true; });
          prefixes.forEach(function (p) {
            for (var i = shardOf(e, p), last = shardOf(e, p + "\uffff"); i <= last; i++) want[i] = true;
          });
          return Promise.all(Object.keys(want).map(function (i) { return loadShard(e, Number(i)); }));
        });
      },
      // A loaded key's value, or undefined when there is no such key.
      value: function (e, key) {
        var s = shards[shardOf(e, key)];
        return s && Object.prototype.hasOwnProperty.call(s.map, key) ? s.map[key] : undefined;
      },
      // The loaded keys starting with `p`, in order.
      keysWithPrefix: function (e, p) {
        var out = [];
        for (var i = shardOf(e, p), last = shardOf(e, p + "\uffff"); i <= last; i++) {
          var keys = shards[i] ? shards[i].keys : [];
          var lo = 0, hi = keys.length;
          while (lo < hi) { var mid = (lo + hi) >> 1; if (keys[mid] < p) lo = mid + 1; else hi = mid; }
          for (var k = lo; k < keys.length && keys[k].indexOf(p) === 0; k++) out.push(keys[k]);
        }
        return out;
      },
      doc: function (e, n) {
        var f = Math.floor(n / e.per_file);
        return file("docs/" + f + ".json", f === 0 ? e.docs : undefined).then(function (docs) { return docs[n % e.per_file]; });
      }
    };
    return index;
  }

  // ---- Ranking --------------------------------------------------------------------------
  // A document matches when it holds every token of the query (a Latin word: a word starting
  // with it) and every kanji/kana part of the query appears in its title or text as written.
  // Each token found in the title adds 10, in the text 1 (a Latin word counts where a word
  // holds it anywhere); equal scores rank by document number, which is title order.
  var LIMIT = 30;
  function union(lists) {
    var set = new Set();
    lists.forEach(function (l) { decodeList(l).forEach(function (d) { set.add(d); }); });
    return set;
  }
  function search(index, q) {
    var qts = tokens(q);
    if (!qts.length) return Promise.resolve([]);
    var cjk = qts.filter(cjkToken), words = qts.filter(function (t) { return !cjkToken(t); });
    var e;
    return index.entry.then(function (entry) {
      e = entry;
      return index.load(cjk, words.concat(words.map(function (w) { return " " + w; })));
    }).then(function () {
      // The words holding a query word after their first character.
      var inside = [];
      words.forEach(function (w) {
        index.keysWithPrefix(e, " " + w).forEach(function (k) { inside = inside.concat(index.value(e, k)); });
      });
      return index.load(inside, []);
    }).then(function () {
      var title = {}, text = {}, docs = {};
      qts.forEach(function (t) {
        if (title[t]) return;
        var own = cjkToken(t) ? [t] : index.keysWithPrefix(e, t);
        var holding = own;
        if (!cjkToken(t)) {
          holding = own.slice();
          index.keysWithPrefix(e, " " + t).forEach(function (k) { holding = holding.concat(index.value(e, k)); });
        }
        var values = function (keys, i) {
          return keys.map(function (k) { var v = index.value(e, k); return v ? v[i] : ""; });
        };
        docs[t] = union(values(own, 0).concat(values(own, 1)));
        title[t] = union(values(holding, 0));
        text[t] = union(values(holding, 1));
      });
      var sets = qts.map(function (t) { return docs[t]; });
      sets.sort(function (a, b) { return a.size - b.size; });
      var ranked = [];
      sets[0].forEach(function (d) {
        for (var i = 1; i < sets.length; i++) if (!sets[i].has(d)) return;
        var score = 0;
        qts.forEach(function (t) { if (title[t].has(d)) score += 10; if (text[t].has(d)) score += 1; });
        ranked.push({ n: d, score: score });
      });
      ranked.sort(function (a, b) { return b.score - a.score || a.n - b.n; });
      return confirm(index, e, q, ranked);
    });
  }
  // The first LIMIT ranked documents whose title or text holds each kanji/kana part of the
  // query as written; documents are fetched in rank order, only as many as needed.
  function confirm(index, e, q, ranked) {
    var segments = normalize(q).split(/\s+/).filter(function (s) { return s && tokens(s).some(cjkToken); });
    var results = [], at = 0;
    function more() {
      if (results.length >= LIMIT || at >= ranked.length) return results;
      var batch = ranked.slice(at, at + LIMIT - results.length);
      at += batch.length;
      return Promise.all(batch.map(function (r) { return index.doc(e, r.n); })).then(function (docs) {
        docs.forEach(function (doc, i) {
          if (results.length >= LIMIT) return;
          var title = normalize(doc.t), text = normalize(doc.x);
          for (var s = 0; s < segments.length; s++) {
            if (title.indexOf(segments[s]) < 0 && text.indexOf(segments[s]) < 0) return;
          }
          results.push({ doc: doc, n: batch[i].n, score: batch[i].score });
        });
        return more();
      });
    }
    return more();
  }
  window.tabijiSearch = { tokens: tokens, openIndex: openIndex, search: search };

  // ---- The search box -------------------------------------------------------------------
  // The normalised text with, for each of its characters, the index in the original.
  function mapped(text) {
    var norm = "", map = [];
    var chars = Array.from(text), pos = 0;
    for (var i = 0; i < chars.length; i++) {
      var n = normalize(chars[i]);
      for (var j = 0; j < n.length; j++) map.push(pos);
      norm += n;
      pos += chars[i].length;
    }
    map.push(pos);
    return { norm: norm, map: map };
  }
  function snippet(doc, q, el) {
    var m = mapped(doc.x);
    var needles = normalize(q).split(/\s+/).filter(Boolean);
    var at = -1, len = 0;
    for (var i = 0; i < needles.length && at < 0; i++) {
      at = m.norm.indexOf(needles[i]);
      len = needles[i].length;
    }
    if (at < 0) { el.textContent = doc.x.slice(0, 80); return; }
    var start = m.map[at], end = m.map[Math.min(at + len, m.map.length - 1)];
    var from = Math.max(0, start - 30), to = Math.min(doc.x.length, end + 50);
    el.appendChild(document.createTextNode((from > 0 ? "…" : "") + doc.x.slice(from, start)));
    var mark = document.createElement("mark");
    mark.textContent = doc.x.slice(start, end);
    el.appendChild(mark);
    el.appendChild(document.createTextNode(doc.x.slice(end, to) + (to < doc.x.length ? "…" : "")));
  }
  function fetchJson(url) {
    return fetch(url).then(function (r) {
      if (!r.ok) throw new Error(url + ": " + r.status);
      return r.json();
    });
  }
  function setupSearch() {
    var input = document.getElementById("tj-search-input");
    var box = document.getElementById("tj-search-results");
    if (!input || !box) return;
    var index = null;
    function open() {
      if (!index) {
        index = openIndex(input.getAttribute("data-index"), fetchJson);
        // A failed fetch is tried again next time.
        index.entry.catch(function () { index = null; });
      }
      return index;
    }
    var timer = null;
    function show() {
      var q = input.value.trim();
      if (!q) { box.hidden = true; box.textContent = ""; return; }
      var idx = open();
      Promise.all([idx.entry, search(idx, q)]).then(function (done) {
        if (input.value.trim() !== q) return;
        var kinds = done[0].kinds, results = done[1];
        box.textContent = "";
        if (!results.length) {
          var p = document.createElement("p");
          p.className = "search-none";
          p.textContent = box.getAttribute("data-none") || "";
          box.appendChild(p);
        } else {
          var ol = document.createElement("ol");
          results.forEach(function (r) {
            var li = document.createElement("li");
            var a = document.createElement("a");
            a.href = r.doc.u;
            var kind = document.createElement("span");
            kind.className = "search-kind";
            kind.textContent = kinds[r.doc.k] || r.doc.k;
            var title = document.createElement("span");
            title.className = "search-title";
            title.textContent = r.doc.t;
            var snip = document.createElement("span");
            snip.className = "search-snippet";
            snippet(r.doc, q, snip);
            a.appendChild(kind); a.appendChild(title); a.appendChild(snip);
            li.appendChild(a);
            ol.appendChild(li);
          });
          box.appendChild(ol);
        }
        box.hidden = false;
      }).catch(function () { box.hidden = true; });
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(show, 60); });
    input.addEventListener("focus", function () { open().entry.catch(function () {}); });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { box.hidden = true; input.blur(); }
    });
    input.form && input.form.addEventListener("submit", function (e) {
      var first = box.querySelector("a");
      if (first) { e.preventDefault(); location.href = first.href; }
    });
    var q = new URLSearchParams(location.search).get("q");
    if (q) { input.value = q; show(); }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setupSearch);
  else setupSearch();
})();
