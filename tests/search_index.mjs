// The browser's search code (static/assets/search.js), run by Node.js on built search indexes,
// reading their files from disk as the browser would fetch them, and counting the bytes.
//
//   node tests/search_index.mjs compare SINGLE_DIR SHARDED_DIR
//       the same index written in one file and sharded (tests/search_index.rs writes both):
//       every query of a list made from the index (its words, pieces of its documents' titles
//       and texts, Japanese and Latin, one to several tokens) must give the same results in
//       the same order with the same scores. Prints a JSON summary; exits 1 on a difference.
//   node tests/search_index.mjs bytes OUT_DIR QUERY...
//       for each query, as a reader's first query: the files and bytes fetched until its
//       results were ready (and as gzip would send them), and how many results
//       (docs/performance.md).
//
// OUT_DIR / SINGLE_DIR / SHARDED_DIR hold `search/index.json` (a built site's output folder).

import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import { gzipSync } from "node:zlib";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** The functions search.js gives the page (`window.tabijiSearch`), without a page. */
function searchCode() {
  const src = readFileSync(path.join(ROOT, "static", "assets", "search.js"), "utf8");
  const document = { readyState: "complete", addEventListener() {}, getElementById() { return null; } };
  const ctx = { window: {}, document, location: { search: "" }, URLSearchParams };
  vm.createContext(ctx);
  vm.runInContext(src, ctx);
  return ctx.window.tabijiSearch;
}

/** A fresh index of the output folder `dir` (nothing fetched yet), and what it fetched. */
function openIndex(code, dir) {
  const fetched = { files: 0, bytes: 0, gzip: 0 };
  const fetchJson = (url) =>
    new Promise((resolve, reject) => {
      try {
        const bytes = readFileSync(path.join(dir, url));
        fetched.files += 1;
        fetched.bytes += bytes.length;
        fetched.gzip += gzipSync(bytes).length;
        resolve(JSON.parse(bytes.toString("utf8")));
      } catch (e) {
        reject(e);
      }
    });
  return { index: code.openIndex("search/index.json", fetchJson), fetched };
}

/** A deterministic pseudo-random sequence (so that the query list never changes). */
function lcg(seed) {
  let s = seed >>> 0;
  return (n) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

/** Queries made from a single-file index: hand-picked ones, then its keys and documents. */
function queriesOf(entry) {
  const fixed = [
    "課長", "棚卸し", "稟議", "予算", "管理", "情シス", "課", "の", "導入 検討", "している",
    "ライセンス", "決裁者", "IT資産管理", "it資産", "SaaS 管理", "ｶﾀｶﾅ", "ＡＢＣ", "saas", "sa",
    "s", "it", "mql", "bant", "ale", "0", "00", "1", "120", "excel", "budget", "champion",
    "存在しない語彙ぴよぴよ", "zzzz", "、。", "課長 budget", "予算・権限",
  ];
  const out = new Set(fixed);
  const rand = lcg(24);
  const keys = Object.keys(entry.keys).sort();
  const step = Math.max(1, Math.floor(keys.length / 120));
  for (let i = 0; i < keys.length; i += step) {
    const k = keys[i].trim();
    out.add(k);
    const chars = Array.from(k);
    if (chars.length > 2) out.add(chars.slice(0, 1 + rand(chars.length - 1)).join(""));
  }
  const docs = entry.docs;
  const piece = (text) => {
    const chars = Array.from(text);
    if (!chars.length) return "";
    const len = [1, 2, 3, 4, 6, 9][rand(6)];
    const at = rand(chars.length);
    return chars.slice(at, at + len).join("");
  };
  const dstep = Math.max(1, Math.floor(docs.length / 90));
  for (let i = 0; i < docs.length; i += dstep) {
    const d = docs[i];
    out.add(piece(d.t));
    out.add(piece(d.x));
    out.add(piece(d.x) + " " + piece(docs[rand(docs.length)].x));
  }
  return [...out].filter((q) => q.trim());
}

function shown(results) {
  return results.map((r) => `${r.n} ${r.score} ${r.doc.u} ${r.doc.t}`);
}

async function compare(singleDir, shardedDir) {
  const code = searchCode();
  const single = openIndex(code, singleDir);
  const entry = await single.index.entry;
  if (!entry.keys || !entry.docs) throw new Error(`${singleDir}: not a single-file index`);
  const sharded = openIndex(code, shardedDir);
  if ((await sharded.index.entry).keys) throw new Error(`${shardedDir}: not a sharded index`);
  const queries = queriesOf(entry);
  const differ = [];
  let withResults = 0;
  for (const q of queries) {
    const a = shown(await code.search(single.index, q));
    const b = shown(await code.search(sharded.index, q));
    if (a.length) withResults += 1;
    if (JSON.stringify(a) !== JSON.stringify(b)) differ.push({ query: q, single: a.slice(0, 5), sharded: b.slice(0, 5) });
  }
  const summary = { queries: queries.length, with_results: withResults, differ: differ.length, examples: differ.slice(0, 5) };
  process.stdout.write(JSON.stringify(summary) + "\n");
  process.exitCode = differ.length ? 1 : 0;
}

async function bytes(dir, queries) {
  const code = searchCode();
  for (const q of queries) {
    const { index, fetched } = openIndex(code, dir);
    const results = await code.search(index, q);
    process.stdout.write(JSON.stringify({ query: q, results: results.length, files: fetched.files, bytes: fetched.bytes, gzip: fetched.gzip }) + "\n");
  }
}

const [mode, ...args] = process.argv.slice(2);
if (mode === "compare" && args.length === 2) await compare(args[0], args[1]);
else if (mode === "bytes" && args.length >= 2) await bytes(args[0], args.slice(1));
else {
  process.stderr.write("usage: node tests/search_index.mjs compare SINGLE_DIR SHARDED_DIR | bytes OUT_DIR QUERY...\n");
  process.exitCode = 2;
}
