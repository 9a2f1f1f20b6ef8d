/* Passerelle offline store: the outbox of learner writes made without a connection, and what
   this phone has downloaded. One IndexedDB database shared by the pages (static/js/offline.js)
   and the service worker (static/js/sw.js imports this file), so that both replay the same
   outbox. Every record carries the id of the user it belongs to: nothing of one learner is ever
   listed, shown or sent for another (a phone shared within a family).

   Replay (send): a fresh CSRF token from /offline/csrf/ (never the token of a cached page),
   batches of 50 to /offline/sync/, and per event: applied or already applied (409) → removed;
   invalid (400) or refused (403) → kept, marked failed with the server's message, never resent
   (the learner reads why and discards it). A 401, or a 403 for the whole request, keeps every
   event: the learner logs in again and the next replay sends them. Unlike Workbox's
   background-sync queue, an HTTP answer never deletes an event unless it was answered for that
   event. The event id is the idempotency key: a replay after an interrupted sync is "already
   applied", never a second row. */
(function (scope) {
  "use strict";
  var DB = "passerelle-offline";
  var BATCH = 50;
  var opening = null;

  function db() {
    if (!opening) {
      opening = new Promise(function (resolve, reject) {
        var request = indexedDB.open(DB, 1);
        request.onupgradeneeded = function () {
          var d = request.result;
          d.createObjectStore("outbox", { keyPath: "id" }).createIndex("user", "user");
          d.createObjectStore("pages", { keyPath: "key" }).createIndex("user", "user");
          d.createObjectStore("modules", { keyPath: "key" }).createIndex("user", "user");
          d.createObjectStore("meta", { keyPath: "key" });
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { opening = null; reject(request.error); };
      });
    }
    return opening;
  }

  // Run fn(store) in a transaction; resolves with what fn's last request returned.
  function run(name, mode, fn) {
    return db().then(function (d) {
      return new Promise(function (resolve, reject) {
        var tx = d.transaction(name, mode);
        var result;
        var request = fn(tx.objectStore(name));
        if (request) request.onsuccess = function () { result = request.result; };
        tx.oncomplete = function () { resolve(result); };
        tx.onerror = tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  function byUser(name, user) {
    return run(name, "readonly", function (store) {
      return store.index("user").getAll(String(user));
    }).then(function (rows) { return rows || []; });
  }

  function uuid() {
    if (scope.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // A form's fields as the online form posts them, less the page's CSRF token.
  function fields(formData) {
    var out = {};
    formData.forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken" || typeof value !== "string") return;
      if (name in out) out[name] = [].concat(out[name], value);
      else out[name] = value;
    });
    return out;
  }

  var api = {
    uuid: uuid,
    fields: fields,
    add: function (event) {
      var record = Object.assign({ id: uuid(), device_time: new Date().toISOString(), state: "pending" }, event);
      record.user = String(record.user);
      return run("outbox", "readwrite", function (s) { return s.put(record); }).then(function () { return record; });
    },
    list: function (user) {
      return user ? byUser("outbox", user).then(function (rows) {
        return rows.sort(function (a, b) { return a.device_time < b.device_time ? -1 : 1; });
      }) : Promise.resolve([]);
    },
    remove: function (id) { return run("outbox", "readwrite", function (s) { return s.delete(id); }); },
    // Pages and modules downloaded, per user: {key: user + " " + url, user, url, etag, version, module, updated}.
    page: function (user, url) {
      return run("pages", "readonly", function (s) { return s.get(String(user) + " " + url); });
    },
    pagePut: function (record) {
      record.user = String(record.user);
      record.key = record.user + " " + record.url;
      return run("pages", "readwrite", function (s) { return s.put(record); });
    },
    pages: function (user) { return byUser("pages", user); },
    pageDelete: function (user, url) {
      return run("pages", "readwrite", function (s) { return s.delete(String(user) + " " + url); });
    },
    modules: function (user) { return user ? byUser("modules", user) : Promise.resolve([]); },
    modulePut: function (record) {
      record.user = String(record.user);
      record.key = record.user + " " + record.id;
      return run("modules", "readwrite", function (s) { return s.put(record); });
    },
    moduleDelete: function (user, id) {
      return run("modules", "readwrite", function (s) { return s.delete(String(user) + " " + id); });
    },
    meta: function (key) {
      return run("meta", "readonly", function (s) { return s.get(key); }).then(function (r) { return r && r.value; });
    },
    metaPut: function (key, value) {
      return run("meta", "readwrite", function (s) { return s.put({ key: key, value: value }); });
    },
    // Everything this phone holds for a user: outbox, downloaded pages and modules.
    clearUser: function (user) {
      user = String(user);
      return Promise.all(["outbox", "pages", "modules"].map(function (name) {
        return run(name, "readwrite", function (store) {
          var request = store.index("user").openCursor(user);
          request.onsuccess = function () {
            var cursor = request.result;
            if (cursor) { cursor.delete(); cursor.continue(); }
          };
        });
      }));
    },
    /* Send the user's pending events. Resolves with {status, sent, failed, loginUrl}:
       "done" (nothing pending or all answered), "login" (signed out: kept), "retry" (CSRF
       refused twice or a server error: kept), "offline" (network error: kept). */
    send: function (user, fetchImpl) {
      var doFetch = fetchImpl || fetch.bind(scope);
      if (!user) return Promise.resolve({ status: "done", sent: 0, failed: 0 });
      var locks = scope.navigator && navigator.locks;
      var job = function () { return replay(String(user), doFetch); };
      return locks ? locks.request("passerelle-outbox", job) : job();
    }
  };

  function token(doFetch) {
    return doFetch("/offline/csrf/", { credentials: "same-origin", cache: "no-store" }).then(function (response) {
      if (response.status === 401) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          throw { status: "login", loginUrl: body.login_url };
        });
      }
      if (!response.ok) throw { status: "retry" };
      return response.json().then(function (body) { return body.csrfToken; });
    });
  }

  function replay(user, doFetch) {
    var outcome = { status: "done", sent: 0, failed: 0, notes: [] };
    return api.list(user).then(function (events) {
      var pending = events.filter(function (e) { return e.state === "pending"; });
      if (!pending.length) return outcome;
      return token(doFetch).then(function (csrf) {
        var retried = false;
        function post(batch) {
          return doFetch("/offline/sync/", {
            method: "POST", credentials: "same-origin", cache: "no-store",
            headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
            body: JSON.stringify({ events: batch.map(function (e) {
              return { id: e.id, user: Number(e.user), device_time: e.device_time, type: e.type, url: e.url, fields: e.fields };
            }) })
          }).then(function (response) {
            if (response.status === 401) throw { status: "login" };
            if (response.status === 403 && !retried) {
              // A stale CSRF token: one fresh token and one more try; the events stay meanwhile.
              retried = true;
              return token(doFetch).then(function (fresh) { csrf = fresh; return post(batch); });
            }
            if (!response.ok) throw { status: response.status === 403 ? "login" : "retry" };
            return response.json().then(function (body) { return apply(batch, body.results || []); });
          });
        }
        function apply(batch, results) {
          var byId = {};
          batch.forEach(function (e) { byId[e.id] = e; });
          return Promise.all(results.map(function (result) {
            var event = byId[result.id];
            if (!event) return null;
            if (result.status === "applied" || result.status === "already_applied") {
              outcome.sent += 1;
              // A quiz scored on arrival: its result page, and the server's word (a rule changed).
              if (event.type === "quiz_attempt" && result.status === "applied") {
                outcome.notes.push({ title: event.title, message: result.message, redirect: result.redirect });
              }
              return api.remove(event.id);
            }
            outcome.failed += 1;
            event.state = "failed";
            event.message = result.message || "";
            event.http = result.http;
            return run("outbox", "readwrite", function (s) { return s.put(event); });
          }));
        }
        var chain = Promise.resolve();
        for (var i = 0; i < pending.length; i += BATCH) {
          (function (batch) { chain = chain.then(function () { return post(batch); }); })(pending.slice(i, i + BATCH));
        }
        return chain.then(function () { return outcome; });
      });
    }).catch(function (error) {
      if (error && error.status) return Object.assign(outcome, error);
      return Object.assign(outcome, { status: "offline" });
    });
  }

  scope.PasOutbox = api;
})(self);
