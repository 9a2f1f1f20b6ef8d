/* Passerelle service worker: the offline app. Served at /sw.js by lms/views_pwa.py, which
   prepends `self.PAS` = {version, shell, outbox, logout, login, offline, static}.

   Caches
   - "pas-shell-<version>": the shell (site CSS and scripts, logo) and the offline page of each
     language visited. Static files: cache first (hashed names in production never change).
   - "pas-pages-<user>": the pages of the modules that user downloaded (and their "My learning"),
     and the session registers a trainer opened online (their last version, to mark offline:
     the register form goes to the outbox like the learners' forms) with the page shown for
     a participant card scanned offline, never read for another
     user; deleted on logout. IndexedDB (outbox.js) remembers per user and page its ETag,
     the worker version that stored it, its module and whether it changed since the download.

   Pages (navigations)
   - Downloaded page, online: network first, revalidated with the stored ETag (a 304 costs
     headers only). A new ETag stores the new page; if the module's content version changed too,
     the page says "updated since you downloaded it" (offline.js) rather than changing silently.
   - Offline or network error: the cached page, else the offline page of the language.
   - A page is stored for a user only if its <body data-user-id> is that user: a response for
     someone else (a session that changed) is shown, never stored under another name.

   Accounts: the worker follows who is signed in from the pages it sees (data-user-id). Logging
   out (the POST to the logout URL, also intercepted by offline.js) deletes that user's caches,
   outbox and records, so the next person on a shared phone finds nothing of them.

   Updates: a new worker (a new version: a changed shell or worker source) installs its shell
   beside the old one and waits; the next page load asks it to take over ("skip-waiting",
   offline.js) and reloads once, so a page and its shell always come from the same version.
   Chromium may hold the old worker as busy for minutes after skip-waiting; then the new one
   takes over when the app is next opened (no page left to the old one). On
   activate the old shells are deleted; the downloaded pages (per user, not per version) stay,
   and the signed-in user's are fetched again so that they refer to the new shell. "version"
   answers {version} (on the message's port, else to its sender). */
/* global PAS, PasOutbox */
"use strict";
importScripts(PAS.outbox);

var SHELL = "pas-shell-" + PAS.version;
var user = null; // the signed-in user as last seen; also kept in IndexedDB ("meta")

function pagesCache(id) { return "pas-pages-" + id; }
function langOf(path) { var m = /^\/([a-z]{2})\//.exec(path); return m ? m[1] : "fr"; }
function ownerOf(html) { var m = /<body[^>]*\sdata-user-id="(\d*)"/.exec(html); return m ? m[1] || "" : null; }
function currentUser() {
  return user !== null ? Promise.resolve(user) : PasOutbox.meta("user").then(function (v) { user = v || ""; return user; });
}
function setUser(id) { user = id || ""; return PasOutbox.metaPut("user", user); }
function tell(message) {
  return self.clients.matchAll({ type: "window" }).then(function (list) {
    list.forEach(function (client) { client.postMessage(message); });
  });
}

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL).then(function (cache) {
    return cache.addAll(PAS.shell.map(function (url) { return new Request(url, { cache: "reload" }); }));
  }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(Promise.all([self.clients.claim(), dropOldShells()]));
});

// A new version: the old shells go (the downloaded pages are the users' data, in their own
// caches, and stay). Each user's downloaded pages are fetched again when a page of theirs next
// says hello online (refreshDownloads), so that they refer to this shell; until then (offline)
// a page stored by an older version gets this version's file of the same name (fromStatic).
function dropOldShells() {
  return caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n.indexOf("pas-shell-") === 0 && n !== SHELL; })
      .map(function (n) { return caches.delete(n); }));
  });
}

function refreshDownloads(id) {
  // Not while a newer worker waits: it takes over when this one is idle.
  if (!id || !navigator.onLine || self.registration.waiting) return null;
  return Promise.all([PasOutbox.modules(id), PasOutbox.pages(id)]).then(function (both) {
    var old = {};
    both[1].forEach(function (r) { if (r.version !== PAS.version) old[r.url] = true; });
    return both[0].filter(function (m) { return m.pages.some(function (u) { return old[u]; }); })
      .reduce(function (chain, known) {
        return chain.then(function () {
          return fetch("/offline/modules/" + known.id + ".json", { credentials: "same-origin" }).then(function (r) {
            return r.ok ? r.json() : null;
          }).then(function (manifest) { return manifest && download(id, manifest, known.media || [], function () {}); });
        }).catch(function () { return null; });
      }, Promise.resolve());
  });
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  var reply = function (message) { if (event.source) event.source.postMessage(message); };
  if (data.type === "skip-waiting") self.skipWaiting();
  else if (data.type === "version") (event.ports[0] || event.source).postMessage({ version: PAS.version });
  else if (data.type === "hello") event.waitUntil(hello(String(data.user || ""), data.lang));
  else if (data.type === "download") event.waitUntil(download(String(data.user), data.manifest, data.media || [], reply));
  else if (data.type === "remove") event.waitUntil(removeModule(String(data.user), data.module).then(function () { reply({ type: "removed", module: data.module }); }));
  else if (data.type === "logout") event.waitUntil(forget(String(data.user)).then(function () { reply({ type: "forgotten" }); }));
  else if (data.type === "sync") event.waitUntil(replay());
});

// A page says who is signed in and in which language: remember the user, keep the offline page.
// (A signed-out page says nothing of the user: the offline page is one, shown for anybody; a
// signed-out page from the network was already seen by navigate().)
function hello(id, lang) {
  var offline = PAS.offline[lang];
  return Promise.all([id && setUser(id).then(function () { return refreshDownloads(id); }), offline && caches.open(SHELL).then(function (cache) {
    return cache.match(offline).then(function (hit) {
      // Fetched signed out: the offline page is public and must hold nobody's details.
      return hit || fetch(offline, { credentials: "omit" }).then(function (r) { return r.ok ? cache.put(offline, r) : null; });
    });
  }).catch(function () { return null; })]);
}

function forget(id) {
  if (!id) return Promise.resolve();
  return Promise.all([caches.delete(pagesCache(id)), PasOutbox.clearUser(id)]).then(function () {
    return user === id ? setUser("") : null;
  });
}

self.addEventListener("sync", function (event) {
  if (event.tag === "passerelle-outbox") event.waitUntil(replay());
});

function replay() {
  return currentUser().then(function (id) { return PasOutbox.send(id); }).then(function (result) {
    return tell({ type: "synced", result: result });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method !== "GET") {
    if (request.mode === "navigate" && PAS.logout.indexOf(url.pathname) >= 0) {
      event.waitUntil(currentUser().then(forget));
    } else if (request.mode === "navigate" && PAS.login.indexOf(url.pathname) >= 0) {
      event.waitUntil(setUser("")); // whoever signs in is known from the next page
    }
    return;
  }
  if (url.pathname.indexOf(PAS.static) === 0) event.respondWith(fromStatic(request));
  else if (request.mode === "navigate") event.respondWith(navigate(event, url));
  else if (url.pathname.indexOf("/offline/") !== 0) event.respondWith(fromNetworkThenUserCache(request));
});

function fromStatic(request) {
  return caches.match(request).then(function (hit) {
    return hit || fetch(request).then(function (response) {
      // Hashed names (production) never change: keep them with this version's shell.
      if (response.ok && HASHED.test(new URL(request.url).pathname)) {
        var copy = response.clone();
        caches.open(SHELL).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    }, function (error) {
      // Offline, a page stored by an older version asks for that version's file: this one's.
      var name = new URL(request.url).pathname.replace(HASHED, ".$1");
      var same = PAS.shell.filter(function (u) { return u.replace(HASHED, ".$1") === name; })[0];
      return same ? caches.match(same).then(function (r) { if (r) return r; throw error; }) : Promise.reject(error);
    });
  });
}
var HASHED = /\.[0-9a-f]{12}\.(\w+)$/;

// Images and documents of downloaded modules: the network, else the user's copy.
function fromNetworkThenUserCache(request) {
  return fetch(request).catch(function (error) {
    return currentUser().then(function (id) {
      return id ? caches.open(pagesCache(id)).then(function (c) { return c.match(request, { ignoreVary: true }); }) : null;
    }).then(function (hit) { if (hit) return hit; throw error; });
  });
}

function navigate(event, url) {
  var path = url.pathname + url.search;
  return currentUser().then(function (id) {
    return (id ? PasOutbox.page(id, path) : Promise.resolve(null)).then(function (record) {
      var headers = {};
      if (record && record.etag && record.version === PAS.version) headers["If-None-Match"] = record.etag;
      return fetch(new Request(url.href, { headers: headers, credentials: "same-origin", redirect: "manual" }))
        .then(function (response) { return online(event, id, path, record, response); })
        .catch(function () { return offline(id, path); });
    });
  });
}

function online(event, id, path, record, response) {
  if (response.status === 304 && record) {
    return caches.open(pagesCache(id)).then(function (c) { return c.match(path); }).then(function (hit) {
      return hit || fetch(path, { credentials: "same-origin" });
    });
  }
  var html = response.ok && (response.headers.get("Content-Type") || "").indexOf("text/html") === 0;
  if (!html) return response;
  var copy = response.clone();
  var learned = copy.text().then(function (text) {
    var owner = ownerOf(text);
    if (owner === null) return null;
    var updates = [setUser(owner)];
    var register = owner && owner === id && isRegister(path, text);
    if (owner && owner === id && (record || isMyLearning(path) || register)) updates.push(store(owner, path, record, text, response, true));
    if (register) updates.push(keepCardPage(owner, path));
    return Promise.all(updates);
  });
  // A downloaded page waits for its record, so that it can say "updated" on this very load.
  if (record) return learned.then(function () { return response; }, function () { return response; });
  event.waitUntil(learned.catch(function () { return null; }));
  return response;
}

function isMyLearning(path) { return /^\/[a-z]{2}\/learning\/$/.test(path); }
// A session's register, for the trainer who opened it (never one showing a flash message).
function isRegister(path, text) {
  return /^\/[a-z]{2}\/cohorts\/\d+\/sessions\/\d+\/register\/$/.test(path) && text.indexOf('class="messages"') < 0;
}

// A trainer who opened a register online may scan participant cards offline: keep the page
// shown then at a card's URL (its form queues a "card_checkin" event for that URL). Fetched
// once per worker version, not at every register opened (its CSRF token is never used: the
// sync fetches a fresh one).
var CARD = /^\/[a-z]{2}\/cohorts\/card\/(?!offline\/)[^/]+\/$/;
function cardPage(path) { return "/" + langOf(path) + "/cohorts/card/offline/"; }
function keepCardPage(id, path) {
  var url = cardPage(path);
  return caches.open(pagesCache(id)).then(function (c) {
    return c.match(url).then(function (hit) {
      if (hit && hit.headers.get("X-Pas-Version") === PAS.version) return null;
      return fetch(url, { credentials: "same-origin" }).then(function (r) {
        return r.ok && r.text().then(function (text) {
          var headers = new Headers(r.headers);
          headers.set("X-Pas-Version", PAS.version);
          return ownerOf(text) === id && c.put(url, new Response(text, { headers: headers }));
        });
      });
    });
  }).catch(function () { return null; });
}

function store(id, path, record, text, response, checkModule) {
  var etag = response.headers.get("ETag");
  var headers = new Headers(response.headers);
  var copy = new Response(text, { status: 200, headers: headers });
  var next = Object.assign({ user: id, url: path }, record || {}, { etag: etag, version: PAS.version });
  var changed = checkModule && record && record.etag && record.etag !== etag && record.module && !self.registration.waiting;
  return caches.open(pagesCache(id)).then(function (c) { return c.put(path, copy); }).then(function () {
    return changed ? moduleChanged(id, record.module) : false;
  }).then(function (updated) {
    if (updated) next.updated = true;
    return PasOutbox.pagePut(next);
  });
}

// The page's ETag changed: its content or the learner's own state. Only a new content version
// of the module (its manifest) counts as "updated"; then the rest of the module is refreshed.
function moduleChanged(id, moduleId) {
  return fetch("/offline/modules/" + moduleId + ".json", { credentials: "same-origin" }).then(function (r) {
    return r.ok ? r.json() : null;
  }).then(function (manifest) {
    if (!manifest) return false;
    return PasOutbox.modules(id).then(function (list) {
      var known = list.filter(function (m) { return String(m.id) === String(moduleId); })[0];
      if (!known || known.version === manifest.module.version) return false;
      download(id, manifest, known.media || [], function () {}, true);
      return true;
    });
  }).catch(function () { return false; });
}

function offline(id, path) {
  var pages = id ? caches.open(pagesCache(id)).then(function (c) {
    return c.match(path).then(function (hit) { return hit || (CARD.test(path) ? c.match(cardPage(path)) : null); });
  }) : Promise.resolve(null);
  return pages.then(function (hit) {
    return hit || caches.match(PAS.offline[langOf(path)] || PAS.offline.fr).then(function (page) {
      return page || new Response("Offline", { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" } });
    });
  });
}

/* Download a module for a user from its manifest (courses/offline.py): its pages, revalidated
   when already stored; its assets into the shell, its chosen media into the user's cache. */
function download(id, manifest, media, reply, refreshing) {
  var done = 0;
  var pages = manifest.pages.map(function (p) { return p.url; });
  var assets = manifest.assets.map(function (a) { return a.url; });
  var total = pages.length + assets.length + media.length;
  var progress = function () { done += 1; reply({ type: "progress", module: manifest.module.id, done: done, total: total }); };
  return Promise.all([caches.open(pagesCache(id)), caches.open(SHELL)]).then(function (opened) {
    var mine = opened[0];
    var shell = opened[1];
    var chain = Promise.resolve();
    pages.forEach(function (url) {
      chain = chain.then(function () {
        return PasOutbox.page(id, url).then(function (record) {
          var headers = {};
          if (record && record.version === PAS.version && record.etag) headers["If-None-Match"] = record.etag;
          return fetch(url, { credentials: "same-origin", headers: headers }).then(function (response) {
            if (response.status === 304) return null;
            if (!response.ok) throw new Error(url + ": " + response.status);
            return response.text().then(function (text) {
              if (ownerOf(text) !== id) throw new Error("signed in as someone else");
              var rec = Object.assign({ user: id, url: url, module: manifest.module.id }, record || {});
              if (refreshing) rec.updated = true;
              return store(id, url, rec, text, response);
            });
          });
        }).then(progress);
      });
    });
    assets.concat(media).forEach(function (url) {
      var target = url.indexOf(PAS.static) === 0 ? shell : mine;
      chain = chain.then(function () {
        return target.match(url).then(function (hit) {
          return hit || fetch(url, { credentials: "same-origin" }).then(function (r) {
            if (!r.ok) throw new Error(url + ": " + r.status);
            return target.put(url, r);
          });
        });
      }).then(progress);
    });
    return chain;
  }).then(function () {
    return PasOutbox.meta("users").then(function (users) {
      users = users || [];
      if (users.indexOf(id) < 0) users.push(id);
      return PasOutbox.metaPut("users", users);
    });
  }).then(function () {
    var m = manifest.module;
    return PasOutbox.modulePut({ user: id, id: m.id, title: m.title, url: m.url, lang: m.lang, dir: m.dir,
      version: m.version, pages: pages, assets: assets, media: media, bytes: manifest.bytes, at: new Date().toISOString() });
  }).then(function () {
    reply({ type: "downloaded", module: manifest.module.id });
  }, function (error) {
    reply({ type: "download-failed", module: manifest.module.id, error: String(error && error.message || error) });
  });
}

// Remove a module from the phone: its pages and media not used by another downloaded module.
function removeModule(id, moduleId) {
  return PasOutbox.modules(id).then(function (list) {
    var target = list.filter(function (m) { return String(m.id) === String(moduleId); })[0];
    if (!target) return null;
    var kept = {};
    list.forEach(function (m) {
      if (m !== target) m.pages.concat(m.media).forEach(function (u) { kept[u] = true; });
    });
    return caches.open(pagesCache(id)).then(function (cache) {
      return Promise.all(target.pages.concat(target.media).filter(function (u) { return !kept[u]; }).map(function (u) {
        return Promise.all([cache.delete(u), PasOutbox.pageDelete(id, u)]);
      }));
    }).then(function () { return PasOutbox.moduleDelete(id, moduleId); });
  });
}
