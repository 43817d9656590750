// langcard's widget loader: it starts the Go WebAssembly widget, which
// hydrates the cards the server rendered. The build appends it to Go's
// wasm_exec.js, and the page loads the two as one async script.
// Without WebAssembly (or if it fails) the page keeps working through its
// forms.
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
  // Compile while the page is still arriving (the preload hint has the
  // download going already); run once the cards are parsed.
  var parsed = new Promise(function (resolve) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", resolve, { once: true });
    else resolve();
  });
  var compiled = WebAssembly.instantiateStreaming(fetch(wasm, { credentials: "same-origin" }), go.importObject);
  Promise.all([compiled, parsed])
    .then(function (done) { go.run(done[0].instance); })
    .catch(function (err) { console.warn("langcard: the widget did not start; the forms still work.", err); });
})();
