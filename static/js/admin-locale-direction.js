/*
 * Wagtail page and snippet editors: content fields take the direction and language of the
 * content's locale (Arabic is edited right-to-left), whatever language the admin itself is in.
 * The locale comes from the server (templates/wagtailadmin/shared/headers/slim_header.html);
 * fields added later (StreamField blocks, Draftail editors mounting) are handled as they appear.
 */
(function () {
    "use strict";

    var badge = document.querySelector("[data-passerelle-locale-dir]");
    if (!badge) {
        return;
    }
    var dir = badge.getAttribute("data-passerelle-locale-dir");
    var lang = badge.getAttribute("data-passerelle-locale");
    // Identifiers and addresses stay left-to-right, whatever the language.
    var KEEP_LTR = /(^|-)(slug|key|url|email|link_url|video_url|go_live_at|expire_at)$/;
    var FIELDS = [
        "input[type=text]",
        "input:not([type])",
        "textarea",
        ".Draftail-Editor",
        "[contenteditable=true]",
    ].join(",");

    function applyTo(element) {
        var name = element.getAttribute("name") || element.id || "";
        if (KEEP_LTR.test(name) || element.closest("[data-passerelle-keep-dir]")) {
            return;
        }
        if (element.closest("header, .w-slim-header, [role=dialog], .w-comments")) {
            return;
        }
        if (element.getAttribute("dir") !== dir) {
            element.setAttribute("dir", dir);
        }
        if (lang && element.getAttribute("lang") !== lang) {
            element.setAttribute("lang", lang);
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
    form.setAttribute("data-passerelle-content-dir", dir);
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
