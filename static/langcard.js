// langcard's widget loader: it starts the Go WebAssembly widget, which
// hydrates the cards the server rendered. Without WebAssembly (or if it
// fails) the page keeps working through its forms.
(function () {
  "use strict";
  var script = document.currentScript;
  var wasm = script && script.dataset.wasm;
  if (!wasm || typeof WebAssembly !== "object" || typeof Go !== "function") return;
  var go = new Go();
  WebAssembly.instantiateStreaming(fetch(wasm, { credentials: "same-origin" }), go.importObject)
    .then(function (result) { go.run(result.instance); })
    .catch(function (err) { console.warn("langcard: the widget did not start; the forms still work.", err); });
})();
