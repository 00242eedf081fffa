"""Source viewer at `/sources/<id>`: the display text; `#q=<start>-<end>` highlights a quote."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from app.engine_state import require_engine

bp = Blueprint("sources", __name__, url_prefix="/sources")


@bp.get("/<source_id>")
def view(source_id: str):
    engine = require_engine()
    try:
        document = engine.source(source_id)
    except KeyError:
        abort(404)
    return render_template(
        "source.html",
        document=document,
        source=document.source,
        length=len(document.text),
    )
