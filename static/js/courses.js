/* Passerelle courses: progressive enhancement only; every page works without it. */
(function () {
  "use strict";
  // Videos: the player (and its data) loads only when the learner taps "Play".
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".video__play");
    if (!link) return;
    var frame = link.closest("[data-video-embed]");
    var src = frame && frame.getAttribute("data-video-embed");
    if (!src) return;
    event.preventDefault();
    var iframe = document.createElement("iframe");
    iframe.src = src;
    iframe.title = frame.getAttribute("data-video-title") || "";
    iframe.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
    iframe.setAttribute("allowfullscreen", "");
    iframe.className = "video__iframe";
    frame.replaceChildren(iframe);
    iframe.focus();
  });
  // Lesson visits ("resume") are recorded by an explicit POST, never by reading the page:
  // the page carries a small form with the CSRF token; without JS, finishing a lesson does it.
  var visit = document.querySelector("form[data-lesson-visit]");
  if (visit && navigator.sendBeacon) {
    navigator.sendBeacon(visit.action, new FormData(visit));
  }
  // After a form error or a quiz result, move focus to the message so it is announced.
  var target = document.querySelector("[data-autofocus]");
  if (target) target.focus();
})();
