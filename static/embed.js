// langcard on an intranet page: one script tag and one element.
//
//   <script src="https://langcard.contoso.com/static/embed.js" async></script>
//   <language-card></language-card>            your languages
//   <language-card user="adele@contoso.com"></language-card>   a colleague's, read-only
//                                              (editable for administrators)
//   <language-card layout="compact"></language-card>
//   <language-card lang="nb" heading-level="3"></language-card>   in Norwegian, under an <h2>
//
// Each element gets a shadow root (its styles and ids stay its own), filled
// with the cards the BFF renders (one request for all the elements on the
// page); then the widget loads, once per page however many elements there
// are, and hydrates every editable one.
(function () {
  "use strict";
  var script = document.currentScript;
  var bff = new URL(script.src).origin;
  var reg = window.langcard = window.langcard || { roots: [] };
  var loading = false;

  function loadWidget(root) {
    if (loading || !root.dataset.wasm) return;
    loading = true;
    var s = document.createElement("script");
    s.src = root.dataset.script;
    s.async = true;
    s.dataset.wasm = root.dataset.wasm;
    s.setAttribute("data-embedded", "");
    document.head.appendChild(s);
  }

  // forgetDrafts removes the widget's unsaved edits from this origin's
  // storage (they are kept per person while someone is signed in).
  function forgetDrafts() {
    try {
      for (var i = localStorage.length - 1; i >= 0; i--) {
        var k = localStorage.key(i);
        if (k && k.indexOf("langcard:draft:") === 0) localStorage.removeItem(k);
      }
    } catch (e) { /* storage unavailable: nothing kept either */ }
  }

  function unreachable(shadow) {
    var p = document.createElement("p");
    var a = document.createElement("a");
    a.href = bff + "/";
    a.target = "_top";
    a.textContent = "Open langcard";
    p.append("Your languages could not be loaded here. ", a);
    shadow.replaceChildren(p);
  }

  // fill puts one card's markup in its shadow root and hydrates it.
  function fill(shadow, html) {
    shadow.innerHTML = html; // the BFF's own markup: no script runs from it
    var root = shadow.querySelector(".langcard");
    if (!root) return unreachable(shadow);
    requestAnimationFrame(function () { performance.mark("langcard-visible"); });
    if (root.querySelector(".signin")) return forgetDrafts(); // signed out: no one's edits stay behind
    if (!root.querySelector("section.cards")) return; // a message, or a colleague's read-only cards
    if (reg.ui) reg.ui.bind(root);
    if (reg.hydrate) reg.hydrate(root); else reg.roots.push(root);
    loadWidget(root);
  }

  // Every card of the page's markup is fetched with the others, in one
  // request however many people it shows: while the page is still being
  // parsed (this script is async, so it may run mid-page), the request
  // waits for the whole markup; after that, the cards that connect in the
  // same task go together.
  var pending = [];
  function flush() {
    var batch = pending;
    pending = [];
    var q = new URLSearchParams({ returnTo: location.href });
    batch.forEach(function (c) {
      var el = c.el, level = parseInt(el.getAttribute("heading-level") || "2", 10);
      var lang = (el.getAttribute("lang") || "").replace(/[^A-Za-z0-9-]/g, "");
      q.append("el", (el.getAttribute("layout") === "compact" ? "compact" : "full") + "," + lang + "," +
        (level >= 1 && level <= 5 ? level : 2) + ":" + (el.getAttribute("user") || ""));
    });
    fetch(bff + "/embed/cards?" + q, { credentials: "include" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var t = document.createElement("template");
        t.innerHTML = html;
        batch.forEach(function (c, i) {
          var part = t.content.querySelector('template[data-el="' + i + '"]');
          if (part) fill(c.shadow, part.innerHTML); else unreachable(c.shadow);
        });
      })
      .catch(function () { batch.forEach(function (c) { unreachable(c.shadow); }); });
  }

  class LanguageCard extends HTMLElement {
    connectedCallback() {
      if (this.shadowRoot) return;
      var shadow = this.attachShadow({ mode: "open" });
      if (pending.length === 0) {
        if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", flush, { once: true });
        else queueMicrotask(flush);
      }
      pending.push({ el: this, shadow: shadow });
    }
  }
  if (!customElements.get("language-card")) customElements.define("language-card", LanguageCard);
})();
