/* Passerelle offline app, page side (progressive enhancement: every page works without it).
   - Registers the service worker (static/js/sw.js) and tells it who is signed in.
   - Forms marked data-offline-event ("Mark as done", lesson checks and quizzes, the visit
     beacon, the attendance register) submitted without a connection, or whose POST fails
     on the network while the phone says it is online (see submitOnline), go to the outbox
     (static/js/outbox.js) instead of failing; the bar (templates/includes/offline_bar.html)
     says "your answers will be sent when you are online" and offers "Send now (N)".
   - The outbox is replayed on load, on the `online` event, through Background Sync where the
     browser has it, and by the button. Only the signed-in user's events are ever listed or sent.
   - "Download for offline use" on a module page, "downloaded" and the space used on My
     learning, the list of downloaded modules on the offline page, the install prompt.
   Strings come from data-msg-* attributes (translated in the templates; CSP forbids inline
   scripts). */
/* global PasOutbox */
(function () {
  "use strict";
  if (!window.PasOutbox || !window.indexedDB) return;
  var body = document.body;
  var user = body.getAttribute("data-user-id") || "";
  var lang = body.getAttribute("data-lang") || document.documentElement.lang;
  var bar = document.querySelector("[data-offline-bar]");
  var sw = navigator.serviceWorker;
  var $ = function (sel, root) { return (root || document).querySelector(sel); };
  var msg = function (name, el) { return (el || bar).getAttribute("data-msg-" + name) || ""; };

  function say(text) {
    if (!bar) return;
    bar.hidden = false;
    $("[data-offline-status]", bar).textContent = text;
  }

  function size(bytes) {
    var mb = bytes >= 1e6;
    return new Intl.NumberFormat(lang + "-u-nu-latn", {
      style: "unit", unit: mb ? "megabyte" : "kilobyte", maximumFractionDigits: mb ? 1 : 0
    }).format(mb ? bytes / 1e6 : Math.max(1, bytes / 1e3));
  }

  function post(message) {
    if (!sw) return Promise.reject(new Error("no service worker"));
    return sw.ready.then(function (reg) { (sw.controller || reg.active).postMessage(message); });
  }

  // --- Service worker: register, say hello, take over a new version on the next load. ---
  // A new worker (found by the update check each load makes, online) installs and waits: a
  // page is never switched mid-way. The next page load that finds it waiting asks it to take
  // over (a reload of the only tab would not free the old one) and reloads once on
  // controllerchange, so page and shell always come from the same version.
  if (sw) {
    var hadController = !!sw.controller;
    var takeOver = function (worker) { if (worker && hadController) worker.postMessage({ type: "skip-waiting" }); };
    sw.register("/sw.js", { scope: "/", updateViaCache: "none" }).then(function (reg) {
      if (reg.waiting) return takeOver(reg.waiting);
      if (navigator.onLine) reg.update().catch(function () { return null; });
    }).catch(function () { return null; });
    sw.addEventListener("controllerchange", function () {
      if (hadController && !sessionStorage.getItem("pas-reloaded")) {
        sessionStorage.setItem("pas-reloaded", "1");
        location.reload();
      }
    });
    sessionStorage.removeItem("pas-reloaded");
    post({ type: "hello", user: user, lang: lang }).catch(function () { return null; });
    sw.addEventListener("message", function (event) {
      var data = event.data || {};
      if (data.type === "synced") show(data.result);
      else if (downloads[data.module]) downloads[data.module](data);
    });
  }

  // --- Outbox: capture, show, send. ---
  function refresh() {
    if (!bar || !user) return Promise.resolve();
    return PasOutbox.list(user).then(function (events) {
      var pending = events.filter(function (e) { return e.state === "pending"; });
      var failed = events.filter(function (e) { return e.state === "failed"; });
      document.querySelectorAll("[data-offline-count]").forEach(function (el) { el.textContent = pending.length; });
      $("[data-offline-pending]", bar).hidden = !pending.length;
      var list = $("[data-offline-failed]", bar);
      list.replaceChildren.apply(list, failed.map(failedItem));
      list.hidden = !failed.length;
      if (pending.length || failed.length) bar.hidden = false;
    });
  }

  function failedItem(event) {
    var li = document.createElement("li");
    var strong = document.createElement("strong");
    strong.textContent = msg("failed") + " ";
    li.append(strong, (event.title ? event.title + " — " : "") + (event.message || ""), " ");
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "link-button";
    discard.textContent = msg("discard");
    discard.addEventListener("click", function () { PasOutbox.remove(event.id).then(refresh); });
    li.append(discard);
    return li;
  }

  function show(result) {
    if (!result || !bar) return refresh();
    var login = $("[data-offline-login]", bar);
    login.hidden = result.status !== "login";
    if (result.status === "login") {
      login.href = (result.loginUrl || msg("login-url") || login.getAttribute("href")) + "?next=" + encodeURIComponent(location.pathname);
      say(msg("login"));
    } else if (result.status === "retry") say(msg("retry"));
    else if (result.status === "done" && (result.sent || result.failed)) {
      say(result.failed ? msg("failed") + " " + result.failed : msg("sent"));
      (result.notes || []).forEach(function (note) {
        var p = document.createElement("p");
        p.className = "notice";
        p.textContent = (note.title ? note.title + " — " : "") + (note.message || "") + " ";
        if (note.redirect) {
          var a = document.createElement("a");
          a.href = note.redirect;
          a.textContent = msg("result");
          p.append(a);
        }
        bar.append(p);
      });
    }
    return refresh();
  }

  var sending = null;
  function send() {
    if (!user || sending) return sending;
    if (!navigator.onLine) { say(msg("offline")); return Promise.resolve(); }
    sending = PasOutbox.list(user).then(function (events) {
      if (!events.some(function (e) { return e.state === "pending"; })) return null;
      say(msg("sending"));
      return PasOutbox.send(user).then(show);
    }).finally(function () { sending = null; });
    return sending;
  }

  // Not form.action: the register's buttons are named "action" and shadow it.
  function actionOf(form) {
    var url = new URL(form.getAttribute("action") || location.href, location.href);
    url.hash = "";
    return url;
  }

  function queue(form, data, id) {
    var action = actionOf(form);
    var event = {
      user: user, type: form.getAttribute("data-offline-event"), url: action.pathname,
      fields: PasOutbox.fields(data || new FormData(form)),
      title: document.title.split(" · ")[0], page: location.pathname
    };
    if (id) event.id = id;
    return PasOutbox.add(event).then(function () {
      if (sw && "SyncManager" in window) {
        sw.ready.then(function (reg) { return reg.sync.register("passerelle-outbox"); }).catch(function () { return null; });
      }
      return refresh();
    });
  }

  /* Online, these forms are posted by fetch, because a phone says "online" while its
     connection comes and goes: a network error (or no answer in 15 s) puts the event in the
     outbox instead of losing it; any HTTP answer is the server's and is shown as it is. One
     fresh id per submission is both the posted form's idempotency_key (and Idempotency-Key
     header) and the queued event's id, which the sync uses as the write's key: if the POST did
     reach the server before the connection dropped, the replay is "already applied". The
     answer replaces the document (document.write: its flash message, read by the redirected
     GET, would be lost by a second request), at the redirected URL (history entry pushed, as a
     real form post does; going back reloads). */
  function submitOnline(form, data) {
    var id = PasOutbox.uuid();
    if (data.has("idempotency_key")) data.set("idempotency_key", id);
    var abort = new AbortController();
    var timer = setTimeout(function () { abort.abort(); }, 15000);
    var token = data.get("csrfmiddlewaretoken") || "";
    return fetch(actionOf(form).href, {
      method: (form.getAttribute("method") || "post").toUpperCase(), body: data, credentials: "same-origin",
      redirect: "follow", signal: abort.signal, headers: { "X-CSRFToken": token, "Idempotency-Key": id }
    }).then(function (response) {
      return response.text().then(function (html) {
        clearTimeout(timer);
        window.pasWritten = true;
        if (response.redirected) history.pushState(null, "", response.url);
        document.open();
        document.write(html);
        document.close();
      });
    }).catch(function () {
      clearTimeout(timer);
      return queue(form, data, id).then(function () { return true; });
    });
  }
  window.addEventListener("popstate", function () { if (window.pasWritten) location.reload(); });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var type = form.getAttribute && form.getAttribute("data-offline-event");
    if (!type || !user || event.defaultPrevented) return;
    event.preventDefault();
    var data = new FormData(form, event.submitter || undefined);
    var buttons = form.querySelectorAll("button, input[type=submit]");
    buttons.forEach(function (b) { b.disabled = true; });
    var sent = navigator.onLine && window.AbortController ? submitOnline(form, data) : queue(form, data).then(function () { return true; });
    sent.then(function (queued) {
      if (!queued) return;
      var note = document.createElement("p");
      note.className = "notice offline-note";
      note.textContent = msg("queued");
      form.after(note);
      say(msg("queued"));
    }, function () { buttons.forEach(function (b) { b.disabled = false; }); });
  });

  // The visit beacon (courses.js) cannot leave without a connection: keep it for later.
  var visit = $("form[data-offline-event=lesson_visit]");
  if (visit && user && !navigator.onLine) queue(visit);

  // Logging out: send what waits if possible, then forget this learner on this phone.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!user || !form.matches || !form.matches("form[action$='/accounts/logout/']") || form.dataset.cleared) return;
    event.preventDefault();
    var done = function () { form.dataset.cleared = "1"; form.submit(); };
    Promise.resolve(send()).catch(function () { return null; }).then(function () {
      return Promise.all([PasOutbox.clearUser(user), post({ type: "logout", user: user }).catch(function () { return null; })]);
    }).then(done, done);
  });

  if (bar) {
    $("[data-offline-send]", bar).addEventListener("click", send);
    window.addEventListener("online", send);
    window.addEventListener("offline", function () { say(msg("offline")); });
    if (!navigator.onLine && user) say(msg("offline"));
    refresh().then(send);
  }

  // A downloaded page that changed on the server since: say so once.
  if (user) {
    PasOutbox.page(user, location.pathname + location.search).then(function (record) {
      if (!record || !record.updated) return;
      var note = document.createElement("p");
      note.className = "notice offline-updated";
      note.setAttribute("data-offline-updated", "");
      note.textContent = msg("updated");
      var h1 = $("main h1");
      if (h1) h1.after(note);
      record.updated = false;
      return PasOutbox.pagePut(record);
    }).catch(function () { return null; });
  }

  // --- Download for offline use (module page). ---
  var downloads = {};
  var box = $("[data-offline-download]");
  if (box && sw && user) {
    var getButton = $("[data-offline-get]", box);
    var removeButton = $("[data-offline-remove]", box);
    var state = $("[data-offline-state]", box);
    var progress = $("[data-offline-progress]", box);
    var manifest = null;
    var moduleId = box.getAttribute("data-module-id");
    var chosenMedia = function () {
      return Array.prototype.map.call(box.querySelectorAll("[data-offline-media-list] input:checked"), function (i) { return i.value; });
    };
    var showSize = function () {
      var extra = manifest.media.filter(function (m) { return chosenMedia().indexOf(m.url) >= 0; })
        .reduce(function (sum, m) { return sum + (m.bytes || 0); }, 0);
      $("[data-offline-size]", box).textContent = size(manifest.bytes + extra);
    };
    var setDownloaded = function (yes) {
      state.textContent = yes ? msg("done", box) : "";
      removeButton.hidden = !yes;
      box.classList.toggle("is-downloaded", yes);
    };
    fetch(box.getAttribute("data-offline-download"), { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    }).then(function (data) {
      manifest = data;
      moduleId = String(data.module.id);
      var list = $("[data-offline-media-list]", box);
      data.media.forEach(function (m, i) {
        var li = document.createElement("li");
        if (m.bytes) {
          li.innerHTML = '<input type="checkbox"> <label></label>';
          li.firstChild.id = "offline-media-" + i;
          li.firstChild.value = m.url;
          li.firstChild.addEventListener("change", showSize);
          li.lastChild.htmlFor = li.firstChild.id;
          li.lastChild.textContent = m.title + " (" + size(m.bytes) + ")";
        } else {
          li.textContent = m.title + " — " + msg("stream", box);
        }
        list.append(li);
      });
      $("[data-offline-media]", box).hidden = !data.media.length;
      showSize();
      box.hidden = false;
      return PasOutbox.modules(user);
    }).then(function (mods) {
      setDownloaded((mods || []).some(function (m) { return String(m.id) === moduleId; }));
    }).catch(function () { return null; });

    downloads[moduleId] = function () {};
    var onMessage = function (data) {
      if (data.type === "progress") { progress.hidden = false; progress.max = data.total; progress.value = data.done; }
      else if (data.type === "downloaded") {
        progress.hidden = true;
        getButton.disabled = false;
        setDownloaded(true);
        say(msg("done", box));
        if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(function () { return null; });
      } else if (data.type === "download-failed") {
        progress.hidden = true;
        getButton.disabled = false;
        say(msg("error", box));
      } else if (data.type === "removed") { setDownloaded(false); say(msg("removed", box)); }
    };
    getButton.addEventListener("click", function () {
      if (!manifest) return;
      downloads[String(manifest.module.id)] = onMessage;
      getButton.disabled = true;
      say(msg("downloading", box));
      post({ type: "download", user: user, manifest: manifest, media: chosenMedia() });
    });
    removeButton.addEventListener("click", function () {
      downloads[moduleId] = onMessage;
      post({ type: "remove", user: user, module: moduleId });
    });
  }

  // --- My learning: downloaded badges, space used, remove; the offline page's list. ---
  var cards = document.querySelectorAll("[data-offline-url]");
  var space = $("[data-offline-space]");
  var listing = $("ul[data-offline-modules]");
  // The offline page is cached signed out (it is public): it lists the modules of the learner
  // the worker last saw signed in on this phone (reset when anyone logs in or out).
  var owner = user || !listing ? Promise.resolve(user) : PasOutbox.meta("user");
  owner.then(function (id) { return id && (cards.length || listing) ? PasOutbox.modules(id) : null; }).then(function (mods) {
    if (mods) {
      cards.forEach(function (card) {
        var found = mods.filter(function (m) { return m.url === card.getAttribute("data-offline-url"); })[0];
        var badge = $("[data-offline-badge]", card);
        if (!found || !badge) return;
        badge.hidden = false;
        $("button", badge).addEventListener("click", function () {
          downloads[String(found.id)] = function (data) {
            if (data.type === "removed") { badge.hidden = true; say(msg("removed", badge)); estimate(); }
          };
          post({ type: "remove", user: user, module: found.id });
        });
      });
      if (listing) {
        var none = $("[data-offline-none]");
        if (none && mods.length) none.hidden = true;
        mods.forEach(function (m) {
          var li = document.createElement("li");
          var a = document.createElement("a");
          a.href = m.url;
          a.lang = m.lang;
          a.dir = m.dir;
          a.textContent = m.title;
          li.append(a);
          listing.append(li);
        });
      }
      if (mods.length) estimate();
    }
  });
  function estimate() {
    if (!space || !navigator.storage || !navigator.storage.estimate) return;
    navigator.storage.estimate().then(function (e) {
      $("[data-offline-space-value]", space).textContent = size(e.usage || 0);
      space.hidden = false;
    });
  }

  // --- Install prompt: on My learning only, never on the first visit, "Not now" remembered. ---
  var install = $("[data-install]");
  var visits = 0;
  if (install) {
    visits = Number(localStorage.getItem("pas-learning-visits") || 0) + 1;
    localStorage.setItem("pas-learning-visits", String(visits));
  }
  window.addEventListener("beforeinstallprompt", function (event) {
    event.preventDefault();
    if (!install || visits < 2 || localStorage.getItem("pas-install-dismissed")) return;
    install.hidden = false;
    $("[data-install-accept]", install).addEventListener("click", function () {
      install.hidden = true;
      event.prompt();
    });
    $("[data-install-dismiss]", install).addEventListener("click", function () {
      localStorage.setItem("pas-install-dismissed", "1");
      install.hidden = true;
    });
  });
})();
