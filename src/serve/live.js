// Added by `tabiji serve` only: reload when the site is rebuilt.
(function () {
  "use strict";
  var me = document.currentScript;
  var mine = me ? me.getAttribute("data-generation") : null;
  if (!window.EventSource) return;
  var es = new EventSource("/__tabiji/events");
  es.addEventListener("generation", function (e) {
    if (mine !== null && e.data !== mine) {
      es.close();
      location.reload();
    }
  });
})();
