// tabiji: small progressive enhancements. The site works without this script.
(function () {
  "use strict";

  // `/` focuses the search box, as on many documentation sites.
  document.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    var box = document.getElementById("search-input");
    if (box) { e.preventDefault(); box.focus(); }
  });

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

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", onboarding);
  else onboarding();
})();
