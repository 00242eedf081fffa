"""Embedding, server side: CORS for allowed sites, frame-ancestors on /embed, the pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app import create_app
from app.origins import frame_ancestors, parse_origins
from tests.test_app_pages import Page

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "app" / "static"
ALLOWED = "https://www.example.nhs.uk"
OTHER = "https://evil.example"


@pytest.fixture
def make_client(engine):
    def make(allowed=None, **config):
        settings = {"TESTING": True, "ENGINE": engine, **config}
        if allowed is not None:
            settings["ALLOWED_ORIGINS"] = allowed
        return create_app(settings).test_client()

    return make


@pytest.fixture
def embed_client(make_client):
    return make_client(f"{ALLOWED}, http://127.0.0.1:8080")


def ask(client, origin=None):
    headers = {"Origin": origin} if origin else {}
    return client.post("/api/ask", json={"question": "Who developed SIM?"}, headers=headers)


def preflight(client, origin, path="/api/ask", method="POST"):
    return client.options(
        path,
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "content-type",
        },
    )


def vary(response):
    return {v.strip().lower() for v in response.headers.get("Vary", "").split(",") if v.strip()}


def test_an_allowed_origin_gets_its_own_origin_back_and_vary(embed_client):
    response = ask(embed_client, ALLOWED)
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert "origin" in vary(response)
    assert "Access-Control-Allow-Credentials" not in response.headers
    assert "Retry-After" in response.headers["Access-Control-Expose-Headers"]


def test_another_origin_gets_no_cors_headers_but_still_vary(embed_client):
    response = ask(embed_client, OTHER)
    assert "Access-Control-Allow-Origin" not in response.headers
    assert "origin" in vary(response)
    # Near misses are different origins.
    for near in ("http://www.example.nhs.uk", "https://www.example.nhs.uk:8443",
                 "https://example.nhs.uk", "https://www.example.nhs.uk.evil.example", "null"):
        assert "Access-Control-Allow-Origin" not in ask(embed_client, near).headers, near


def test_no_origin_means_no_cors_headers(embed_client):
    response = ask(embed_client)
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response.headers


def test_nothing_is_allowed_by_default(make_client):
    client = make_client()
    assert "Access-Control-Allow-Origin" not in ask(client, ALLOWED).headers
    assert preflight(client, ALLOWED).status_code == 403


def test_star_only_when_set_explicitly(make_client):
    client = make_client("*")
    response = ask(client, OTHER)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers
    assert preflight(client, OTHER).headers["Access-Control-Allow-Origin"] == "*"


def test_preflight_from_an_allowed_origin(embed_client):
    response = preflight(embed_client, ALLOWED)
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "content-type" in response.headers["Access-Control-Allow-Headers"].lower()
    assert int(response.headers["Access-Control-Max-Age"]) > 0
    assert {"origin", "access-control-request-method"} <= vary(response)


def test_preflight_from_another_origin_is_refused_with_the_json_error_shape(embed_client):
    response = preflight(embed_client, OTHER)
    assert response.status_code == 403
    assert "Access-Control-Allow-Origin" not in response.headers
    assert response.get_json()["error"]["code"] == "origin_not_allowed"
    assert "origin" in vary(response)


def test_errors_from_the_api_carry_cors_headers_so_the_widget_can_read_them(embed_client):
    response = embed_client.post("/api/ask", json={"question": ""}, headers={"Origin": ALLOWED})
    assert response.status_code == 400
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED
    response = embed_client.get("/api/sources", headers={"Origin": ALLOWED})
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED


def test_a_rate_limited_answer_is_readable_by_the_widget(make_client):
    client = make_client(ALLOWED, RATELIMIT_ENABLED=True, RATELIMIT_ASK="1 per minute")
    assert ask(client, ALLOWED).status_code == 200
    response = ask(client, ALLOWED)
    assert response.status_code == 429
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert "Retry-After" in response.headers["Access-Control-Expose-Headers"]
    assert response.get_json()["error"]["message"]


@pytest.mark.parametrize(
    "path",
    ["/widget.js", "/static/widget.js", "/static/widget.css", "/static/simqa-render.js",
     "/static/simqa-cards.css"],
)
def test_the_files_the_widget_loads_get_the_same_cors_rule(embed_client, path):
    allowed = embed_client.get(path, headers={"Origin": ALLOWED})
    assert allowed.status_code == 200
    assert allowed.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert "origin" in vary(allowed)
    other = embed_client.get(path, headers={"Origin": OTHER})
    assert "Access-Control-Allow-Origin" not in other.headers
    assert "origin" in vary(other)


def test_pages_get_no_cors_headers(embed_client):
    for path in ("/", "/widget", "/embed", "/static/simqa-page.css"):
        response = embed_client.get(path, headers={"Origin": ALLOWED})
        assert "Access-Control-Allow-Origin" not in response.headers, path


def test_widget_js_is_javascript(embed_client):
    response = embed_client.get("/widget.js")
    assert response.mimetype == "text/javascript"
    assert response.get_data() == (STATIC / "widget.js").read_bytes()


def csp_directives(response) -> dict[str, str]:
    values = response.headers.getlist("Content-Security-Policy")
    assert len(values) == 1, values
    directives = {}
    for part in values[0].split(";"):
        name, _, value = part.strip().partition(" ")
        directives[name] = value.strip()
    return directives


def test_embed_may_be_framed_only_by_the_allow_list(embed_client):
    response = embed_client.get("/embed")
    assert response.status_code == 200
    directives = csp_directives(response)
    assert directives["frame-ancestors"] == "https://www.example.nhs.uk http://127.0.0.1:8080"
    assert directives["script-src"] == "'self'"  # still no inline script in the frame


def test_embed_may_be_framed_by_nobody_by_default(make_client):
    response = make_client().get("/embed")
    assert csp_directives(response)["frame-ancestors"] == "'none'"


def test_embed_with_star(make_client):
    assert csp_directives(make_client("*").get("/embed"))["frame-ancestors"] == "*"


def test_frame_ancestors_function():
    app = create_app({"ALLOWED_ORIGINS": ""})
    assert frame_ancestors(app) == "'none'"
    app.config["ALLOWED_ORIGINS"] = "https://a.example, https://b.example:8443"
    assert frame_ancestors(app) == "https://a.example https://b.example:8443"


def test_allowed_origins_are_read_from_the_environment(monkeypatch, engine):
    monkeypatch.setenv("SIMQA_ALLOWED_ORIGINS", "https://a.example,http://127.0.0.1:8080")
    client = create_app({"ENGINE": engine}).test_client()
    response = ask(client, "http://127.0.0.1:8080")
    assert response.headers["Access-Control-Allow-Origin"] == "http://127.0.0.1:8080"


def test_origins_are_normalised_as_browsers_send_them():
    assert parse_origins("https://WWW.Example.NHS.uk/ , https://a.example:443, http://b:80") == (
        "https://www.example.nhs.uk",
        "https://a.example",
        "http://b",
    )
    assert parse_origins(["http://[::1]:9000"]) == ("http://[::1]:9000",)
    assert parse_origins("") == ()


@pytest.mark.parametrize(
    "value",
    ["example.com", "https://a.example/path", "ftp://a.example", "https://a.example?x=1",
     "*, https://a.example", "https://user@a.example", "https://a.example:99999"],
)
def test_a_malformed_allow_list_stops_the_app_with_the_reason(value):
    with pytest.raises(ValueError, match="SIMQA_ALLOWED_ORIGINS"):
        create_app({"ALLOWED_ORIGINS": value})


def test_embed_page_puts_options_in_attributes_escaped(embed_client):
    response = embed_client.get(
        "/embed",
        query_string={"title": 'Ask "us" <b>now</b>', "greeting": "Hi & welcome",
                      "accent": "#330072"},
    )
    page = Page(response.get_data(as_text=True))
    (chat,) = page.find("simqa-chat")
    assert chat["chat-title"] == 'Ask "us" <b>now</b>'
    assert chat["greeting"] == "Hi & welcome"
    assert chat["accent"] == "#330072"
    assert "inline" in chat
    assert not page.find("b")
    assert [s["src"] for s in page.find("script")] == ["/widget.js"]


def test_embed_page_drops_a_bad_accent_and_clips_long_text(embed_client):
    response = embed_client.get(
        "/embed", query_string={"accent": "red;background:url(x)", "title": "x" * 500}
    )
    (chat,) = Page(response.get_data(as_text=True)).find("simqa-chat")
    assert "accent" not in chat
    assert len(chat["chat-title"]) == 80


def test_no_inline_script_or_style_on_the_embedding_pages(embed_client):
    for path in ("/embed", "/widget"):
        html = embed_client.get(path).get_data(as_text=True)
        page = Page(html)
        for script in page.find("script"):
            assert script.get("src"), f"inline script on {path}"
        assert not page.find("style"), path
        assert not any("style" in attrs for _, attrs in page.elements), path


def test_widget_configurator_page(embed_client):
    response = embed_client.get("/widget", base_url="https://simqa.example")
    assert response.status_code == 200
    page = Page(response.get_data(as_text=True))
    (form,) = page.find("form", id="widget-form")
    assert form["data-widget-url"] == "https://simqa.example/widget.js"
    assert form["data-embed-url"] == "https://simqa.example/embed"
    for field in ("opt-title", "opt-greeting", "opt-accent", "snippet"):
        assert page.find(id=field), field
        assert page.find("label", for_=field), f"{field} has no label"
    assert page.find("simqa-chat", id="preview")
    assert page.find("button", id="copy-snippet")
    assert page.find(id="copy-status")[0]["role"] == "status"
    text = " ".join(page.text_by_id.values()) + response.get_data(as_text=True)
    assert "https://www.example.nhs.uk" in text
    assert "SIMQA_ALLOWED_ORIGINS" in text


def test_the_widget_never_parses_text_as_html_nor_stores_anything():
    for name in ("widget.js", "simqa-render.js", "widget-configurator.js"):
        source = (STATIC / name).read_text(encoding="utf-8")
        for forbidden in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write",
                          "localStorage", "sessionStorage", "document.cookie", "indexedDB",
                          "eval(", "new Function"):
            assert forbidden not in source, f"{name} uses {forbidden}"


def test_the_widget_renders_answers_with_the_chat_pages_module():
    widget = (STATIC / "widget.js").read_text(encoding="utf-8")
    chat = (STATIC / "simqa-chat.js").read_text(encoding="utf-8")
    assert '"static/simqa-render.js"' in widget and "./simqa-render.js" in chat
    for function in ("renderAnswer", "renderQuestion", "renderError", "askQuestion"):
        assert f"render.{function}(" in widget, function
        assert f"export function {function}(" not in widget
    styles = (STATIC / "widget.js").read_text(encoding="utf-8")
    assert '"static/simqa-cards.css"' in styles


def test_shared_and_widget_styles_never_use_rem():
    # Inside the widget, rem would follow the host page's root font size.
    for name in ("simqa-cards.css", "widget.css"):
        css = re.sub(r"/\*.*?\*/", "", (STATIC / name).read_text(encoding="utf-8"), flags=re.S)
        assert not re.search(r"\d(\.\d+)?rem\b", css), name


def test_readme_documents_every_attribute_custom_property_and_setting():
    from app.embed import WIDGET_ATTRIBUTES

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Embedding the chat widget", 1)[1].split("\n## ", 1)[0]
    for attribute, (data_name, query) in WIDGET_ATTRIBUTES.items():
        assert f"`{attribute}`" in section, attribute
        if data_name:
            assert f"`{data_name}`" in section, data_name
        if query:
            assert f"`{query}`" in section, query
    properties = set()
    for name in ("simqa-cards.css", "widget.css"):
        css = (STATIC / name).read_text(encoding="utf-8")
        properties |= set(re.findall(r"var\((--simqa-[a-z-]+)", css))
    internal = {"--simqa-viewport-height", "--simqa-viewport-bottom"}  # set by the widget
    for prop in sorted(properties - internal):
        assert f"`{prop}`" in section, prop
    for text in ("`SIMQA_ALLOWED_ORIGINS`", "/embed", "/widget", "frame-ancestors", "<simqa-chat"):
        assert text in section, text
