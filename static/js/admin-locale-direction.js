/*
 * Wagtail page and snippet editors: content fields take the direction and language of the
 * content's locale (Arabic is edited right-to-left), whatever language the admin itself is in.
 * The locale comes from the server (templates/wagtailadmin/shared/headers/slim_header.html);
 * fields added later (StreamField blocks, Draftail editors mounting) are handled as they appear.
 */
(function () {
    "use strict";

    // Content languages and the right-to-left ones, from settings (lms/wagtail_hooks.py).
    var script = document.currentScript;
    var LANGUAGES = ((script && script.getAttribute("data-languages")) || "").split(" ");
    var RTL_LANGUAGES = ((script && script.getAttribute("data-rtl-languages")) || "").split(" ");
    var badge = document.querySelector("[data-passerelle-locale-dir]");
    var dir = badge ? badge.getAttribute("data-passerelle-locale-dir") : null;
    var lang = badge ? badge.getAttribute("data-passerelle-locale") : null;
    // Identifiers and addresses stay left-to-right, whatever the language.
    var KEEP_LTR = /(^|-)(slug|key|url|email|link_url|video_url|go_live_at|expire_at)$/;
    // A field for one language inside a model that holds all of them (certificate templates:
    // title_ar, body_fr…) takes that language, whatever the object's locale.
    var PER_LANGUAGE = /_([a-z]{2})$/;
    var FIELDS = [
        "input[type=text]",
        "input:not([type])",
        "textarea",
        ".Draftail-Editor",
        "[contenteditable=true]",
    ].join(",");

    function set(element, direction, language) {
        if (element.getAttribute("dir") !== direction) {
            element.setAttribute("dir", direction);
        }
        if (language && element.getAttribute("lang") !== language) {
            element.setAttribute("lang", language);
        }
    }

    function applyTo(element) {
        var name = element.getAttribute("name") || element.id || "";
        if (KEEP_LTR.test(name) || element.closest("[data-passerelle-keep-dir]")) {
            return;
        }
        if (element.closest("header, .w-slim-header, [role=dialog], .w-comments")) {
            return;
        }
        var own = PER_LANGUAGE.exec(name);
        if (own && LANGUAGES.indexOf(own[1]) !== -1) {
            set(element, RTL_LANGUAGES.indexOf(own[1]) !== -1 ? "rtl" : "ltr", own[1]);
        } else if (dir) {
            set(element, dir, lang);
        }
    }

    function scan(root) {
        if (root.matches && root.matches(FIELDS)) {
            applyTo(root);
        }
        if (root.querySelectorAll) {
            root.querySelectorAll(FIELDS).forEach(applyTo);
        }
    }

    var form = document.querySelector("#page-edit-form, #w-editor-form, form[data-edit-form]");
    if (!form) {
        return;
    }
    if (dir) {
        form.setAttribute("data-passerelle-content-dir", dir);
    }
    scan(form);
    new MutationObserver(function (mutations) {
        mutations.forEach(function (mutation) {
            mutation.addedNodes.forEach(function (node) {
                if (node.nodeType === 1) {
                    scan(node);
                }
            });
        });
    }).observe(form, { childList: true, subtree: true });
})();
