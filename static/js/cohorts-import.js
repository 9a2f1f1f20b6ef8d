// Roster import progress: poll the import's JSON status and move the bar; when the check or
// the import has finished, reload the page (which then shows the report). Without JavaScript
// the page refreshes itself every few seconds (a <meta> inside <noscript>).
(function () {
    "use strict";
    var box = document.querySelector("[data-import-progress]");
    if (!box) { return; }
    var url = box.getAttribute("data-url");
    var bar = box.querySelector("[data-import-bar]");
    var label = box.querySelector("[data-import-label]");
    var count = box.querySelector("[data-import-count]");
    var delay = 1500;
    function poll() {
        fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
            .then(function (response) { return response.ok ? response.json() : null; })
            .then(function (data) {
                if (!data) { return; }
                if (!data.running) {
                    window.location.replace(data.url);
                    return;
                }
                if (data.total) {
                    bar.max = data.total;
                    bar.value = Math.min(data.processed, data.total);
                }
                if (label) { label.textContent = data.label; }
                if (count && data.text) { count.textContent = data.text; }
            })
            .catch(function () { /* offline for a moment: ask again */ })
            .then(function () { window.setTimeout(poll, delay); });
    }
    window.setTimeout(poll, delay);
}());
