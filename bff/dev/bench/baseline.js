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
  fetch("/api/me/languages", { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
    var root = document.getElementById("cards");
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
    // On the intranet page it marks the frame its cards are in, as embed.js
    // does there, so that the two are timed alike.
    if (root.hasAttribute("data-mark")) requestAnimationFrame(function () { performance.mark("langcard-visible"); });
  });
})();
