// axe-core on every page type of the built sample site (and on the states the script adds:
// search results open, the onboarding bar, the onboarding progress): zero serious or
// critical violations. Each failure names the page, the rule, the elements and axe's message.

import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import path from "node:path";
import { before, describe, test } from "node:test";

import {
  DESKTOP,
  PHONE,
  TEST_MS,
  assertNoScriptErrors,
  fontsReady,
  idsOf,
  runAxe,
  siteUrl,
  useBuiltSite,
} from "./helpers.mjs";

const BLOCKING = new Set(["moderate", "serious", "critical"]);

function report(where, violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 8)
        .map((n) => `      at ${n.target}\n        ${n.html}\n        ${(n.summary || "").replace(/\n/g, "\n        ")}`)
        .join("\n");
      const more = v.nodes.length > 8 ? `\n      … and ${v.nodes.length - 8} more elements` : "";
      return `  ${where}: [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes}${more}`;
    })
    .join("\n");
}

/** The pages to check: one of each type, preferring the sample site's Unicode ids. */
function pagesOf(dir) {
  const pick = (kind, prefer) => {
    const ids = idsOf(dir, kind);
    const id = ids.includes(prefer) ? prefer : ids[0];
    return id === undefined ? [] : [[`${kind.replace(/s$/, "")}`, `/${kind}/${id}/`]];
  };
  return [
    ["home", "/"],
    ...pick("personas", "情シス課長"),
    ["persona_stage", "/personas/情シス課長/consideration/"],
    ...pick("journeys", "情シス課長-new"),
    ...pick("stages", "consideration"),
    ...pick("departments", "field-sales"),
    ...pick("playbooks", "hearing"),
    ["glossary", "/glossary/"],
    ["roles", "/roles/"],
    ["qualification", "/qualification/"],
    ["onboarding", "/onboarding/"],
    ["print", "/print/"],
    // With `[history]` in the sample's tabiji.toml (in a shallow clone: without entries).
    ...(existsSync(path.join(dir, "changes", "index.html")) ? [["changes", "/changes/"]] : []),
    ["404", "/no-such-page/"],
  ];
}

for (const [label, viewport] of [
  ["desktop", DESKTOP],
  ["phone", PHONE],
]) {
  describe(`axe-core: no moderate, serious or critical violations (${label} ${viewport.width}×${viewport.height})`, () => {
    const ctx = useBuiltSite({ viewport });
    let pages;
    before(async () => {
      pages = pagesOf(ctx.site.dir);
    }, { timeout: TEST_MS });

    async function check(page, where) {
      await page.waitForLoadState("load");
      await fontsReady(page);
      const violations = await runAxe(page);
      const blocking = violations.filter((v) => BLOCKING.has(v.impact));
      const minor = violations.filter((v) => !BLOCKING.has(v.impact));
      if (minor.length) console.log(`# axe, not blocking:\n${report(where, minor).replace(/^/gm, "# ")}`);
      assert.ok(blocking.length === 0, `axe-core found ${blocking.length} violation(s) of moderate impact or worse:\n${report(where, blocking)}`);
      assertNoScriptErrors(page);
    }

    // One test per page type and colour scheme, so that every failing page is reported.
    for (const scheme of ["light", "dark"])
    for (const kind of ["home", "persona", "persona_stage", "journey", "stage", "department", "playbook", "glossary", "roles", "qualification", "onboarding", "print", "404"]) {
      test(`${kind} page (${scheme})`, { timeout: TEST_MS }, async (t) => {
        const entry = pages.find(([k]) => k === kind);
        if (!entry) {
          t.skip(`the sample site has no ${kind} page`);
          return;
        }
        const page = await ctx.browser.newPage();
        try {
          await page.emulateMedia({ colorScheme: scheme });
          const res = await page.goto(siteUrl(ctx.server.url, entry[1]));
          assert.equal(res.status(), kind === "404" ? 404 : 200, `${entry[1]}: HTTP status`);
          await check(page, `${entry[1]} (${kind}, ${label}, ${scheme})`);
        } finally {
          await page.close();
        }
      });
    }

    test("home page with search results open", { timeout: TEST_MS }, async () => {
      const page = await ctx.browser.newPage();
      try {
        await page.goto(ctx.server.url);
        await page.locator("#tj-search-input").fill("稟議");
        await page.locator("#tj-search-results a").first().waitFor();
        await check(page, `/ with search results open (${label})`);
      } finally {
        await page.close();
      }
    });

    test("onboarding progress shown, and a page with the onboarding bar", { timeout: TEST_MS }, async () => {
      const page = await ctx.browser.newPage();
      try {
        await page.goto(siteUrl(ctx.server.url, "/onboarding/"));
        await page.locator("input[data-step]").first().check();
        await page.locator("[data-onboarding-progress]").waitFor({ state: "visible" });
        await check(page, `/onboarding/ with a step checked (${label})`);
        const link = page.locator("li.step a[data-step-page]").nth(1);
        await Promise.all([page.waitForURL((u) => !u.pathname.startsWith("/onboarding/")), link.click()]);
        await page.locator(".onboarding-bar").waitFor({ state: "visible" });
        await check(page, `${decodeURIComponent(new URL(page.url()).pathname)} with the onboarding bar (${label})`);
      } finally {
        await page.close();
      }
    });
  });
}
