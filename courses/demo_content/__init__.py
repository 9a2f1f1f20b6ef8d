"""The programme modules as data, and the reader that checks them before anything is loaded.

One folder per module, named by its key: ``structure.toml`` states once what does not depend on
the language (ids, minutes, optional lessons, block kinds, question kinds, correct answers, pass
marks, attempt limits, enrolment mode); ``<language>.toml`` (``fr.toml`` is the source) holds only
texts, keyed by those ids. ``modules()`` returns every module in the loader's format, one entry
per language, and raises ``DemoContentError`` naming the file and the id of every problem found.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from django.conf import settings

from courses.models import Audience, EnrolmentMode, QuestionKind, Topic

CONTENT_DIR = Path(__file__).resolve().parent
STRUCTURE_FILE = "structure.toml"

# The order modules appear in the catalogue when present; others follow alphabetically.
PREFERRED_ORDER = [
    "financial-education",
    "labour-intermediation",
    "labour-inspection",
    "skills-certification",
]

# Text fields each lesson block kind needs in every language; the rest of a block is structure.
BLOCK_TEXTS = {
    "heading": ("text",),
    "paragraph": ("text",),
    "glossary": ("term", "definition"),
    "example": ("title", "situation", "solution"),
    "callout": ("title", "text"),
}
CALLOUT_KINDS = {"key_point", "tip", "warning"}
SINGLE_ANSWER_KINDS = {QuestionKind.SINGLE, QuestionKind.TRUE_FALSE}

# Texts each section of a language file holds per id: required fields, then optional ones.
_LIST_FIELDS = {"objectives", "competencies"}
_TEXT_FIELDS = {
    "module": (("title", "slug", "summary", "objectives", "prerequisites", "competencies"), ()),
    "lessons": (("title", "slug", "summary"), ()),
    "quizzes": (("title",), ("intro",)),
    "questions": (("text", "explanation"), ()),
    "choices": (("text", "feedback"), ()),
}
_STRUCTURE_KEYS = {
    "key", "topic", "audiences", "estimated_hours", "enrolment_mode", "pre_test",
    "final_assessment", "lessons", "quizzes",
}


class DemoContentError(ValueError):
    """A demo content file that cannot be loaded; the message names each file and id at fault."""


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _toml_read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as file:
            return tomllib.load(file)
    except tomllib.TOMLDecodeError as error:
        raise DemoContentError(f"{_shown(path)}: TOML syntax error: {error}") from error
    except OSError as error:
        raise DemoContentError(f"{_shown(path)}: cannot be read: {error}") from error


def module_names(directory: Path = CONTENT_DIR) -> list[str]:
    """Folders of ``directory`` that hold module content, in catalogue order."""
    found = [
        path.name for path in directory.iterdir()
        if path.is_dir() and not path.name.startswith(("_", ".")) and any(path.glob("*.toml"))
    ]
    return sorted(found, key=lambda name: (
        PREFERRED_ORDER.index(name) if name in PREFERRED_ORDER else len(PREFERRED_ORDER), name,
    ))


def modules(directory: Path = CONTENT_DIR) -> list[dict]:
    """Every module of ``directory``, read and checked; the first broken module raises."""
    return [module_read(directory / name) for name in module_names(directory)]


# --- structure.toml ---------------------------------------------------------------------------


class _Problems:
    """Collects every problem of a module so one error lists them all."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, path: Path, where: str, problem: str) -> None:
        self.lines.append(f"{_shown(path)}: {where}: {problem}")

    def raise_any(self, folder: Path) -> None:
        if self.lines:
            raise DemoContentError(
                f"demo content {_shown(folder)} cannot be loaded:\n  " + "\n  ".join(self.lines)
            )


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _unique_id(item: Any, seen: set[str], path: Path, where: str,
               problems: _Problems) -> str | None:
    item_id = item.get("id") if isinstance(item, dict) else None
    if not isinstance(item_id, str) or not item_id:
        problems.add(path, where, "needs an `id`")
        return None
    if item_id in seen:
        problems.add(path, item_id, "id used twice")
        return None
    seen.add(item_id)
    return item_id


def _quiz_check(quiz_id: str, quiz: Any, path: Path, problems: _Problems,
                ids: dict[str, set[str]]) -> None:
    where = f"[quizzes.{quiz_id}]"
    if not isinstance(quiz, dict):
        problems.add(path, where, "must be a table")
        return
    unknown = set(quiz) - {"pass_mark", "max_attempts", "questions"}
    if unknown:
        problems.add(path, where, f"unknown keys {sorted(unknown)}")
    pass_mark = quiz.get("pass_mark", 70)
    if not _is_int(pass_mark) or not 0 <= pass_mark <= 100:
        problems.add(path, where, "pass_mark must be a whole number from 0 to 100")
    max_attempts = quiz.get("max_attempts")
    if max_attempts is not None and (not _is_int(max_attempts) or max_attempts < 1):
        problems.add(path, where, "max_attempts must be a whole number ≥ 1 (omit: unlimited)")
    questions = quiz.get("questions")
    if not isinstance(questions, list) or not questions:
        problems.add(path, where, "needs at least one [[quizzes.…questions]]")
        return
    for number, question in enumerate(questions, start=1):
        question_id = _unique_id(question, ids["questions"], path,
                                 f"{where} question {number}", problems)
        if question_id is None:
            continue
        unknown = set(question) - {"id", "kind", "choices", "correct"}
        if unknown:
            problems.add(path, question_id, f"unknown keys {sorted(unknown)}")
        kind = question.get("kind")
        if kind not in QuestionKind.values:
            problems.add(path, question_id, f"kind {kind!r} is not one of {QuestionKind.values}")
        choices, correct = question.get("choices"), question.get("correct")
        if not isinstance(choices, list) or not choices or not all(
            isinstance(choice, str) and choice for choice in choices
        ):
            problems.add(path, question_id, "choices must be a list of choice ids")
            continue
        for choice_id in choices:
            if choice_id in ids["choices"]:
                problems.add(path, choice_id, "choice id used twice")
            ids["choices"].add(choice_id)
        if not isinstance(correct, list) or not correct:
            problems.add(path, question_id, "has no correct choice (`correct = [...]`)")
            continue
        strangers = [choice_id for choice_id in correct if choice_id not in choices]
        if strangers:
            problems.add(path, question_id, f"correct names choices it does not have: {strangers}")
        if kind in SINGLE_ANSWER_KINDS and len(set(correct)) != 1:
            problems.add(path, question_id, f"a {kind} question needs exactly one correct choice")


def _structure_check(folder: Path, structure: dict, problems: _Problems) -> dict[str, set[str]]:
    """Check structure.toml; return the text ids each section of a language file must have."""
    path = folder / STRUCTURE_FILE
    ids: dict[str, set[str]] = {
        "lessons": set(), "blocks": set(), "quizzes": set(), "questions": set(), "choices": set(),
    }
    unknown = set(structure) - _STRUCTURE_KEYS
    if unknown:
        problems.add(path, "module", f"unknown keys {sorted(unknown)}")
    if structure.get("key") != folder.name:
        problems.add(path, "key", f"must be the folder's name {folder.name!r}")
    if structure.get("topic") not in Topic.values:
        problems.add(path, "topic", f"{structure.get('topic')!r} is not one of {Topic.values}")
    audiences = structure.get("audiences", [])
    if not isinstance(audiences, list) or not set(audiences) <= set(Audience.values):
        problems.add(path, "audiences", f"must be a list of {Audience.values}")
    hours = structure.get("estimated_hours", 1)
    if isinstance(hours, bool) or not isinstance(hours, int | float) or hours <= 0:
        problems.add(path, "estimated_hours", "must be a positive number")
    if structure.get("enrolment_mode", EnrolmentMode.OPEN) not in EnrolmentMode.values:
        problems.add(path, "enrolment_mode", f"must be one of {EnrolmentMode.values}")

    quizzes = structure.get("quizzes", {})
    if not isinstance(quizzes, dict):
        problems.add(path, "quizzes", "must be a table of [quizzes.<id>]")
        quizzes = {}
    for quiz_id, quiz in quizzes.items():
        ids["quizzes"].add(quiz_id)
        _quiz_check(quiz_id, quiz, path, problems, ids)
    used: list[str] = []
    for name in ("pre_test", "final_assessment"):
        if name in structure:
            used.append(structure[name])
            if structure[name] not in quizzes:
                problems.add(path, name, f"names no [quizzes.{structure[name]}]")

    lessons = structure.get("lessons", [])
    if not isinstance(lessons, list) or not lessons:
        problems.add(path, "lessons", "needs at least one [[lessons]]")
        lessons = []
    for number, lesson in enumerate(lessons, start=1):
        lesson_id = _unique_id(lesson, ids["lessons"], path, f"[[lessons]] {number}", problems)
        if lesson_id is None:
            continue
        unknown = set(lesson) - {"id", "minutes", "optional", "quiz", "blocks"}
        if unknown:
            problems.add(path, lesson_id, f"unknown keys {sorted(unknown)}")
        minutes = lesson.get("minutes", 15)
        if not _is_int(minutes) or minutes < 1:
            problems.add(path, lesson_id, "minutes must be a whole number ≥ 1")
        if not isinstance(lesson.get("optional", False), bool):
            problems.add(path, lesson_id, "optional must be true or false")
        if "quiz" in lesson:
            used.append(lesson["quiz"])
            if lesson["quiz"] not in quizzes:
                problems.add(path, lesson_id, f"quiz names no [quizzes.{lesson['quiz']}]")
        blocks = lesson.get("blocks", [])
        if not isinstance(blocks, list):
            problems.add(path, lesson_id, "blocks must be a list")
            continue
        for block_number, block in enumerate(blocks, start=1):
            block_id = _unique_id(block, ids["blocks"], path,
                                  f"{lesson_id} block {block_number}", problems)
            if block_id is None:
                continue
            kind = block.get("kind")
            if kind not in BLOCK_TEXTS:
                problems.add(path, block_id, f"kind {kind!r} is not one of {sorted(BLOCK_TEXTS)}")
            if kind == "callout" and block.get("callout") not in CALLOUT_KINDS:
                problems.add(path, block_id, f"callout must be one of {sorted(CALLOUT_KINDS)}")
            if set(block) - {"id", "kind", "callout"} or (kind != "callout" and "callout" in block):
                problems.add(path, block_id, "unknown keys")
    for quiz_id in sorted(set(used)):
        if used.count(quiz_id) > 1:
            problems.add(path, f"[quizzes.{quiz_id}]", "used by more than one lesson or test")
    for quiz_id in sorted(ids["quizzes"] - set(used)):
        problems.add(path, f"[quizzes.{quiz_id}]", "used by no lesson or test")
    return ids


# --- <language>.toml --------------------------------------------------------------------------


def _texts_check(path: Path, texts: dict, structure: dict, ids: dict[str, set[str]],
                 problems: _Problems) -> None:
    """Every text id the structure needs is there with its fields, and nothing else is."""
    for section in sorted(set(texts) - {"module", *ids}):
        problems.add(path, f"[{section}]", "unknown section")
    module = texts.get("module")
    if not isinstance(module, dict):
        problems.add(path, "[module]", "missing")
    else:
        _fields_check(path, "module", "[module]", module, problems)
    block_kinds = {
        block["id"]: block.get("kind")
        for lesson in structure.get("lessons", []) for block in lesson.get("blocks", [])
    }
    for section, needed in ids.items():
        given = texts.get(section, {})
        if not isinstance(given, dict):
            problems.add(path, f"[{section}]", "must be a table of ids")
            continue
        for text_id in sorted(needed - set(given)):
            problems.add(path, f"[{section}.{text_id}]", "missing")
        for text_id in sorted(set(given) - needed):
            problems.add(path, f"[{section}.{text_id}]", f"unknown id (not in {STRUCTURE_FILE})")
        for text_id in sorted(needed & set(given)):
            where = f"[{section}.{text_id}]"
            if not isinstance(given[text_id], dict):
                problems.add(path, where, "must be a table")
            elif section == "blocks":
                fields = BLOCK_TEXTS.get(block_kinds.get(text_id), ())
                _fields_check(path, section, where, given[text_id], problems, fields)
            else:
                _fields_check(path, section, where, given[text_id], problems)


def _fields_check(path: Path, section: str, where: str, value: dict, problems: _Problems,
                  required: tuple[str, ...] | None = None) -> None:
    optional: tuple[str, ...] = ()
    if required is None:
        required, optional = _TEXT_FIELDS[section]
    for field in required:
        if field not in value:
            problems.add(path, where, f"missing `{field}`")
    for field in sorted(set(value) - set(required) - set(optional)):
        problems.add(path, where, f"unknown field `{field}`")
    for field, text in value.items():
        if field in _LIST_FIELDS:
            if not isinstance(text, list) or not all(isinstance(item, str) for item in text):
                problems.add(path, where, f"`{field}` must be a list of texts")
        elif not isinstance(text, str):
            problems.add(path, where, f"`{field}` must be a text")


# --- the loader's format ----------------------------------------------------------------------


def _quiz_resolve(quiz: dict, texts: dict) -> dict:
    return {
        "title": texts["quizzes"][quiz["id"]]["title"],
        "intro": texts["quizzes"][quiz["id"]].get("intro", ""),
        "pass_mark": quiz.get("pass_mark", 70),
        "max_attempts": quiz.get("max_attempts"),
        "questions": [
            {
                "kind": question["kind"],
                "text": texts["questions"][question["id"]]["text"],
                "explanation": texts["questions"][question["id"]]["explanation"],
                "choices": [
                    {
                        "text": texts["choices"][choice_id]["text"],
                        "feedback": texts["choices"][choice_id]["feedback"],
                        "correct": choice_id in question["correct"],
                    }
                    for choice_id in question["choices"]
                ],
            }
            for question in quiz["questions"]
        ],
    }


def _block_resolve(block: dict, texts: dict) -> tuple[str, Any]:
    kind, text = block["kind"], texts["blocks"][block["id"]]
    if kind in ("heading", "paragraph"):
        return kind, text["text"]
    value = {field: text[field] for field in BLOCK_TEXTS[kind]}
    if kind == "callout":
        value = {"kind": block["callout"], **value}
    return kind, value


def _language_resolve(structure: dict, texts: dict) -> dict:
    quizzes = {
        quiz_id: {"id": quiz_id, **quiz} for quiz_id, quiz in structure.get("quizzes", {}).items()
    }

    def quiz(quiz_id: str | None) -> dict | None:
        return _quiz_resolve(quizzes[quiz_id], texts) if quiz_id else None

    module, lesson_fields = texts["module"], _TEXT_FIELDS["lessons"][0]
    return {
        **{field: module[field] for field in _TEXT_FIELDS["module"][0]},
        "pre_test": quiz(structure.get("pre_test")),
        "final_assessment": quiz(structure.get("final_assessment")),
        "lessons": [
            {
                **{field: texts["lessons"][lesson["id"]][field] for field in lesson_fields},
                "minutes": lesson.get("minutes", 15),
                "optional": lesson.get("optional", False),
                "body": [_block_resolve(block, texts) for block in lesson.get("blocks", [])],
                "quiz": quiz(lesson.get("quiz")),
            }
            for lesson in structure["lessons"]
        ],
    }


def module_read(folder: Path) -> dict:
    """One module folder, checked, as ``{"key", "topic", …, "translations": {code: {…}}}``."""
    problems = _Problems()
    structure_path = folder / STRUCTURE_FILE
    if not structure_path.is_file():
        raise DemoContentError(f"{_shown(structure_path)}: missing")
    structure = _toml_read(structure_path)
    ids = _structure_check(folder, structure, problems)
    problems.raise_any(folder)  # the language files are checked against a sound structure

    source = settings.LANGUAGE_CODE
    allowed = [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]
    texts_by_code: dict[str, dict] = {}
    for path in sorted(folder.glob("*.toml")):
        if path.name == STRUCTURE_FILE:
            continue
        if path.stem not in allowed:
            problems.add(path, "file", f"{path.stem!r} is not a content language {sorted(allowed)}")
            continue
        texts_by_code[path.stem] = texts = _toml_read(path)
        _texts_check(path, texts, structure, ids, problems)
    if source not in texts_by_code:
        problems.add(folder / f"{source}.toml", "file", "missing (the source language)")
    problems.raise_any(folder)

    order = sorted(texts_by_code, key=lambda code: (code != source, allowed.index(code)))
    return {
        "key": structure["key"],
        "topic": structure["topic"],
        "audiences": structure.get("audiences", []),
        "estimated_hours": structure.get("estimated_hours", 1),
        "enrolment_mode": structure.get("enrolment_mode", EnrolmentMode.OPEN),
        "translations": {
            code: _language_resolve(structure, texts_by_code[code]) for code in order
        },
    }
