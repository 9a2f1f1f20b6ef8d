"""StreamField blocks for lesson content.

Every block renders with its own template in ``templates/blocks/`` and is light by default:
videos load only when the learner taps them, audio is fetched only when played.
"""

import re
from urllib.parse import parse_qs, urlparse

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "h3"]

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")


def video_embed_url(url: str) -> str | None:
    """The privacy-friendly player URL for a YouTube or Vimeo link, or None if unsupported."""
    parsed = urlparse(url)
    host = (parsed.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    video_id = None
    if host in {"youtube.com", "youtube-nocookie.com"}:
        if parsed.path == "/watch":
            video_id = (parse_qs(parsed.query).get("v") or [None])[0]
        elif parsed.path.startswith(("/embed/", "/shorts/")):
            video_id = parsed.path.split("/")[2]
        if video_id and _YOUTUBE_ID.match(video_id):
            return f"https://www.youtube-nocookie.com/embed/{video_id}?autoplay=1&rel=0"
    elif host == "youtu.be":
        video_id = parsed.path.strip("/")
        if _YOUTUBE_ID.match(video_id):
            return f"https://www.youtube-nocookie.com/embed/{video_id}?autoplay=1&rel=0"
    elif host in {"vimeo.com", "player.vimeo.com"}:
        digits = [part for part in parsed.path.split("/") if part.isdigit()]
        if digits:
            return f"https://player.vimeo.com/video/{digits[0]}?autoplay=1&dnt=1"
    return None


class HeadingBlock(blocks.CharBlock):
    """A section heading inside a lesson (rendered as h2)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 160)
        super().__init__(**kwargs)

    class Meta:
        template = "blocks/heading.html"
        icon = "title"
        label = _("Heading")
        preview_value = "Établir un budget mensuel"


class ParagraphBlock(blocks.RichTextBlock):
    """Running text: paragraphs, lists, emphasis and links."""

    def __init__(self, **kwargs):
        kwargs.setdefault("features", TEXT_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        template = "blocks/paragraph.html"
        icon = "pilcrow"
        label = _("Text")
        preview_value = "<p>Un budget compare ce qui entre et ce qui sort chaque mois.</p>"


class ImageBlock(blocks.StructBlock):
    """An illustration with mandatory alternative text and an optional caption."""

    image = ImageChooserBlock(label=_("Image"))
    alt = blocks.CharBlock(
        label=_("Alternative text"), max_length=250,
        help_text=_("Describe what the image shows for people who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)

    class Meta:
        template = "blocks/image.html"
        icon = "image"
        label = _("Image")
        preview_value = {"alt": "Un carnet de comptes ouvert", "caption": "Tenir ses comptes"}


class VideoBlock(blocks.StructBlock):
    """A YouTube or Vimeo video that never autoplays: the player loads only when tapped.

    The transcript is mandatory: it is the accessible and low-bandwidth alternative.
    """

    url = blocks.URLBlock(label=_("Video link (YouTube or Vimeo)"))
    title = blocks.CharBlock(label=_("Title"), max_length=160)
    duration = blocks.CharBlock(
        label=_("Duration"), required=False, max_length=20, help_text=_("For example 4:30.")
    )
    poster = ImageChooserBlock(label=_("Poster image"), required=False)
    transcript = blocks.RichTextBlock(label=_("Transcript"), features=TEXT_FEATURES)

    class Meta:
        template = "blocks/video.html"
        icon = "media"
        label = _("Video")
        preview_value = {
            "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "title": "Comparer le coût d'un transfert",
            "duration": "3:10",
            "transcript": "<p>Avant d'envoyer de l'argent, comparez les frais et le taux.</p>",
        }

    def clean(self, value):
        value = super().clean(value)
        if video_embed_url(value["url"]) is None:
            raise blocks.StructBlockValidationError(
                block_errors={"url": ValidationError(_("Use a YouTube or Vimeo link."))}
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["embed_url"] = video_embed_url(value["url"])
        return context


class AudioBlock(blocks.StructBlock):
    """A sound file (uploaded as a document, e.g. MP3 or OGG), fetched only when played."""

    title = blocks.CharBlock(label=_("Title"), max_length=160)
    file = DocumentChooserBlock(label=_("Audio file"))
    transcript = blocks.RichTextBlock(
        label=_("Transcript"), required=False, features=TEXT_FEATURES
    )

    class Meta:
        template = "blocks/audio.html"
        icon = "media"
        label = _("Audio")
        preview_value = {"title": "Écouter la leçon", "transcript": "<p>Bonjour…</p>"}


class DocumentBlock(blocks.StructBlock):
    """A downloadable document, shown with its format and size so learners can decide."""

    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(
        label=_("Link text"), required=False, max_length=160,
        help_text=_("Defaults to the document's title."),
    )

    class Meta:
        template = "blocks/document.html"
        icon = "doc-full"
        label = _("Download")
        preview_value = {"title": "Modèle de budget mensuel"}


class CalloutBlock(blocks.StructBlock):
    """A highlighted box: a key point, a tip or a warning."""

    kind = blocks.ChoiceBlock(
        label=_("Kind"),
        choices=[("key_point", _("Key point")), ("tip", _("Tip")), ("warning", _("Warning"))],
        default="key_point",
    )
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=160)
    text = blocks.RichTextBlock(label=_("Text"), features=TEXT_FEATURES)

    class Meta:
        template = "blocks/callout.html"
        icon = "warning"
        label = _("Callout")
        preview_value = {
            "kind": "tip", "title": "Astuce",
            "text": "<p>Notez vos dépenses pendant un mois avant de faire votre budget.</p>",
        }


class GlossaryBlock(blocks.StructBlock):
    """A term and its plain-language definition."""

    term = blocks.CharBlock(label=_("Term"), max_length=120)
    definition = blocks.TextBlock(label=_("Definition"))

    class Meta:
        template = "blocks/glossary.html"
        icon = "help"
        label = _("Glossary term")
        preview_value = {
            "term": "Taux de change",
            "definition": "Le prix d'une monnaie exprimé dans une autre monnaie.",
        }


class ExampleBlock(blocks.StructBlock):
    """A worked example: a realistic situation and how to solve it."""

    title = blocks.CharBlock(label=_("Title"), max_length=160)
    situation = blocks.RichTextBlock(label=_("Situation"), features=TEXT_FEATURES)
    solution = blocks.RichTextBlock(label=_("Solution"), features=TEXT_FEATURES)

    class Meta:
        template = "blocks/example.html"
        icon = "list-ol"
        label = _("Worked example")
        preview_value = {
            "title": "Le budget de Fatou",
            "situation": "<p>Fatou gagne 1 400 € par mois et envoie 300 € à sa famille.</p>",
            "solution": "<p>Elle liste ses dépenses fixes, puis fixe un montant d'épargne.</p>",
        }


class QuizBlock(blocks.StructBlock):
    """A link to a quiz (a snippet) from inside the lesson, e.g. a practice test."""

    quiz = SnippetChooserBlock("courses.Quiz", label=_("Quiz"))
    text = blocks.CharBlock(label=_("Invitation"), required=False, max_length=200)

    class Meta:
        template = "blocks/quiz.html"
        icon = "tasks"
        label = _("Quiz")
        preview_value = {"text": "Testez vos connaissances avant de continuer."}


class LessonStreamBlock(blocks.StreamBlock):
    """The blocks an editor may use in a lesson."""

    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    image = ImageBlock()
    video = VideoBlock()
    audio = AudioBlock()
    document = DocumentBlock()
    callout = CalloutBlock()
    glossary = GlossaryBlock()
    example = ExampleBlock()
    quiz = QuizBlock()
