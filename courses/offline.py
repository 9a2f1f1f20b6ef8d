"""The server side of the offline app: module manifests, conditional GETs, and the sync of
the phone's outbox. (The service worker, the outbox JS and the download UI are the client's:
``static/js/``; this docstring is the contract between the two.)

CONTRACT
========

``GET /offline/modules/<page_id>.json``
    ``page_id``: a module page (``CoursePage``) in any locale. Signed-in learners enrolled in it
    or allowed to enrol (an open module); 404 otherwise (signed out: 401 JSON, see below).
    Answers, with ``Cache-Control: private, no-cache`` and an ETag (``If-None-Match`` → 304)::

        {"module": {"id", "title", "url", "lang", "dir", "version"},
         "pages": [{"url", "kind": "module"|"lesson"|"quiz", "id", "title", "etag", "bytes"}],
         "assets": [{"url", "bytes"}],
         "media": [{"url", "bytes", "kind": "video"|"audio", "title"}],
         "bytes": <sum of pages and assets>, "media_bytes": <sum of media bytes known>}

    * ``url``: absolute paths with the language prefix (``/ar/...``), as the links in the pages.
    * ``etag``: exactly the ETag header the page's own GET sends (weak, ``W/"..."``, so that
      GZipMiddleware leaves it unchanged), so the client can say "updated" when it differs.
    * ``bytes``: bytes over the network, gzip-compressed as the server sends them (pages:
      rendered for this learner and compressed as GZipMiddleware does; the CSRF token and the
      form keys are random, so a real response may differ by a few bytes). Assets: images
      (the renditions the lesson shows), compressed size for text files, file size otherwise.
    * ``kind: "quiz"`` pages (pre-test, final assessment, lesson check quizzes and quiz blocks)
      are listed only for an enrolled learner (a quiz page of a non-member is a refusal).
    * ``media``: audio files (Wagtail documents, ``bytes`` = file size) and videos. Videos are
      YouTube/Vimeo embeds the phone cannot store: ``url`` is the video link, ``bytes`` is
      ``null`` (unknown, streamed online only); ``media_bytes`` sums the known sizes.
    * ``version``: the module's content version (changes when any of its pages or quizzes is
      republished or edited); the JSON's own ETag also covers the learner's state.

Conditional GETs of lesson, module and quiz pages
    Each answers with ``ETag: W/"<hash>"``, ``Cache-Control: private, no-cache`` and
    ``Vary: Cookie`` (plus ``Accept-Language``), and a 304 with headers only when
    ``If-None-Match`` matches. The hash covers: the page's content version (module subtree
    published dates, quizzes' ``updated_at``, the templates deployed), the language, the user
    (and their CSRF secret, so a cached form's token stays valid) and the learner-state
    version of that user in that module (enrolment status, lessons done, attempts; attendance
    and certificates for the module page). Never 304 while a flash message is pending.
    Signed-out readers get the same headers (user = anonymous).

``GET /offline/csrf/``
    ``{"csrfToken": "..."}`` with ``Cache-Control: no-store``. Signed out: 401
    ``{"login_url": "/<lang>/accounts/login/"}``.

``POST /offline/sync/``
    Body ``{"events": [...]}`` (at most 50; more → 400 JSON ``{"error": ...}``), header
    ``X-CSRFToken``. Each event::

        {"id": "<uuid4>", "user": <user id>, "device_time": "<ISO 8601>",
         "type": "lesson_complete"|"lesson_visit"|"quiz_attempt"|"attendance_register",
         "url": "<the path the form posts to>",
         "fields": {"<name>": "<value>" or ["<v1>", "<v2>"]}}

    ``fields`` are the form's fields as the online form posts them (the client captures any
    form marked ``data-offline-event="<type>"``; the lesson "mark as done", visit, quiz and
    register forms carry it; include the submit button's name/value if it has one, e.g. the
    register's ``action=all_present``). ``csrfmiddlewaretoken`` in fields is ignored.
    Answer 200 ``{"results": [{"id", "status", "http", "message", "redirect"?}]}`` in the
    events' order:

    * ``applied`` / 200, ``already_applied`` / 409 (replay: the same row, nothing changed),
      ``invalid`` / 400 (the client shows the message and keeps nothing to resend),
      ``refused`` / 403 (not yours, not enrolled, not your cohort; also shown, not resent).
    * ``message``: translated in the learner's language (the request's language: send
      ``Accept-Language`` or post to a prefixed path; the sync URL has no prefix, so the
      user's language cookie / Accept-Language decides).
    * ``redirect``: the attempt's result page for quiz attempts (``/fr/learning/attempts/<pk>/
      ?page=<page_id>``), the next lesson or the module page for lesson completions.
    * The event ``id`` *is* the idempotency key of the write (the ``idempotency_key`` field of
      the cached form is ignored: one cached page may be answered twice offline). The quiz
      form's ``attempt`` number is ignored too (the outbox orders the events; the limit is
      counted when they arrive).
    * ``user`` ≠ the signed-in user → ``refused`` for that event (a shared phone).
    * Quiz over its attempt limit → ``invalid`` 400 with the limit message. A quiz changed on
      the server after the page was downloaded (the form's ``quiz_version`` field, else the
      device time, older than the quiz's ``updated_at``): the server's current rule scores it
      and the message says the quiz changed; answers that no longer fit → ``invalid``.
    * ``attendance_register``: the trainer's register form; a cohort the user may not manage
      → ``refused`` 403 (a learner always). Marks keep the device time
      (``Attendance.device_marked_at``, ``AttendanceChange.device_time``, method ``sync``).
      Nothing changed (a replay, or marks already so) → ``already_applied`` 409.
    * Every event runs in its own savepoint: one bad event never undoes the others.
    * Signed out → 401 JSON ``{"login_url"}`` for the whole batch (the client keeps every
      event); a stale CSRF token → Django's 403 (keep everything, fetch ``/offline/csrf/``).
    * Lesson completions and quiz attempts keep the *server's* time (the time the server
      recorded the result: certificates and reports rely on it); only the register, whose
      model has a place for it, records the device time.

``GET /<lang>/offline/``
    The offline page (``templates/offline.html``): public, ``Cache-Control: public,
    max-age=86400``, one per language, ``dir="rtl"`` in Arabic; an empty
    ``<ul data-offline-modules>`` the client fills from its cache, and a message.
"""
