// langcard on an intranet page: one script tag and one element.
//
//   <script src="https://langcard.contoso.com/static/embed.js" async></script>
//   <language-card></language-card>            your languages
//   <language-card user="adele@contoso.com"></language-card>   a colleague's, read-only
//                                              (for administrators too: they
//                                              change it on langcard's own page)
//   <language-card layout="compact"></language-card>
//   <language-card lang="nb" heading-level="3"></language-card>   in Norwegian, under an <h2>
//   <language-card readonly></language-card>   your languages, to read
//
// The element says what happens, in events that bubble out of it:
// langcard-ready, langcard-saved, langcard-added, langcard-deleted (detail:
// id, tag, name), langcard-error (detail: code, message) and
// langcard-signin-required. It is themed by the --langcard-* custom
// properties and styled further through ::part() (language-card.d.ts and
// custom-elements.json, served beside this script, describe it all).
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
  // The widget's script, module and stylesheet, named by the build (as the
  // BFF serves them); the placeholder stays when embed.js is served
  // unbuilt. The cards' stylesheet is fetched right after the cards are
  // asked for, so that it is there when they are.
  var widget = "__LANGCARD_WIDGET__".split(" ");
  var preloaded = false;
  function preloadStyles() {
    if (preloaded || widget.length !== 3) return;
    preloaded = true;
    var css = document.createElement("link");
    css.rel = "preload";
    css.as = "style";
    css.href = bff + widget[2];
    document.head.appendChild(css);
  }

  // loadWidget adds the widget's script to the page, once: as the build
  // named it, right after the cards are asked for when the viewer's own
  // card is among them; or as the cards' answer names it (a header, read
  // before the cards), or a card does. It is never asked for before the
  // cards: on two cores, fetching it first put them on screen later.
  function loadWidget(src, wasm) {
    if (loading || !src || !wasm) return;
    loading = true;
    var s = document.createElement("script");
    s.src = src;
    s.async = true;
    s.dataset.wasm = wasm;
    // A script that cannot be had (this file, cached for minutes, may name
    // one from before a new version) leaves the way open to the one the
    // cards name.
    s.addEventListener("error", function () { loading = false; s.remove(); ran(); });
    s.addEventListener("load", ran);
    s.setAttribute("data-embedded", "");
    document.head.appendChild(s);
  }

  // afterWidget calls f once the widget's script has run (or could not be
  // had), or at once when none is loading.
  var waiting = [];
  function afterWidget(f) {
    if (loading && !reg.ui) waiting.push(f); else f();
  }
  function ran() { waiting.splice(0).forEach(function (f) { f(); }); }

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

  // embed.js's own words, in each catalogue's language (the build puts
  // them in; served unbuilt, it speaks English).
  var words = "__LANGCARD_WORDS__";
  function say(el, key, english) {
    var lang = (el.closest("[lang]") || document.documentElement).getAttribute("lang") || navigator.language || "en";
    var base = lang.toLowerCase().split("-")[0];
    if (base === "no" || base === "nn") base = "nb";
    var w = typeof words === "object" && (words[base] || words.en);
    return (w && w[key]) || english;
  }

  // unreachable is a card the BFF did not fill (it could not be reached,
  // or would not answer this page): it says so in the card's language,
  // and the console tells the page's author what to check.
  function unreachable(shadow) {
    var el = shadow.host;
    var p = document.createElement("p");
    var a = document.createElement("a");
    a.href = bff + "/";
    a.target = "_top";
    a.textContent = say(el, "embed.openLangcard", "Open langcard");
    p.append(say(el, "embed.unreachable", "Your languages could not be loaded here.") + " ", a);
    shadow.replaceChildren(p);
    if (!unreachable.said) {
      unreachable.said = true;
      console.warn("langcard: the cards could not be loaded from " + bff + ". If this page's origin, " + location.origin +
        ", is not listed in langcard's LANGCARD_EMBED_ORIGINS, an administrator must add it (the BFF logs the origins it refuses).");
    }
  }

  function emit(el, name, detail) {
    el.dispatchEvent(new CustomEvent(name, { bubbles: true, composed: true, detail: detail }));
  }

  // choices gives an editable card the list of languages to choose from
  // (the language field's suggestions), fetched once per page and
  // language after the cards are in: the cards' answer does not carry it.
  // It goes in as the editor page has it, <noscript> text that the loader
  // makes into the list when a language field is first used; a field
  // focused before it came becomes the combobox now. Without it a field
  // still takes a name or a code as typed.
  var lists = {};
  function choices(root) {
    var cards = root.querySelector("section.cards[data-choices]");
    var src = cards && cards.dataset.choices;
    try {
      if (!src || new URL(src).origin !== bff) return;
    } catch (e) { return; }
    lists[src] = lists[src] || fetch(src).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.text();
    });
    lists[src].then(function (html) {
      if (!root.isConnected || root.querySelector("noscript.choices") || root.getRootNode().getElementById(cards.dataset.list)) return;
      var ns = document.createElement("noscript");
      ns.className = "choices";
      ns.textContent = html;
      root.append(ns);
      var focused = root.getRootNode().activeElement;
      if (focused && focused.matches("input[list]")) focused.dispatchEvent(new FocusEvent("focusin", { bubbles: true }));
    }).catch(function (err) {
      delete lists[src];
      console.warn("langcard: the list of languages could not be loaded; language fields take names and codes as typed.", err);
    });
  }

  // fill puts one card's markup (parsed once, inert, in the answer's
  // <template>) in its shadow root and hydrates it.
  function fill(shadow, content) {
    var old = shadow.querySelector(".langcard[data-hydrated]");
    if (old && reg.release) reg.release(old); // shown again (an attribute changed): let the old editor go
    shadow.replaceChildren(content); // the BFF's own markup: no script runs from it
    var root = shadow.querySelector(".langcard");
    if (!root) return unreachable(shadow);
    requestAnimationFrame(function () { performance.mark("langcard-visible"); });
    if (root.querySelector(".signin")) { // signed out: no one's edits stay behind
      forgetDrafts();
      var link = root.querySelector("[data-handoff]");
      if (link) link.addEventListener("click", function (e) { e.preventDefault(); handoff(link, showAgain); });
      return emit(shadow.host, "langcard-signin-required", {});
    }
    var out = root.querySelector("[data-signout]");
    if (out) out.addEventListener("click", function () { signOut(showAgain); });
    if (!root.querySelector("section.cards")) return emit(shadow.host, "langcard-ready", {}); // a message, or read-only cards
    if (reg.ui) reg.ui.bind(root);
    choices(root);
    if (!shadow.host.isConnected) return (shadow.host._released = true); // gone already: hydrated if it comes back
    if (reg.hydrate) reg.hydrate(root); else reg.roots.push(root);
    if (reg.start) reg.start();
    loadWidget(root.dataset.script, root.dataset.wasm);
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
    batch.forEach(function (c) { q.append("el", describe(c.el)); });
    var cards = fetch(bff + "/embed/cards?" + q, { credentials: "include" });
    preloadStyles();
    // The viewer's own card is most likely editable: its script comes
    // while the cards do, so that they are in use soon after they show.
    var own = batch.some(function (c) { return !c.el.hasAttribute("user") && !c.el.hasAttribute("readonly"); });
    if (own && widget.length === 3 && widget[0].indexOf("/static/") === 0) loadWidget(bff + widget[0], bff + widget[1]);
    // The answer is read as it comes: the BFF sends each card's part as
    // soon as it is rendered, the first card's first, followed by the next
    // part's opening tag. A part is whole once that tag (or the end of the
    // answer) is in; each is parsed when it goes in, not all at once. A
    // part starts at its <template data-el="i"> and ends where the next
    // starts (the BFF escapes every "<" in what people wrote, so that
    // cannot occur inside one); it is parsed inert, as a whole.
    var html = "", done = false, shown = [];
    var start = function (i) { return html.indexOf('<template data-el="' + i + '">'); };
    var whole = function (i) { return done || start(i + 1) >= 0; };
    var put = function (i) {
      if (shown[i]) return;
      shown[i] = true;
      var a = start(i), b = start(i + 1);
      var t = document.createElement("template");
      t.innerHTML = a < 0 ? "" : html.slice(a, b < a ? html.length : b);
      var part = t.content.firstElementChild;
      if (part && part.matches("template")) fill(batch[i].shadow, part.content); else unreachable(batch[i].shadow);
    };
    // The page's first card goes in a frame of its own, the others once
    // it is painted and they are all in: the first shows some 25 ms
    // sooner on the demo intranet page's five (60 interleaved loads), as
    // it does not wait for all of them to be put in and laid out. A tab
    // in the background (no frames) puts them in after 200 ms.
    // The others also wait for the widget's script, if it is coming, to
    // run first (at most 100 ms more), so that the first card is in use
    // before they are laid out.
    var painted = batch.length === 1;
    var rest = function () {
      if (!painted || !done) return;
      batch.forEach(function (c, i) { put(i); });
    };
    var go = function () {
      if (painted) return;
      painted = true;
      rest();
    };
    var paint = function () {
      if (paint.done) return;
      paint.done = true;
      afterWidget(go);
      setTimeout(go, 100);
    };
    var more = function () {
      if (!shown[0] && whole(0)) {
        put(0);
        if (!painted) {
          requestAnimationFrame(function () { setTimeout(paint, 0); });
          setTimeout(paint, 200);
        }
      }
      rest();
    };
    cards
      .then(function (r) {
        var named = (r.headers.get("Langcard-Widget") || "").split(" ");
        loadWidget(named[0], named[1]);
        if (!r.body || !r.body.getReader || typeof TextDecoder !== "function") {
          return r.text().then(function (text) { html = text; done = true; more(); });
        }
        var reader = r.body.getReader();
        var text = new TextDecoder();
        var read = function () {
          return reader.read().then(function (chunk) {
            done = chunk.done;
            html += done ? text.decode() : text.decode(chunk.value, { stream: true });
            more();
            if (!done) return read();
          });
        };
        return read();
      })
      .catch(function () {
        // Cut off: the cards whose parts came whole show; the others say
        // they could not be loaded.
        batch.forEach(function (c, i) {
          if (shown[i]) return;
          if (i + 1 < batch.length && whole(i)) put(i); else { shown[i] = true; unreachable(c.shadow); }
        });
      });
  }

  // describe is an element's request: its layout, lang, heading level and
  // readonly, then its user ("compact,nb,3,ro:adele@contoso.com"). A value
  // it cannot use falls back, with a warning naming the attribute.
  function describe(el) {
    var warn = function (attr, value, fallback) {
      console.warn('langcard: <language-card ' + attr + '="' + value + '"> is not one of ' + fallback + "; using the default.");
    };
    var layout = el.getAttribute("layout") || "full";
    if (layout !== "full" && layout !== "compact") { warn("layout", layout, "full, compact"); layout = "full"; }
    var level = el.getAttribute("heading-level") || "2";
    if (!/^[1-5]$/.test(level)) { warn("heading-level", level, "1 to 5"); level = "2"; }
    var lang = el.getAttribute("lang") || "";
    if (lang && !/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(lang)) { warn("lang", lang, "a language tag such as en or nb"); lang = ""; }
    return layout + "," + lang + "," + level + "," + (el.hasAttribute("readonly") ? "ro" : "") + ":" + (el.getAttribute("user") || "");
  }

  function request(el, shadow) {
    if (pending.length === 0) {
      if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", flush, { once: true });
      else queueMicrotask(flush);
    }
    pending.push({ el: el, shadow: shadow });
  }

  // <language-card>: user, layout, lang, heading-level and readonly; a
  // change to any of them on a live element shows it again. Moving an
  // element keeps its shadow root and what it shows.
  class LanguageCard extends HTMLElement {
    static get observedAttributes() { return ["user", "layout", "lang", "heading-level", "readonly"]; }
    connectedCallback() {
      if (!this.shadowRoot) return request(this, this.attachShadow({ mode: "open" }));
      // Back on the page after it let its editor go: take it over again.
      var root = this._released && this.shadowRoot.querySelector(".langcard");
      this._released = false;
      if (root && reg.hydrate) reg.hydrate(root);
    }
    // Removed (not moved: a move connects it again in the same task), it
    // lets its editor go, so that nothing of it stays behind.
    disconnectedCallback() {
      var el = this;
      setTimeout(function () {
        var root = !el.isConnected && el.shadowRoot && el.shadowRoot.querySelector(".langcard[data-hydrated]");
        if (root && reg.release) {
          reg.release(root);
          el._released = true;
        }
      }, 0);
    }
    attributeChangedCallback(name, before, after) {
      if (this.shadowRoot && before !== after && this.isConnected) request(this, this.shadowRoot);
    }
  }
  if (!customElements.get("language-card")) customElements.define("language-card", LanguageCard);

  // showAgain fetches every card of the page again (signed in or out).
  function showAgain() {
    document.querySelectorAll("language-card").forEach(function (el) {
      if (el.shadowRoot && el.isConnected) request(el, el.shadowRoot);
    });
  }

  // On a host of another site, a card signs in through langcard's own
  // window and is handed the session (bff/auth/handoff.go): it makes a
  // secret, opens the window with the secret's hash, gives the secret to
  // that window alone when it asks (postMessage, checked both ways), and
  // redeems it once the window has signed in. The session comes in a
  // cookie partitioned by this page's site; a browser that refuses even
  // that gets a message and a link to langcard's own page.
  function handoff(link, done) {
    var origin = link.dataset.handoff;
    var problem = function (text) {
      var box = link.closest(".signin").querySelector(".handoff-problem");
      box.replaceChildren(document.createTextNode(text + " "));
      var a = document.createElement("a");
      a.href = origin + "/";
      a.target = "_blank";
      a.textContent = link.dataset.open;
      box.appendChild(a);
      box.hidden = false;
    };
    var bytes = new Uint8Array(32);
    crypto.getRandomValues(bytes);
    var secret = b64url(bytes);
    var win = window.open("", "langcard-signin", "popup,width=520,height=640");
    if (!win) return problem(link.dataset.popupBlocked);
    crypto.subtle.digest("SHA-256", new TextEncoder().encode(secret)).then(function (d) {
      var hash = b64url(new Uint8Array(d));
      var give = function (e) {
        if (e.source !== win || e.origin !== origin || !e.data || e.data.langcard !== "handoff" || e.data.hash !== hash) return;
        window.removeEventListener("message", give);
        win.postMessage({ langcard: "handoff-secret", hash: hash, secret: secret }, origin);
      };
      window.addEventListener("message", give);
      win.location.href = origin + "/auth/handoff?hash=" + hash;
      // Unknown (404) until the window has signed in: the card asks
      // again each second, for as long as a handoff may take.
      var until = Date.now() + 5 * 60 * 1000;
      var poll = function () {
        fetch(origin + "/api/handoff/redeem", {
          method: "POST", credentials: "include",
          headers: { "Content-Type": "application/json", "X-CSRF": "1" },
          body: JSON.stringify({ secret: secret }),
        }).then(function (r) {
          if (r.status === 204) return signedIn();
          if (r.status === 404 && Date.now() < until) return setTimeout(poll, 1000);
          window.removeEventListener("message", give);
          problem(link.dataset.failed);
        }, function () { if (Date.now() < until) setTimeout(poll, 2000); });
      };
      // The cookie was set: does this browser send it back from here?
      var signedIn = function () {
        fetch(origin + "/api/session", { credentials: "include" }).then(function (r) {
          if (r.ok) return done();
          problem(link.dataset.blocked);
        }, function () { problem(link.dataset.blocked); });
      };
      poll();
    });
  }

  function signOut(done) {
    fetch(bff + "/api/session", { method: "DELETE", credentials: "include", headers: { "X-CSRF": "1" } }).then(done, done);
  }

  function b64url(bytes) {
    var s = "";
    for (var i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
    return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  // langcard's own pages load this script too: the frame (a card on
  // another site's page, signing in or out as above), and the sign-in
  // window, which asks its opener for the secret and posts it.
  function onOwnPage() {
    var link = document.querySelector("[data-handoff]");
    if (link) link.addEventListener("click", function (e) { e.preventDefault(); handoff(link, function () { location.reload(); }); });
    var out = document.querySelector("[data-signout]");
    if (out) out.addEventListener("click", function () { signOut(function () { location.reload(); }); });
    var form = document.getElementById("langcard-handoff");
    if (form) {
      var hash = form.elements.hash.value;
      if (!window.opener) return (form.querySelector(".handoff-status").textContent = form.dataset.noOpener);
      window.addEventListener("message", function (e) {
        if (e.source !== window.opener || !e.data || e.data.langcard !== "handoff-secret" || e.data.hash !== hash) return;
        form.elements.secret.value = e.data.secret;
        form.elements.origin.value = e.origin;
        form.submit();
      });
      window.opener.postMessage({ langcard: "handoff", hash: hash }, "*");
    }
    if (document.getElementById("langcard-handoff-done")) window.close();
  }
  if (location.origin === bff) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", onOwnPage, { once: true });
    else onOwnPage();
  }
})();
