// `tabiji serve` in Chromium: an open page reloads by itself after an edit; an edit that
// breaks the build shows #tabiji-overlay over the last good page, and fixing it clears it.
// The server runs on a temporary copy of the sample site and is killed in `finally`.

import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";

import { TEST_MS, assertNoScriptErrors, copySampleSite, launchBrowser, startServe } from "./helpers.mjs";

const PERSONA = "it-staff";
/** How long a save may take to reach the open page (watcher debounce + rebuild + reload). */
const RELOAD_MS = 20_000;

test("tabiji serve: live reload after an edit, error overlay on a broken edit and gone after the fix", { timeout: TEST_MS }, async () => {
  let src, server, browser;
  try {
    src = await copySampleSite();
    const file = path.join(src.dir, "content", "personas", `${PERSONA}.md`);
    const original = readFileSync(file, "utf8");
    const nameLine = original.match(/^name\s*=\s*"([^"]*)"\s*$/m);
    assert.ok(nameLine, `content/personas/${PERSONA}.md has no name = "…" line`);
    const oldName = nameLine[1];

    server = await startServe(src.dir);
    browser = await launchBrowser();
    const page = await browser.newPage();
    await page.goto(new URL(`personas/${PERSONA}/`, server.url).href);
    const h1 = page.locator("main h1").first();
    assert.equal((await h1.innerText()).trim(), oldName);
    // Wait until the page listens for rebuilds, then mark this document: a reload drops the mark.
    await page.waitForFunction(() => [...document.scripts].some((s) => s.src.includes("/__tabiji/live.js")));
    await page.waitForLoadState("load");
    const mark = () => page.evaluate(() => { window.__tjMark = true; });
    const marked = () => page.evaluate(() => window.__tjMark === true).catch(() => false);
    await mark();

    // 1. An edit: the page reloads by itself and shows the new name.
    const newName = `${oldName}（編集済み）`;
    writeFileSync(file, original.replace(nameLine[0], `name = "${newName}"`));
    await page
      .waitForFunction((n) => !window.__tjMark && document.querySelector("main h1")?.textContent.trim() === n, newName, { timeout: RELOAD_MS })
      .catch((e) => {
        throw new Error(`the page did not reload by itself within ${RELOAD_MS} ms of an edit (${e.message})\nserver output:\n${server.output()}`);
      });
    assert.equal(await page.locator("#tabiji-overlay").count(), 0, "an overlay after a good edit");
    await page.waitForLoadState("load");
    await mark();

    // 2. A broken edit: the overlay appears over the last good page, naming the file.
    writeFileSync(file, original.replace(nameLine[0], `name = "${newName}`));
    const overlay = page.locator("#tabiji-overlay");
    await overlay.waitFor({ state: "visible", timeout: RELOAD_MS }).catch((e) => {
      throw new Error(`no #tabiji-overlay within ${RELOAD_MS} ms of a broken edit (${e.message})\nserver output:\n${server.output()}`);
    });
    assert.equal(await marked(), false, "the overlay appeared without a reload");
    assert.equal((await h1.innerText()).trim(), newName, "the last good page is not the one shown under the overlay");
    const text = await overlay.innerText();
    assert.ok(text.includes(`${PERSONA}.md`), `the overlay does not name the broken file: «${text.slice(0, 400)}»`);
    // The sample site is Japanese: so is the overlay, from its lead to the error's words.
    assert.ok(text.includes("最後の編集ではサイトを生成できませんでした"), `the overlay's lead is not Japanese: «${text.slice(0, 400)}»`);
    assert.ok(text.includes("エラー["), `the error is not introduced in Japanese: «${text.slice(0, 400)}»`);
    assert.ok(!/the last edit did not build|\berror\[/.test(text), `English in the overlay of a Japanese site: «${text.slice(0, 400)}»`);
    assert.equal(await overlay.locator("[lang=ja]").count() > 0, true, "the overlay's text is not marked lang=ja");
    await page.waitForLoadState("load");
    await mark();

    // 3. The fix: the overlay goes away by itself.
    writeFileSync(file, original);
    await page
      .waitForFunction(
        (n) => !window.__tjMark && !document.getElementById("tabiji-overlay") && document.querySelector("main h1")?.textContent.trim() === n,
        oldName,
        { timeout: RELOAD_MS },
      )
      .catch((e) => {
        throw new Error(`the overlay did not clear within ${RELOAD_MS} ms of the fix (${e.message})\nserver output:\n${server.output()}`);
      });
    assertNoScriptErrors(page);
  } finally {
    await browser?.close();
    await server?.stop();
    await src?.cleanup();
  }
});
