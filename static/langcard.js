// langcard's widget loader: it starts the Go WebAssembly widget, which
// hydrates the cards the server rendered. The build appends it to Go's
// wasm_exec.js, and the page loads the two as one script (deferred on
// langcard's own page, so it runs as soon as the cards are parsed; async
// where embed.js adds it).
// Without WebAssembly (or if it fails) the page keeps working through its
// forms.
//
// It also carries the cards' presentation, which needs no Go and so works
// from the moment this script runs, before the WebAssembly has compiled:
// Edit opens a card in place, Cancel and Escape close it, focus moves
// where a person expects, a saved card shows its new summary and a fading
// "Saved …". Everything with rules or state (validation, saving, drafts,
// keeping a page's cards alike) is the widget's; it calls these.
(function () {
  "use strict";
  var script = document.currentScript;
  var wasm = script && script.dataset.wasm;
  var reg = window.langcard = window.langcard || { roots: [] };

  function q(n, sel) { return n && n.querySelector(sel); }
  function hide(n, hidden) { if (n) n.hidden = hidden; }

  var ui = reg.ui = {
    // open shows a card's form and, unless told "quiet", puts focus in
    // its first field.
    open: function (card, how) {
      later(card);
      card.classList.add("editing");
      hide(q(card, ".summary"), true);
      hide(q(card, "a.edit"), true);
      hide(q(card, ".edit-area"), false);
      var first = q(card, ".card-form input:not([type=hidden]), .card-form select");
      if (first && how !== "quiet") first.focus();
    },
    // close shows a card's summary again, focus on its Edit.
    close: function (card) {
      card.classList.remove("editing");
      hide(q(card, ".edit-area"), true);
      hide(q(card, ".summary"), false);
      hide(q(card, "a.edit"), false);
      var st = q(card, ".card-form .status");
      if (st) st.textContent = "";
      var edit = q(card, "a.edit");
      if (edit) edit.focus();
    },
    // cancel drops a card's unsaved edits and closes it: the widget, once
    // running, forgets them ("langcard-cancel"); before, the form's own
    // reset puts back what the server rendered.
    cancel: function (card) {
      var form = q(card, ".card-form");
      if (form) {
        if (card.closest("[data-hydrated]")) form.dispatchEvent(new Event("langcard-cancel"));
        else form.reset();
      }
      ui.close(card);
    },
    // saved closes a card after a save and shows, for a while, msg.
    saved: function (card, msg) {
      emit(card, "langcard-saved", detailOf(card));
      ui.close(card);
      flash(card, msg);
    },
    // summary shows saved values (JSON of Graph's property names) in a
    // card's heading and summary, in the words of the page's catalogue.
    summary: function (card, json) {
      var v = card._values = JSON.parse(json), text = textOf(card);
      var t = function (key, value) { return (text[key] || key).replace("{value}", value || ""); };
      var set = function (sel, s) { card.querySelectorAll(sel).forEach(function (n) { n.textContent = s; n.hidden = !s; }); };
      var opt = ui.option(card, v.tag, true);
      var own = opt ? selfOf(opt) : "";
      var self = own && fold(own) !== fold(v.displayName || "") ? own : "";
      card.querySelectorAll(".name").forEach(function (n) { n.textContent = v.displayName || ""; });
      // The code only where it says more than the name (Card.ShowTag).
      set(".card-head .tag", /-/.test(v.tag || "") && (v.displayName || "").indexOf("(") < 0 ? v.tag : "");
      set(".self-name", self);
      hide(q(card, ".card-head .self"), !self);
      if (q(card, ".self-name")) q(card, ".self-name").lang = v.tag || "";
      ["spoken", "written", "reading"].forEach(function (p) {
        var lv = v[p] || "", known = Object.prototype.hasOwnProperty.call(text, "level." + lv);
        set('[data-for="' + p + '"] .value', !lv ? t("value.notSet") : known ? t("level." + lv) : t("value.other", lv));
        var scale = q(card, '[data-for="' + p + '"] .scale');
        if (scale) scale.dataset.step = String(known ? LEVELS.indexOf(lv) + 1 : 0);
      });
      var a = v.allowedAudiences || "";
      set(".summary .audience", !a ? t("audience.notSet.sees") : text["audience." + a + ".sees"] ? t("audience." + a + ".sees") : t("audience.other.sees", a));
      set(".summary time", t("card.changedToday"));
      hide(q(card, ".summary .changed"), false);
    },
    // option is the page's list entry for a tag (or, unless exact, for its
    // language alone); find is the entry a person means by what they
    // typed: a name in their language, English or its own, or a code.
    option: function (node, tag, exact) {
      var list = listOf(node);
      if (!list || !tag) return null;
      var o = list.querySelector('option[data-tag="' + CSS.escape(tag) + '"]');
      return o || exact ? o : list.querySelector('option[data-tag="' + CSS.escape(tag.split("-")[0]) + '"]');
    },
    // name is a tag's name: the list's, or else the browser's own.
    name: function (node, tag) {
      var o = ui.option(node, tag, true);
      if (o) return o.value;
      try {
        var lang = (node.closest("[lang]") || document.documentElement).lang || "en";
        var n = new Intl.DisplayNames([lang], { type: "language", fallback: "none" }).of(tag);
        return n ? n.charAt(0).toLocaleUpperCase(lang) + n.slice(1) : "";
      } catch (e) { return ""; }
    },
    find: function (node, typed) {
      var list = listOf(node), f = fold(typed.trim());
      if (!list || !f || f.indexOf("|") >= 0) return "";
      var all = list.querySelectorAll("option");
      for (var i = 0; i < all.length; i++) {
        if (keysOf(all[i]).indexOf("|" + f + "|") >= 0) return all[i].dataset.tag + "\n" + all[i].value;
      }
      return "";
    },
    // countdown waits out Microsoft 365's Retry-After (arg: the header;
    // whole seconds, rounded up, 1 to 300), saying so each second, then
    // asks the widget to save again ("langcard-retry" on the form).
    countdown: function (card, arg) {
      var n = Math.min(Math.max(Math.ceil(Number(arg)) || 1, 1), 300);
      var form = q(card, ".card-form") || card, st = q(form, ".status");
      var text = textOf(card);
      ui.stopCountdown(card);
      (function tick() {
        if (n <= 0) { form._countdown = 0; return form.dispatchEvent(new Event("langcard-retry")); }
        var one = text["@plural"] !== "other" && n === 1;
        if (st) st.textContent = (text["widget.busy." + (one ? "one" : "other")] || "").replace("{n}", n);
        n--;
        form._countdown = setTimeout(tick, 1000);
      })();
    },
    stopCountdown: function (card) {
      var form = q(card, ".card-form") || card;
      clearTimeout(form._countdown);
      form._countdown = 0;
    },
    // deleteFailed puts a card's Delete back, saying why it did not go.
    deleteFailed: function (card, msg) {
      card.removeAttribute("data-deleting");
      step(card, "start", msg);
      emit(card, "langcard-error", { code: "deleteFailed", message: msg });
    },
    // The host page hears what happened (events that leave the shadow
    // root): a card added or deleted, a save or delete that failed (arg:
    // its code and message on two lines), a sign-in needed, the widget
    // ready on a root.
    added: function (card) {
      emit(card, "langcard-added", detailOf(card));
      // "Added Swedish" shows, as "Saved French" does.
      flash(card, say(card, "widget.added", (q(card, ".card-title .name") || {}).textContent || ""));
    },
    // key is a new idempotency key for an add: the widget sends it with
    // every try of one add, so that a retry never adds the language twice.
    key: function () {
      if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
      return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
    },
    deleted: function (card) { emit(card, "langcard-deleted", detailOf(card)); },
    error: function (card, arg) {
      var parts = arg.split("\n");
      emit(card, "langcard-error", { code: parts[0], message: parts.slice(1).join("\n") });
      refusal(card, parts[0], parts.slice(1).join("\n"));
    },
    signin: function (card) { emit(card, "langcard-signin-required", {}); },
    ready: function (node) { emit(node, "langcard-ready", {}); },
    // bind gives a root's cards their presentation.
    bind: function (root) {
      if (root._langcardUI) return;
      root._langcardUI = true;
      // The first card accepts input (Edit opens it, what is typed is kept
      // for the widget) once it is parsed and this is bound.
      var ready = function () {
        if (!reg.marked && root.querySelector("article.card, form.card-form")) {
          reg.marked = true;
          reg.io.mark("langcard-interactive");
        }
      };
      if (document.readyState === "loading" && root === document.documentElement) document.addEventListener("DOMContentLoaded", ready, { once: true });
      else ready();
      root.addEventListener("click", function (e) {
        var a = e.target.closest && e.target.closest("a.edit, a.cancel, form.delete button");
        var card = a && a.closest("article.card");
        if (!card) return;
        if (a.matches("form.delete button")) return deleting(card, a, e);
        e.preventDefault();
        if (a.classList.contains("edit")) ui.open(card); else ui.cancel(card);
      });
      // A language field becomes the combobox when it is first focused
      // (made at once, its list and live region would have the browser lay
      // the whole card out again before anyone uses it).
      // A field's message waits until the person leaves the field or
      // presses Save: not while they are still typing (GOV.UK).
      ["input", "focusout", "submit"].forEach(function (type) {
        root.addEventListener(type, function (e) {
          var f = e.target.closest(".field"), form = type == "submit" && e.target;
          if (f) f.toggleAttribute("data-typing", type == "input");
          if (form) form.querySelectorAll("[data-typing]").forEach(function (n) { n.removeAttribute("data-typing"); });
        }, true);
      });
      // A field found at fault opens the disclosure it sits in.
      new MutationObserver(function (ms) {
        ms.forEach(function (m) {
          var d = m.target.getAttribute("aria-invalid") === "true" && m.target.closest("details");
          if (d) d.open = true;
        });
      }).observe(root, { subtree: true, attributes: true, attributeFilter: ["aria-invalid"] });
      root.addEventListener("focusin", function (e) {
        if (e.target.matches && e.target.matches("input[list]")) combobox(e.target);
      });
      // Escape closes a card; its unsaved edits are kept (the card says
      // so, and Edit goes on with them): only Cancel drops them.
      root.addEventListener("keydown", function (e) {
        var card = e.key === "Escape" && e.target.closest && e.target.closest("article.card.editing");
        if (!card) return;
        e.preventDefault();
        if (!dirty(card)) return ui.cancel(card);
        ui.close(card);
        flash(card, say(card, "widget.kept.draft", (q(card, ".card-title .name") || {}).textContent || ""), true);
      });
    }
  };
  // combobox makes a language field (an <input list> over the page's
  // <datalist>, which is what works without JavaScript) the WAI-ARIA
  // combobox: suggestions as the person types, found by any name or the
  // code, best first; arrow keys, Enter, Escape, or a click choose.
  var MAX = 8;
  function combobox(input) {
    var list = listOf(input);
    if (!list || input._combobox) return;
    input._combobox = true;
    var id = input.id + "-suggestions";
    var box = document.createElement("ul");
    box.id = id;
    box.className = "suggestions";
    box.setAttribute("role", "listbox");
    box.setAttribute("aria-label", (q(input.closest(".field"), "label") || {}).textContent || "");
    box.hidden = true;
    var live = document.createElement("span");
    live.className = "visually-hidden";
    live.setAttribute("role", "status");
    input.removeAttribute("list");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id);
    input.after(box, live);
    var items = [], active = -1;
    function close() {
      box.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function mark(i) {
      items.forEach(function (li, j) { li.setAttribute("aria-selected", String(j === i)); });
      active = i;
      if (i >= 0) { input.setAttribute("aria-activedescendant", items[i].id); items[i].scrollIntoView({ block: "nearest" }); }
    }
    var choosing = false;
    function choose(li) {
      input.value = li.dataset.name;
      close();
      choosing = true;
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.dispatchEvent(new Event("change", { bubbles: true }));
      choosing = false;
    }
    function suggest() {
      var f = fold(input.value.trim()), found = [];
      box.replaceChildren();
      items = [];
      if (!f) { close(); live.textContent = ""; return; }
      list.querySelectorAll("option").forEach(function (o) {
        var keys = keysOf(o), at = keys.indexOf(f);
        if (at < 0) return;
        // An exact name or code first, then names that start so, then any.
        var rank = keys.indexOf("|" + f + "|") >= 0 ? 0 : keys.indexOf("|" + f) >= 0 ? 1 : keys.indexOf(" " + f) >= 0 ? 2 : 3;
        found.push([rank, o]);
      });
      found.sort(function (a, b) { return a[0] - b[0]; });
      found.slice(0, MAX).forEach(function (r, i) {
        var o = r[1], li = document.createElement("li");
        li.id = id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.dataset.name = o.value;
        li.textContent = o.value + (o.label ? " · " + o.label : "");
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(li); });
        box.appendChild(li);
        items.push(li);
      });
      var text = textOf(input);
      live.textContent = !found.length ? text["widget.noMatch"] || "" :
        (text["widget.matches." + (found.length === 1 ? "one" : "other")] || "").replace("{n}", found.length);
      box.hidden = !items.length;
      box.style.top = input.offsetTop + input.offsetHeight + 2 + "px";
      input.setAttribute("aria-expanded", String(!!items.length));
      active = -1;
    }
    input.addEventListener("input", function () { if (!choosing) suggest(); });
    input.addEventListener("blur", close);
    // Enter that chose a language does not also submit the form (some
    // keyboards send its keypress apart from the keydown).
    var chose = false;
    input.addEventListener("keypress", function (e) { if (e.key === "Enter" && chose) e.preventDefault(); });
    input.addEventListener("keyup", function () { chose = false; });
    input.addEventListener("keydown", function (e) {
      var open = !box.hidden;
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        if (!open) suggest();
        if (items.length) mark(e.key === "ArrowDown" ? (active + 1) % items.length : (active <= 0 ? items.length : active) - 1);
      } else if (e.key === "Enter" && open && active >= 0) {
        e.preventDefault();
        chose = true;
        choose(items[active]);
      } else if (e.key === "Escape" && open) {
        e.preventDefault();
        e.stopPropagation();
        close();
      }
    });
  }

  // Delete asks first, then waits UndoWindow with Undo before the widget
  // sends it ("langcard-delete"). Without the widget the form posts.
  var UndoWindow = 5000;
  function deleting(card, button, e) {
    if (!card.closest("[data-hydrated]")) return;
    e.preventDefault();
    var form = button.form, name = (q(card, ".card-title .name") || {}).textContent || "";
    if (button.classList.contains("start")) return step(card, "confirm keep", say(card, "widget.deleteAsk", name));
    if (button.classList.contains("keep")) return step(card, "start", "");
    if (button.classList.contains("undo")) {
      clearTimeout(form._pending);
      card.removeAttribute("data-deleting");
      step(card, "start", say(card, "widget.kept", name));
      return q(card, ".card-title").focus(); // back on the card, not on Delete
    }
    card.setAttribute("data-deleting", "");
    step(card, "undo", say(card, "widget.deleting." + (UndoWindow === 1000 ? "one" : "other"), name).replace("{n}", UndoWindow / 1000));
    form._pending = setTimeout(function () {
      step(card, "", say(card, "widget.deletingNow", name));
      form.dispatchEvent(new Event("langcard-delete"));
    }, UndoWindow);
  }
  // step shows the delete buttons named (the first takes focus) and says
  // msg. While a delete is asked about or counted down, Save is not
  // offered (the card's data-delete-step; app.css).
  function step(card, names, msg) {
    var shown = names.split(" ");
    card.querySelectorAll("form.delete button").forEach(function (b) { b.hidden = shown.indexOf(b.classList[b.classList.length - 1]) < 0; });
    if (names === "start") card.removeAttribute("data-delete-step"); else card.setAttribute("data-delete-step", names);
    var first = shown[0] && q(card, "form.delete button." + shown[0]);
    if (first) first.focus();
    var st = q(card, ".card-form .status");
    if (st) st.textContent = msg;
  }
  // refusal shows a failed save as a message people can read: what
  // happened and what to do first, the reference for a helpdesk and the
  // code under Details, and Try again only where trying again can help.
  var RETRYABLE = "unreachable failed badGateway unconfirmed serviceNotAvailable internal".split(" ");
  function refusal(card, code, msg) {
    var form = q(card, ".card-form"), st = form && q(form, ".status"), text = textOf(card);
    var at = msg.indexOf((text["error.reference"] || "{").split("{")[0]), again = RETRYABLE.indexOf(code) >= 0;
    if (!st) return;
    if (!again) hide(q(form, "button.retry"), true);
    if (at < 1 && again) return; // nothing to look up
    st.textContent = at < 1 ? msg : msg.slice(0, at);
    var d = document.createElement("details");
    d.innerHTML = "<summary></summary><p></p><p></p>";
    d.children[0].textContent = text["error.details"];
    d.children[1].textContent = at < 1 ? "" : msg.slice(at);
    d.children[2].textContent = text["error.code"].replace("{code}", code);
    st.appendChild(d);
  }
  // flash shows msg in a card's status for a while (keep: until the card
  // is opened again).
  function flash(card, msg, keep) {
    var st = q(card, ".card-status");
    if (!st || !msg) return;
    clearTimeout(st._fade);
    st.textContent = msg;
    st.setAttribute("data-shown", "");
    if (!keep) st._fade = setTimeout(function () { st.removeAttribute("data-shown"); st.textContent = ""; }, 6000);
  }
  // dirty reports whether a card's form differs from what it was opened
  // with (its orig.* fields).
  function dirty(card) {
    var f = q(card, ".card-form");
    if (!f) return false;
    return [].some.call(f.elements, function (el) {
      var o = el.name && f.elements["orig." + el.name];
      return o && o.value !== el.value;
    });
  }
  function say(card, key, name) {
    var text = textOf(card);
    return (text[key] || key).replace("{language}", name);
  }

  // io is what the widget asks of the browser beyond the page: requests,
  // Intl's registry of codes, and its drafts in storage.
  var known = {}, scopes = new Map(), scopeIds = new WeakMap(), nextScope = 1;
  reg.io = {
    // fetch sends a JSON request with the API's CSRF header; done gets the
    // status, Retry-After, the body's text, and the error if it failed.
    fetch: function (method, url, body, done) {
      var headers = { "X-CSRF": "1", "Accept": "application/json" };
      var opts = { method: method, credentials: "include", mode: "cors", headers: headers };
      if (body) { headers["Content-Type"] = "application/json"; opts.body = body; }
      fetch(url, opts)
        .then(function (r) { return r.text().then(function (t) { done(r.status, r.headers.get("Retry-After") || "", t, null); }); })
        .catch(function (err) { done(0, "", "", String(err)); });
    },
    // known reports whether Intl knows a language, script or region code.
    known: function (kind, code) {
      try {
        var dn = known[kind] || (known[kind] = new Intl.DisplayNames(["en"], { type: kind, fallback: "none" }));
        return typeof dn.of(code) === "string";
      } catch (e) { return false; }
    },
    // on adds one of the widget's listeners and returns its scope: the
    // document or shadow root it was added in; off removes a scope's
    // listeners (its element left the page) for the widget to free.
    on: function (node, type, f) {
      var root = node.getRootNode(), id = scopeIds.get(root);
      if (!id) { id = nextScope++; scopeIds.set(root, id); scopes.set(id, []); }
      node.addEventListener(type, f);
      scopes.get(id).push([node, type, f]);
      return id;
    },
    // listening counts the widget's listeners on the page now.
    listening: function () {
      var n = 0;
      scopes.forEach(function (l) { n += l.length; });
      return n;
    },
    off: function (node) {
      var root = node.getRootNode(), id = scopeIds.get(root);
      if (!id) return 0;
      scopes.get(id).forEach(function (l) { l[0].removeEventListener(l[1], l[2]); });
      scopes.delete(id);
      scopeIds.delete(root);
      return id;
    },
    // signIn sends the window through sign-in and back to back.
    signIn: function (login, back) {
      location.assign(login + "?returnTo=" + encodeURIComponent(back).replace(/%2F/g, "/"));
    },
    // tag is the browser's verdict on a BCP 47 tag (dom.Browser.Tag).
    tag: function (tag) {
      var c;
      try { c = Intl.getCanonicalLocales(tag)[0]; } catch (e) { return "!"; }
      var subs = c.split("-");
      if (subs[0] === "und" || subs[0] === "root") return c;
      if (!reg.io.known("language", subs[0])) return "?" + subs[0];
      for (var i = 1; i < subs.length && subs[i].length > 1; i++) {
        var s = subs[i], kind = /^[a-z]{4}$/i.test(s) ? "script" : /^([a-z]{2}|[0-9]{3})$/i.test(s) ? "region" : "";
        if (kind && !reg.io.known(kind, s)) return "?" + s;
      }
      return c;
    },
    // ui runs ui[action] for the widget, always answering a string.
    ui: function (action, card, arg) {
      var r = ui[action](card, arg);
      return typeof r === "string" ? r : "";
    },
    // The rest never throw, so that the widget needs no recover: a
    // browser that refuses storage, or a body that is not JSON, answers
    // "nothing".
    parse: function (s) { try { return JSON.parse(s); } catch (e) { return undefined; } },
    nfc: function (s) { try { return s.normalize("NFC"); } catch (e) { return s; } },
    load: function (key) { try { return localStorage.getItem(key) || ""; } catch (e) { return ""; } },
    store: function (key, value) {
      try { if (value === null) localStorage.removeItem(key); else localStorage.setItem(key, value); } catch (e) { /* not kept */ }
    },
    mark: function (name) { try { performance.mark(name); } catch (e) { /* no timeline */ } },
    // keys lists the storage keys that start with prefix, one per line.
    keys: function (prefix) {
      var out = [];
      try {
        for (var i = 0; i < localStorage.length; i++) {
          var k = localStorage.key(i);
          if (k && k.indexOf(prefix) === 0) out.push(k);
        }
      } catch (e) { /* no storage: no drafts */ }
      return out.join("\n");
    }
  };
  var LEVELS = ["elementary", "conversational", "limitedWorking", "professionalWorking", "fullProfessional", "nativeOrBilingual"];
  // textOf is the page's messages for a node's editor (data-text, from
  // the message catalogue), read once.
  function textOf(node) {
    var root = node.closest("[data-text]") || node.getRootNode().querySelector("[data-text]");
    if (!root) return {};
    return root._text || (root._text = JSON.parse(root.dataset.text || "{}"));
  }
  // emit dispatches a langcard event from a card; it bubbles and leaves
  // the shadow root (composed), so the <language-card> element and the
  // page hear it. The detail is the language's id, tag and name: never a
  // token, never anyone's hidden entries.
  function emit(node, name, detail) {
    node.dispatchEvent(new CustomEvent(name, { bubbles: true, composed: true, detail: detail }));
  }
  function detailOf(card) {
    var v = card._values || {};
    return { id: card.dataset.id, tag: v.tag || "", name: v.displayName || "" };
  }
  // fold is a string as the language search compares it (the server's
  // i18n.Fold): no accents, lower case.
  function fold(s) { return s.normalize("NFD").replace(/\p{Mn}/gu, "").toLowerCase(); }
  // An option is a language's name (value), its own name and code
  // (label: "norsk bokmål · nb", or the code alone) and its code
  // (data-tag). keysOf is what a person may type to mean it, folded:
  // both names, the English one (Intl's) and the code, between bars.
  var english;
  function selfOf(o) {
    var parts = (o.label || "").split(" · ");
    return parts.length > 1 ? parts[0] : "";
  }
  function keysOf(o) {
    if (!o._keys) {
      var en = "";
      try { en = (english = english || new Intl.DisplayNames(["en"], { type: "language", fallback: "none" })).of(o.dataset.tag) || ""; } catch (e) { /* no name */ }
      o._keys = "|" + [o.value, selfOf(o), en, o.dataset.tag].map(fold).join("|") + "|";
    }
    return o._keys;
  }
  // listOf is the <datalist> of node's editor. The page carries it in a
  // <noscript>, which a browser running scripts reads as text: it becomes
  // the list the first time it is needed.
  function listOf(node) {
    var doc = node.getRootNode();
    var root = node.closest("[data-list]") || doc.querySelector("[data-list]");
    if (!root) return null;
    var ns = !doc.getElementById(root.dataset.list) && doc.querySelector("noscript.choices");
    if (ns) build(ns);
    return doc.getElementById(root.dataset.list);
  }
  // build makes a <noscript>'s text (the markup the server rendered in
  // it) into the elements it would have been without scripts, in its
  // place, and drops the link that stands in for it when this script
  // does not run (.add-fallback).
  function build(ns) {
    var t = document.createElement("template"), next = ns.nextElementSibling;
    t.innerHTML = ns.textContent;
    if (next && next.matches(".add-fallback")) next.remove();
    ns.replaceWith(t.content);
  }
  // later builds the forms the server sent in a <noscript class="later">
  // under root (templates' Editor.Later): after the first frame, or as
  // soon as a card is opened.
  function later(root) {
    root.querySelectorAll("noscript.later").forEach(build);
  }

  // Sign-out on langcard's own page removes every draft first.
  document.addEventListener("submit", function (e) {
    if (!e.target.matches || !e.target.matches('form[action="/logout"]')) return;
    reg.io.keys("langcard:draft:").split("\n").forEach(function (k) { if (k) reg.io.store(k, null); });
  });
  reg.roots.forEach(ui.bind);
  // own is langcard's own page (not a host page where embed.js added this).
  var own = !script.hasAttribute("data-embedded");
  if (own) {
    reg.roots.push(document.documentElement);
    ui.bind(document.documentElement);
  }
  var parsed = new Promise(function (resolve) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", resolve, { once: true });
    else resolve();
  });
  function afterFirstPaint(resolve) {
    var next = function () { requestAnimationFrame(function () { setTimeout(resolve, 0); }); };
    try {
      new PerformanceObserver(function (list, o) {
        if (!list.getEntriesByName("first-contentful-paint").length) return;
        o.disconnect();
        next();
      }).observe({ type: "paint", buffered: true });
    } catch (e) { next(); /* no paint timing */ }
    // A tab in the background shows no frames, so it waits no longer than
    // this for one (a promise resolved twice keeps the first).
    setTimeout(resolve, 200);
  }
  // drawn is once the page is parsed and its first frame is on screen
  // (the first contentful paint, which the browser reports after it has
  // shown it), then one more frame. The page's forms, sent after its
  // cards, are built then (on langcard's own page: a host page's are its
  // own), and the widget starts after that: the cards are usable without
  // the WebAssembly (above). Measured: compiling the 2.4 MB module while
  // the page is parsed and laid out, on two cores, put the first card on
  // screen and in use later; started after the first frame was painted but
  // before it was shown, it still held that frame back from the screen by
  // ~15 ms. A tab in the background, which paints nothing, goes on after
  // 200 ms.
  var drawn = parsed.then(function () { return new Promise(afterFirstPaint); });
  if (own) drawn.then(function () { later(document); });
  if (!wasm || typeof WebAssembly !== "object" || typeof Go !== "function") return;
  // The roots to hydrate: this page, or the <language-card> elements that
  // embed.js filled. The widget hydrates them when it starts.
  var go = new Go();
  var started = false;
  // start fetches and compiles the module, once; on a host page embed.js
  // calls it when it has filled a card (this script may arrive first).
  reg.start = function () {
    if (started) return;
    started = true;
    drawn.then(function () { return WebAssembly.instantiateStreaming(fetch(wasm, { credentials: "same-origin" }), go.importObject); })
      .then(function (done) { go.run(done.instance); })
      .catch(function (err) { console.warn("langcard: the widget did not start; the forms still work.", err); });
  };
  if (own || reg.roots.length) reg.start();
})();
