// The benchmark's baseline: a plain-JavaScript language card, written only
// to be measured against. It fetches the languages and renders them with
// DOM calls, then listens for edits.
(function () {
  "use strict";
  var levels = ["elementary", "conversational", "limitedWorking", "professionalWorking", "fullProfessional", "nativeOrBilingual"];
  function el(tag, props, children) {
    var e = document.createElement(tag);
    Object.keys(props || {}).forEach(function (k) { e.setAttribute(k, props[k]); });
    (children || []).forEach(function (c) { e.append(c); });
    return e;
  }
  function select(name, value) {
    var s = el("select", { name: name }, levels.map(function (l) { return el("option", { value: l }, [l]); }));
    s.value = value;
    return s;
  }
  // Embedded (data-embedded, on the intranet page in place of embed.js, as
  // async as it), it is a third-party card like langcard's: it waits for
  // the page's markup as embed.js does, draws in a shadow root of the
  // page's first <language-card> with its stylesheet (data-css) in it, and
  // fetches the languages across origins.
  var script = document.currentScript;
  var embedded = script.hasAttribute("data-embedded");
  function cards() {
    if (!embedded) return document.getElementById("cards");
    var shadow = document.querySelector("language-card").attachShadow({ mode: "open" });
    var root = el("main", { id: "cards", "data-mark": "" });
    shadow.append(el("link", { rel: "stylesheet", href: script.dataset.css }), root);
    return root;
  }
  function start() {
    var root = cards();
    fetch(new URL("/api/me/languages", script.src), { credentials: embedded ? "include" : "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
      data.value.forEach(function (lp) {
        var save = el("button", { type: "submit", disabled: "" }, ["Save"]);
        var form = el("form", { "class": "card-form" }, [
          el("input", { name: "tag", value: lp.tag }), el("input", { name: "displayName", value: lp.displayName }),
          select("spoken", lp.spoken), select("written", lp.written), select("reading", lp.reading), save,
        ]);
        form.addEventListener("input", function () { save.disabled = false; });
        form.addEventListener("submit", function (e) { e.preventDefault(); });
        root.append(el("article", { "class": "card" }, [el("h2", { elementtiming: "card" }, [lp.displayName]), form]));
      });
      performance.mark("langcard-interactive");
      // On the intranet page it marks the frame its cards are in, as
      // embed.js does there, so that the two are timed alike.
      if (root.hasAttribute("data-mark")) requestAnimationFrame(function () { performance.mark("langcard-visible"); });
    });
  }
  if (embedded && document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true });
  else start();
})();
