"""The chat page at `/`: the conversation, the ask form and the "what I know" panel."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, url_for

from app.engine_state import require_engine, settings

bp = Blueprint("pages", __name__)

# Shown as buttons under the greeting; each is answered by the documents.
EXAMPLE_QUESTIONS = (
    "Who developed SIM?",
    "What is Serenity Integrated Mentoring?",
    "What were the StopSIM Coalition's concerns?",
    "What did the independent review find?",
)


def documents_for_page() -> list[dict[str, str]]:
    """The documents as the page and its scripts show them; empty if the engine is down."""
    engine = require_engine(wait_seconds=current_app.config["ENGINE_WAIT_SECONDS"], strict=False)
    if engine is None:
        return []
    return [
        {
            "id": d.id,
            "title": d.source.title,
            "publisher": d.source.publisher,
            "perspective": d.source.perspective,
            "date": d.source.date,
            "url": d.source.url,
            "viewer_url": url_for("sources.view", source_id=d.id),
        }
        for d in engine.documents()
    ]


@bp.get("/")
def chat():
    return render_template(
        "chat.html",
        documents=documents_for_page(),
        examples=EXAMPLE_QUESTIONS,
        max_question_chars=settings().max_question_chars,
    )
