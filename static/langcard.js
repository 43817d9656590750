// langcard's widget loader: it starts the Go WebAssembly widget, which
// hydrates the cards the server rendered. The build appends it to Go's
// wasm_exec.js, and the page loads the two as one async script. Without WebAssembly (or if it
// fails) the page keeps working through its forms.
(function () {
  "use strict";
  var script = document.currentScript;
  var wasm = script && script.dataset.wasm;
  if (!wasm || typeof WebAssembly !== "object" || typeof Go !== "function") return;
  // The roots to hydrate: this page, or the <language-card> elements that
  // embed.js filled. The widget hydrates them when it starts.
  var reg = window.langcard = window.langcard || { roots: [] };
  if (!script.hasAttribute("data-embedded")) reg.roots.push(document.documentElement);
  var go = new Go();
  // The cards are already in the page: let them paint first (the preload
  // hint keeps the download going), then compile and run the widget. On a
  // small machine, compiling competes with painting for the cores.
  var painted = new Promise(function (resolve) {
    setTimeout(resolve, 1000); // a hidden tab never paints
    try {
      new PerformanceObserver(function (list, observer) {
        if (list.getEntriesByName("first-contentful-paint").length) { observer.disconnect(); resolve(); }
      }).observe({ type: "paint", buffered: true });
    } catch (e) { resolve(); }
  });
  painted
    .then(function () { return WebAssembly.instantiateStreaming(fetch(wasm, { credentials: "same-origin" }), go.importObject); })
    .then(function (result) { go.run(result.instance); })
    .catch(function (err) { console.warn("langcard: the widget did not start; the forms still work.", err); });
})();
