/* Certificates: copy a verification link, follow a bulk issuance. Progressive enhancement:
   without JavaScript the link is selectable text and the progress page has a refresh link. */
(function () {
  "use strict";

  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var input = document.getElementById(button.getAttribute("data-copy"));
    if (!input || !navigator.clipboard) { return; }
    var status = button.parentElement.querySelector(".copy-link__status");
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(input.value).then(function () {
        if (status) { status.textContent = button.getAttribute("data-copied"); }
      }, function () {
        input.select();
      });
    });
  });

  var bulk = document.querySelector("[data-progress-url]");
  if (bulk && window.fetch) {
    var url = bulk.getAttribute("data-progress-url");
    var bar = bulk.querySelector("progress");
    var refresh = bulk.querySelector("[data-refresh]");
    var settled = function (state) { return state !== "waiting" && state !== "preparing"; };
    if (refresh) { refresh.hidden = true; }
    var poll = function () {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          bar.max = Math.max(data.total, 1);
          bar.value = data.processed;
          bulk.querySelectorAll("[data-count]").forEach(function (node) {
            var value = data[node.getAttribute("data-count")];
            if (value !== undefined) { node.textContent = value; }
          });
          bulk.querySelectorAll("[data-archive-state]").forEach(function (node) {
            node.hidden = node.getAttribute("data-archive-state") !== data.archive;
          });
          if (!settled(data.archive)) { window.setTimeout(poll, 1500); }
        })
        .catch(function () { if (refresh) { refresh.hidden = false; } });
    };
    if (!settled(bulk.getAttribute("data-archive"))) { poll(); }
  }
})();
