"""The chat page and the source viewer, asserted by parsing their HTML."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[1] / "app" / "static"


class Page(HTMLParser):
    """Every element as (tag, attrs), plus the text inside elements with an id."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.text_by_id: dict[str, str] = {}
        self._open: list[tuple[str, str | None]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = {k: v or "" for k, v in attrs}
        self.elements.append((tag, attributes))
        if tag not in {"meta", "link", "input", "br", "img"}:
            self._open.append((tag, attributes.get("id")))
            if attributes.get("id"):
                self.text_by_id[attributes["id"]] = ""

    def handle_endtag(self, tag):
        while self._open:
            open_tag, _ = self._open.pop()
            if open_tag == tag:
                break

    def handle_data(self, data):
        for _, element_id in self._open:
            if element_id:
                self.text_by_id[element_id] += data

    def find(self, tag=None, **attrs):
        return [
            a
            for t, a in self.elements
            if (tag is None or t == tag)
            and all(a.get(k.rstrip("_")) == v for k, v in attrs.items())
        ]


@pytest.fixture
def chat(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    return Page(response.get_data(as_text=True))


def test_chat_page_has_a_labelled_question_box_and_a_polite_live_region(chat):
    (box,) = chat.find("textarea", id="question")
    assert chat.find("label", for_="question")
    assert box["maxlength"] == "500"
    assert box.get("aria-describedby") == "question-hint"
    (log,) = chat.find(id="conversation")
    assert log["role"] == "log" and log["aria-live"] == "polite"
    assert chat.find(id="status")[0]["role"] == "status"
    (form,) = chat.find("form", id="ask-form")
    assert form["method"] == "post"
    assert form["data-api"] == "/api/ask"


def test_what_i_know_panel_lists_the_five_documents(chat, engine):
    panel = chat.text_by_id["know-heading"]
    assert panel == "What I know"
    links = {a["href"] for a in chat.find("a") if a.get("href", "").startswith("/sources/")}
    assert links == {f"/sources/{d.id}" for d in engine.documents()}
    page_text = " ".join(chat.text_by_id.values())
    assert "not advice" in page_text or "don't give advice" in page_text
    island = json.loads(chat.text_by_id["simqa-documents"])
    assert [d["id"] for d in island] == [d.id for d in engine.documents()]
    assert island[0]["publisher"] and island[0]["date"]


def test_help_numbers_are_tel_links(chat):
    hrefs = {a["href"] for a in chat.find("a")}
    assert {"tel:999", "tel:116123", "tel:111"} <= hrefs


@pytest.mark.parametrize("path", ["/", "/sources/stopsim-response-2021", "/sources/nope"])
def test_pages_use_no_inline_script_no_inline_style_and_no_external_assets(client, path):
    page = Page(client.get(path).get_data(as_text=True))
    for tag, attrs in page.elements:
        assert "style" not in attrs, f"inline style on <{tag}>"
        assert not any(name.startswith("on") for name in attrs), f"inline handler on <{tag}>"
        if tag == "script":
            assert attrs.get("src") or attrs.get("type") == "application/json"
        loads = tag in {"script", "img", "iframe"} or (
            tag == "link" and attrs.get("rel") != "canonical"
        )
        if loads and attrs.get("type") != "application/json":
            url = attrs.get("src") or attrs.get("href") or ""
            assert url.startswith("/") and not url.startswith("//"), url
    assert "<style" not in client.get(path).get_data(as_text=True)
    for data_island in (a for t, a in page.elements if t == "script" and not a.get("src")):
        assert data_island["type"] == "application/json"


def test_static_assets_are_served(client):
    for name in [
        "simqa-render.js",
        "simqa-chat.js",
        "simqa-viewer.js",
        "simqa-cards.css",
        "simqa-page.css",
        "favicon.svg",
    ]:
        response = client.get(f"/static/{name}")
        assert response.status_code == 200, name
        response.close()


def test_scripts_never_insert_html():
    for script in STATIC.glob("*.js"):
        code = script.read_text()
        for sink in (
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
            "eval(",
            "new Function",
        ):
            assert sink not in code, f"{script.name} uses {sink}"


def test_render_module_exports_what_the_widget_will_reuse():
    code = (STATIC / "simqa-render.js").read_text()
    exported = set(re.findall(r"^export (?:async )?function (\w+)", code, re.M))
    assert {"renderAnswer", "renderQuestion", "renderError", "askQuestion"} <= exported


def test_viewer_shows_the_exact_display_text_and_metadata(client, engine):
    document = engine.source("stopsim-response-2021")
    response = client.get("/sources/stopsim-response-2021")
    assert response.status_code == 200
    page = Page(response.get_data(as_text=True))
    assert page.text_by_id["document-text"] == document.text
    (container,) = page.find(id="document-text")
    assert container["data-length"] == str(len(document.text))
    assert container["data-api"] == "/api/sources/stopsim-response-2021"
    assert page.text_by_id["doc-title"] == document.source.title
    assert any(a.get("href") == document.source.url for a in page.find("a"))
    assert page.find("script", type="module")[0]["src"] == "/static/simqa-viewer.js"


def test_viewer_escapes_markup_in_the_text(client, engine):
    for document in engine.documents():
        html = client.get(f"/sources/{document.id}").get_data(as_text=True)
        body = html.split('id="document-text"', 1)[1]
        assert "<img" not in body.split("</div>", 1)[0]
        assert Page(html).text_by_id["document-text"] == document.text


def test_unknown_source_page_is_a_plain_404_page(client):
    response = client.get("/sources/no-such-document")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "Back to the questions page" in response.get_data(as_text=True)


def test_unknown_page_is_html_not_json(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert client.post("/").status_code == 405
