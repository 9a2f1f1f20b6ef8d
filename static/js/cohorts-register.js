// Attendance register: a search box filtering the rows and "mark all present" without a
// round trip. Without this script the search box stays hidden and the button posts the form
// (the server marks the rows left blank present).
(function () {
    "use strict";
    var form = document.querySelector("[data-register]");
    if (!form) { return; }
    var search = form.querySelector("[data-register-search]");
    var rows = Array.prototype.slice.call(form.querySelectorAll(".register-row"));
    if (search) {
        search.hidden = false;
        var input = search.querySelector("input");
        input.addEventListener("input", function () {
            var q = input.value.trim().toLowerCase();
            rows.forEach(function (row) {
                row.hidden = q !== "" && row.getAttribute("data-name").indexOf(q) === -1;
            });
        });
    }
    var all = form.querySelector("[data-all-present]");
    if (all) {
        all.addEventListener("click", function (event) {
            event.preventDefault();
            rows.forEach(function (row) {
                if (!row.querySelector("input[type=radio]:checked")) {
                    var present = row.querySelector("input[type=radio][value=present]");
                    if (present) { present.checked = true; }
                }
            });
        });
    }
}());
