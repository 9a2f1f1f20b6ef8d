// The trainer's check-in display: fetch a fresh QR code every few seconds (the code is derived
// from the clock on the server; refreshing the page works the same).
(function () {
    "use strict";
    var figure = document.querySelector("[data-checkin-qr]");
    if (!figure) { return; }
    var target = figure.querySelector("[data-checkin-svg]");
    var url = figure.getAttribute("data-url");
    var delay = 3000;
    function refresh() {
        fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
            .then(function (response) { return response.ok ? response.json() : null; })
            .then(function (data) {
                if (data && data.svg) {
                    target.innerHTML = data.svg;
                    delay = data.refresh_ms || delay;
                }
            })
            .catch(function () { /* offline: keep the last code, try again */ })
            .then(function () { window.setTimeout(refresh, delay); });
    }
    window.setTimeout(refresh, delay);
}());
