// Shared helpers of the browser suite (tests/e2e/*.test.mjs, run by `npm test`).
//
// - buildSite(): the sample site (the repository root) built by target/debug/tabiji into a
//   temporary folder, or the folder named by TABIJI_E2E_SITE (scripts/test.sh builds it once
//   so that the browser, the Nu checker and hyperlink all look at the same output).
// - buildGeneratedSite(n): a site of n personas from bench/gen_site.py, built.
// - serveStatic(dir): a tiny HTTP server on 127.0.0.1 that serves a built site as a static
//   host would: `/x/` is `x/index.html`, anything missing is `404.html` with status 404.
// - startServe(site): `tabiji serve SITE --port 0` as a child process.
// - launchBrowser(): Debian's Chromium through playwright-core, with a time limit on every
//   step and a cleanup that kills the browser's processes if closing it hangs.
//
// - useBuiltSite(): registers the hooks that build the site, serve it and launch a browser
//   before a group of tests and close them after; returns `{site, server, browser}`.
//
// Every wait has a limit, so that a stray child process cannot hang CI.

import { after, before } from "node:test";
import { spawn, spawnSync } from "node:child_process";
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { cp, mkdir, mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const TABIJI = process.env.TABIJI_BIN || path.join(ROOT, "target", "debug", "tabiji");
export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
export const SCREENSHOTS = path.join(ROOT, "target", "screenshots");

/** Time limit of one browser step (a click, a navigation, a wait). */
export const STEP_MS = 15_000;
/** Time limit of one test (node:test `timeout`). */
export const TEST_MS = 120_000;

export const DESKTOP = { width: 1366, height: 768 };
export const PHONE = { width: 390, height: 844 };

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** `promise`, or a rejection naming `what` after `ms` milliseconds. */
export function withTimeout(promise, ms, what) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

/** A new temporary folder; removed by the returned cleanup. */
export async function tempDir(prefix) {
  return mkdtemp(path.join(os.tmpdir(), `tabiji-e2e-${prefix}-`));
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: 120_000, ...opts });
  if (r.error) throw new Error(`${cmd} ${args.join(" ")}: ${r.error.message}`);
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(" ")} exited with ${r.status}\n${r.stdout}\n${r.stderr}`);
  }
  return r;
}

function requireTabiji() {
  if (!existsSync(TABIJI)) {
    throw new Error(`${TABIJI} is missing: run \`cargo build\` first (scripts/test.sh does)`);
  }
}

/**
 * The built sample site: `{ dir, cleanup }`. Uses TABIJI_E2E_SITE when set (already built),
 * otherwise builds the repository's sample site into a temporary folder.
 */
export async function buildSite() {
  const given = process.env.TABIJI_E2E_SITE;
  if (given) {
    const dir = path.resolve(ROOT, given);
    if (!existsSync(path.join(dir, "index.html"))) {
      throw new Error(`TABIJI_E2E_SITE=${given}: no index.html there; build the site first`);
    }
    return { dir, cleanup: async () => {} };
  }
  requireTabiji();
  const tmp = await tempDir("site");
  const dir = path.join(tmp, "public");
  run(TABIJI, ["build", ROOT, "-o", dir]);
  return { dir, cleanup: () => rm(tmp, { recursive: true, force: true }) };
}

/**
 * A site of `personas` personas from bench/gen_site.py, built: `{ dir, cleanup }` (`dir` is
 * the output folder). For what only a larger site has (a sharded search index, the print
 * page's list of personas).
 */
export async function buildGeneratedSite(personas) {
  requireTabiji();
  const tmp = await tempDir(`gen-${personas}`);
  run("python3", [path.join(ROOT, "bench", "gen_site.py"), "--personas", String(personas), path.join(tmp, "site")]);
  const dir = path.join(tmp, "public");
  run(TABIJI, ["build", path.join(tmp, "site"), "-o", dir]);
  return { dir, cleanup: () => rm(tmp, { recursive: true, force: true }) };
}

/** A copy of the sample site's sources (not its output) in a temporary folder. */
export async function copySampleSite() {
  const tmp = await tempDir("src");
  for (const name of ["tabiji.toml", "content", "templates", "static"]) {
    const from = path.join(ROOT, name);
    if (existsSync(from)) await cp(from, path.join(tmp, name), { recursive: true });
  }
  return { dir: tmp, cleanup: () => rm(tmp, { recursive: true, force: true }) };
}

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".xml": "application/xml",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
};

/** Serve `dir` on 127.0.0.1 as a static host would. Returns `{ url, close }`. */
export async function serveStatic(dir) {
  const root = path.resolve(dir);
  const server = http.createServer((req, res) => {
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, "http://x").pathname);
    } catch {
      res.writeHead(400).end("bad request");
      return;
    }
    const file = path.resolve(root, "." + pathname);
    if (file !== root && !file.startsWith(root + path.sep)) {
      res.writeHead(400).end("bad request");
      return;
    }
    const isFile = (p) => {
      try {
        return statSync(p).isFile();
      } catch {
        return false;
      }
    };
    let target = null;
    if (pathname.endsWith("/")) {
      if (isFile(path.join(file, "index.html"))) target = path.join(file, "index.html");
    } else if (isFile(file)) {
      target = file;
    } else if (isFile(path.join(file, "index.html"))) {
      const u = new URL(req.url, "http://x");
      res.writeHead(301, { Location: u.pathname + "/" + u.search }).end();
      return;
    }
    let status = 200;
    if (!target) {
      status = 404;
      target = path.join(root, "404.html");
      if (!isFile(target)) {
        res.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
        return;
      }
    }
    const type = TYPES[path.extname(target).toLowerCase()] || "application/octet-stream";
    res.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store" });
    if (req.method === "HEAD") {
      res.end();
      return;
    }
    createReadStream(target).pipe(res);
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      withTimeout(
        new Promise((resolve) => {
          server.closeAllConnections?.();
          server.close(() => resolve());
        }),
        5_000,
        "closing the static server",
      ).catch(() => {}),
  };
}

/**
 * `tabiji serve SITE --port 0` as a child: `{ url, child, output(), stop() }`. `url` is the one
 * it prints (`serving … at http://127.0.0.1:PORT/`). `stop()` ends the child (SIGINT, then
 * SIGKILL) and always resolves; call it in `finally`.
 */
export async function startServe(site) {
  requireTabiji();
  // The messages speak the site's language: no TABIJI_LANG from the caller's shell.
  const env = { ...process.env };
  delete env.TABIJI_LANG;
  const child = spawn(TABIJI, ["serve", site, "--port", "0", "--bind", "127.0.0.1"], {
    stdio: ["ignore", "pipe", "pipe"],
    env,
  });
  let out = "";
  child.stdout.setEncoding("utf8");
  child.stderr.setEncoding("utf8");
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  let exited = child.exitCode !== null;
  const exitedP = new Promise((resolve) => child.once("exit", () => { exited = true; resolve(); }));
  // Never leave the server behind, even when the test process dies.
  const onExit = () => { if (!exited) try { child.kill("SIGKILL"); } catch { /* gone */ } };
  process.once("exit", onExit);
  const stop = async () => {
    process.removeListener("exit", onExit);
    if (exited) return;
    child.kill("SIGINT");
    await Promise.race([exitedP, sleep(3_000)]);
    if (!exited) {
      child.kill("SIGKILL");
      await Promise.race([exitedP, sleep(3_000)]);
    }
  };
  try {
    const url = await withTimeout(
      new Promise((resolve, reject) => {
        const look = () => {
          // "serving SITE at URL" / "SITE を URL で配信しています"
          const m = out.match(/(http:\/\/127\.0\.0\.1:\d+\/\S*)/);
          if (m) resolve(m[1]);
        };
        child.stdout.on("data", look);
        look();
        exitedP.then(() => reject(new Error(`tabiji serve exited with ${child.exitCode}:\n${out}`)));
      }),
      30_000,
      "tabiji serve printing its address",
    );
    return { url, child, output: () => out, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Pids of the processes whose command line holds `needle` (our own Chromium's profile). */
function pidsWith(needle) {
  const pids = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${name}/cmdline`, "utf8");
      if (cmd.includes(needle)) pids.push(Number(name));
    } catch {
      /* gone */
    }
  }
  return pids;
}

function killAll(pids) {
  for (const pid of pids) {
    // Playwright starts Chromium as the leader of its own process group: end the group
    // (renderers, zygotes), then the process itself.
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, "SIGKILL");
      } catch {
        /* gone, or not a group leader */
      }
    }
  }
}

/**
 * Debian's Chromium with a new empty profile: `{ context, newPage(), close() }`. Every page
 * gets STEP_MS as its default time limit and records uncaught script errors in
 * `page.tjErrors`. `close()` never hangs: it kills the browser's own processes (found by
 * the profile folder in their command line) when closing does not finish in time.
 */
export async function launchBrowser({ viewport = DESKTOP } = {}) {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: apt-get install chromium (scripts/test.sh does)`);
  }
  const profile = await tempDir("profile");
  const killOurs = () => killAll(pidsWith(`--user-data-dir=${profile}`));
  process.once("exit", killOurs);
  let context;
  try {
    context = await withTimeout(
      chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        args: CHROMIUM_ARGS,
        viewport,
        locale: "ja-JP",
        timeout: 60_000,
      }),
      70_000,
      "launching Chromium",
    );
  } catch (e) {
    killOurs();
    process.removeListener("exit", killOurs);
    await rm(profile, { recursive: true, force: true });
    throw e;
  }
  context.setDefaultTimeout(STEP_MS);
  context.setDefaultNavigationTimeout(STEP_MS);
  const watch = (page) => {
    page.tjErrors = [];
    page.on("pageerror", (err) => page.tjErrors.push(`${page.url()}: ${err.message}`));
  };
  context.pages().forEach(watch);
  context.on("page", watch);
  let closed = false;
  return {
    context,
    async newPage() {
      const pages = context.pages();
      // The persistent context opens with one blank tab: use it first.
      if (pages.length === 1 && pages[0].url() === "about:blank" && !pages[0].tjUsed) {
        pages[0].tjUsed = true;
        return pages[0];
      }
      return context.newPage();
    },
    async close() {
      if (closed) return;
      closed = true;
      await withTimeout(context.close(), 15_000, "closing Chromium").catch(() => {});
      killOurs();
      process.removeListener("exit", killOurs);
      await rm(profile, { recursive: true, force: true }).catch(() => {});
    },
  };
}

/** `base` + a site path whose segments may be Unicode ids (percent-encoded here). */
export function siteUrl(base, sitePath) {
  const encoded = sitePath
    .split("/")
    .map((s) => encodeURIComponent(s))
    .join("/");
  return new URL(encoded.replace(/^\//, ""), base).href;
}

/** The ids (sub-folder names) of one kind of page in a built site, sorted. */
export function idsOf(siteDir, kind) {
  const dir = path.join(siteDir, kind);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, "index.html")))
    .map((d) => d.name)
    .sort();
}

/** Fail with the page's uncaught script errors, if any. */
export function assertNoScriptErrors(page) {
  if (page.tjErrors && page.tjErrors.length) {
    throw new Error(`uncaught script errors:\n  ${page.tjErrors.join("\n  ")}`);
  }
}

/** Decoded path of the page's URL (`/personas/情シス課長/`). */
export function pathOf(page) {
  return decodeURIComponent(new URL(page.url()).pathname);
}

/** Run axe-core on the page; returns its violations. */
export async function runAxe(page) {
  const axePath = require.resolve("axe-core/axe.min.js");
  const loaded = await page.evaluate(() => typeof window.axe !== "undefined");
  if (!loaded) await page.addScriptTag({ path: axePath });
  return withTimeout(
    page.evaluate(async () => {
      const r = await window.axe.run(document, { resultTypes: ["violations"] });
      return r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        helpUrl: v.helpUrl,
        nodes: v.nodes.map((n) => ({
          target: n.target.join(" "),
          html: n.html.slice(0, 300),
          summary: n.failureSummary,
        })),
      }));
    }),
    60_000,
    "axe-core",
  );
}

/** Wait until web fonts are ready (for screenshots and contrast checks). */
export async function fontsReady(page) {
  await withTimeout(page.evaluate(() => document.fonts.ready.then(() => true)), STEP_MS, "fonts").catch(() => {});
}

export async function ensureDir(dir) {
  await mkdir(dir, { recursive: true });
}

/// Build the sample site, serve it and launch Chromium before the tests of the enclosing
/// `describe` (or file), and close all three after them. The returned object's `site`,
/// `server` and `browser` are set once the `before` hook has run.
export function useBuiltSite({ viewport = DESKTOP } = {}) {
  const ctx = { site: null, server: null, browser: null };
  before(async () => {
    ctx.site = await buildSite();
    ctx.server = await serveStatic(ctx.site.dir);
    ctx.browser = await launchBrowser({ viewport });
  }, { timeout: TEST_MS });
  after(async () => {
    await ctx.browser?.close();
    await ctx.server?.close();
    await ctx.site?.cleanup();
  }, { timeout: TEST_MS });
  return ctx;
}
