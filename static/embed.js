// langcard on an intranet page: one script tag and one element.
//
//   <script src="https://langcard.contoso.com/static/embed.js" async></script>
//   <language-card></language-card>            your languages
//   <language-card user="adele@contoso.com"></language-card>   (administrators)
//   <language-card layout="compact"></language-card>
//
// Each element gets a shadow root (its styles and ids stay its own), filled
// at once with the cards the BFF renders; then the widget loads, once per
// page however many elements there are, and hydrates every one.
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

  class LanguageCard extends HTMLElement {
    connectedCallback() {
      if (this.shadowRoot) return;
      var shadow = this.attachShadow({ mode: "open" });
      var q = new URLSearchParams({ returnTo: location.href });
      if (this.hasAttribute("user")) q.set("user", this.getAttribute("user"));
      if (this.hasAttribute("layout")) q.set("layout", this.getAttribute("layout"));
      fetch(bff + "/embed/cards?" + q, { credentials: "include" })
        .then(function (r) { return r.text(); })
        .then(function (html) {
          shadow.innerHTML = html; // the BFF's own markup: no script runs from it
          var root = shadow.querySelector(".langcard");
          if (!root) return unreachable(shadow);
          requestAnimationFrame(function () { performance.mark("langcard-visible"); });
          if (root.querySelector(".signin")) return forgetDrafts(); // signed out: no one's edits stay behind
          if (!root.querySelector("section.cards")) return;
          if (reg.hydrate) reg.hydrate(root); else reg.roots.push(root);
          loadWidget(root);
        })
        .catch(function () { unreachable(shadow); });
    }
  }
  if (!customElements.get("language-card")) customElements.define("language-card", LanguageCard);
})();
