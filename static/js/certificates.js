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
    if (refresh) { refresh.hidden = true; }
    var poll = function () {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          bar.max = Math.max(data.total, 1);
          bar.value = data.done;
          bulk.querySelector("[data-done]").textContent = data.done;
          bulk.querySelector("[data-total]").textContent = data.total;
          bulk.querySelector("[data-failed]").textContent = data.failed;
          bulk.querySelector("[data-failed-wrap]").hidden = !data.failed;
          if (data.finished) {
            bulk.querySelector("[data-finished]").hidden = false;
          } else {
            window.setTimeout(poll, 1500);
          }
        })
        .catch(function () { if (refresh) { refresh.hidden = false; } });
    };
    poll();
  }
})();
