"""A tiny module in the demo-content format, to test the loader and the journeys without the
real teaching content. Its key and topic are those of the financial education kit, so tests
written against it keep working once the real content is loaded."""


def _quiz(title, questions, pass_mark=70, max_attempts=3):
    return {"title": title, "pass_mark": pass_mark, "max_attempts": max_attempts,
            "questions": questions}


def _q(text, choices, kind="single", explanation=""):
    return {"text": text, "kind": kind, "explanation": explanation,
            "choices": [{"text": t, "correct": c, "feedback": f"feedback {t}"} for t, c in choices]}


def _lang(code, title, slug, lesson_titles, words):
    yes, no = words
    return {
        "title": title, "slug": slug, "summary": f"{title} — {code}.",
        "objectives": [f"{words[0]} 1", f"{words[0]} 2"], "prerequisites": "",
        "competencies": [f"{title} A", f"{title} B"],
        "pre_test": _quiz(f"{title} pre", [_q(f"{code} P1", [(yes, True), (no, False)])],
                          max_attempts=None),
        "final_assessment": _quiz(f"{title} final", [
            _q(f"{code} F1", [(yes, True), (no, False)]),
            _q(f"{code} F2", [(yes, False), (no, True)], kind="true_false"),
        ], pass_mark=50),
        "lessons": [
            {"title": lesson_titles[0], "slug": f"{slug}-1", "summary": "", "minutes": 10,
             "body": [("heading", f"{code} heading"), ("paragraph", f"<p>{code} text</p>"),
                      ("callout", {"kind": "tip", "title": "T", "text": "<p>tip</p>"}),
                      ("glossary", {"term": "term", "definition": "definition"}),
                      ("example", {"title": "E", "situation": "<p>s</p>", "solution": "<p>o</p>"})],
             "quiz": _quiz(f"{lesson_titles[0]} check", [
                 _q(f"{code} C1", [(yes, True), (no, False)]),
                 _q(f"{code} C2", [(yes, True), (no, True), ("?", False)], kind="multiple"),
             ])},
            {"title": lesson_titles[1], "slug": f"{slug}-2", "summary": "", "minutes": 5,
             "body": [("paragraph", f"<p>{code} second</p>")], "quiz": None},
        ],
    }


SAMPLE_MODULE = {
    "key": "financial-education",
    "topic": "financial_education",
    "audiences": ["migrants_families"],
    "estimated_hours": 2,
    "enrolment_mode": "open",
    "translations": {
        "fr": _lang("fr", "Kit d'éducation financière", "education-financiere",
                    ["Faire son budget", "Épargner"], ("Oui", "Non")),
        "en": _lang("en", "Financial education kit", "financial-education",
                    ["Making a budget", "Saving"], ("Yes", "No")),
        "ar": _lang("ar", "عدة التربية المالية", "financial-education-ar",
                    ["إعداد الميزانية", "الادخار"], ("نعم", "لا")),
    },
}

COHORT_MODULE = {
    "key": "labour-inspection",
    "topic": "labour_inspection",
    "audiences": ["labour_inspectors", "trade_unions"],
    "estimated_hours": 3,
    "enrolment_mode": "cohort",
    "translations": {
        "fr": _lang("fr", "Inspection du travail", "inspection-du-travail",
                    ["Conventions", "Indicateurs"], ("Vrai", "Faux")),
    },
}
