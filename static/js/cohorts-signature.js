// Signature on the trainer's phone: a canvas that records pointer strokes (finger, pen or
// mouse) and posts them as lists of points in the form's hidden "strokes" field. The server
// builds the SVG from those numbers; nothing drawn here is stored as markup. Without this
// script the canvas stays hidden and the trainer marks presence in the register instead.
(function () {
    "use strict";
    var form = document.querySelector("[data-signature-form]");
    if (!form) { return; }
    var pad = form.querySelector("[data-signature-pad]");
    var canvas = pad.querySelector("canvas");
    var field = form.querySelector("input[name=strokes]");
    var submit = form.querySelector("[data-signature-submit]");
    var clear = form.querySelector("[data-signature-clear]");
    var context = canvas.getContext("2d");
    var strokes = [];
    var current = null;
    var MAX_POINTS = 3500;

    pad.hidden = false;
    clear.hidden = false;

    function box() { return canvas.getBoundingClientRect(); }

    function resize() {
        var rect = box();
        var ratio = window.devicePixelRatio || 1;
        canvas.width = Math.round(rect.width * ratio);
        canvas.height = Math.round(rect.height * ratio);
        context.setTransform(ratio, 0, 0, ratio, 0, 0);
        context.lineWidth = 2.5;
        context.lineCap = "round";
        context.lineJoin = "round";
        context.strokeStyle = "#1d2430";
        redraw();
    }

    function redraw() {
        var rect = box();
        context.clearRect(0, 0, rect.width, rect.height);
        strokes.forEach(function (stroke) {
            context.beginPath();
            stroke.forEach(function (p, i) {
                if (i === 0) { context.moveTo(p[0], p[1]); } else { context.lineTo(p[0], p[1]); }
            });
            if (stroke.length === 1) { context.lineTo(stroke[0][0] + 0.1, stroke[0][1]); }
            context.stroke();
        });
    }

    function total() {
        return strokes.reduce(function (n, s) { return n + s.length; }, 0);
    }

    function point(event) {
        var rect = box();
        return [Math.round((event.clientX - rect.left) * 10) / 10,
                Math.round((event.clientY - rect.top) * 10) / 10];
    }

    function update() {
        var rect = box();
        field.value = strokes.length ? JSON.stringify({
            width: rect.width, height: rect.height, strokes: strokes
        }) : "";
        submit.disabled = !strokes.length;
    }

    canvas.addEventListener("pointerdown", function (event) {
        if (total() >= MAX_POINTS) { return; }
        event.preventDefault();
        canvas.setPointerCapture(event.pointerId);
        current = [point(event)];
        strokes.push(current);
        redraw();
    });
    canvas.addEventListener("pointermove", function (event) {
        if (!current || total() >= MAX_POINTS) { return; }
        event.preventDefault();
        current.push(point(event));
        redraw();
    });
    function end() {
        if (current) { current = null; update(); }
    }
    canvas.addEventListener("pointerup", end);
    canvas.addEventListener("pointercancel", end);
    clear.addEventListener("click", function () {
        strokes = [];
        current = null;
        redraw();
        update();
    });
    window.addEventListener("resize", resize);
    resize();
    update();
}());
