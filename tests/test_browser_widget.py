"""The <simqa-chat> widget in real headless Chromium, pasted into a page on another origin."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest

from tests.test_browser_chat import MARKUP_SENTENCE, api_answer

pytestmark = pytest.mark.browser

TIMEOUT_MS = 20_000
HOSTILE_CSS = "* { color: red !important; font: 40px serif !important; }"
# Host rules aimed at the widget's own class names: they must not reach inside.
HOST_CSS = """
body { margin: 0; font-family: Georgia, serif; background: #fffdf5; color: #1d1d1d; }
header, main, footer { padding: 1rem; }
.launcher, .panel, .log, .title, .simqa-turn, .simqa-quote, textarea, button {
  border: 4px solid lime; padding: 30px; letter-spacing: 3px; text-transform: uppercase;
}
"""
# Elements on the host page that share the widget's class names: its CSS must not reach out.
HOST_LOOKALIKES = (
    '<div class="simqa-turn simqa-turn--bot"><p class="simqa-lead">Host turn</p></div>'
    '<button type="button" class="launcher">Host button</button>'
    '<p class="title hint small-print">Host paragraph</p>'
)
STYLE_PROPERTIES = (
    "color", "background-color", "font-family", "font-size", "font-weight", "line-height",
    "letter-spacing", "text-transform", "padding-top", "padding-left", "border-top-width",
    "border-top-color", "width", "height",
)
WIDGET_PARTS = (
    ".launcher", ".title", ".close", ".log", ".greeting p", "label", "textarea", ".send",
    ".hint", ".small-print", ".small-print a",
)
AXE_JS = Path(__import__("axe_playwright_python").__file__).parent / "axe.min.js"


class HostSite:
    """A stand-in for a trust's web site: pages held in a dict, served on their own port."""

    def __init__(self) -> None:
        self.pages: dict[str, str] = {}
        self.csp = ""

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "/")
        if path.endswith(".css"):
            body, kind = {"/host.css": HOST_CSS, "/hostile.css": HOSTILE_CSS}.get(path), "text/css"
        else:
            body, kind = self.pages.get(path), "text/html; charset=utf-8"
        if body is None:
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found"]
        headers = [("Content-Type", kind)]
        if self.csp and kind.startswith("text/html"):
            headers.append(("Content-Security-Policy", self.csp))
        start_response("200 OK", headers)
        return [body.encode("utf-8")]

    def add(self, path: str, head: str = "", body: str = "", hostile: bool = False) -> str:
        sheets = '<link rel="stylesheet" href="/host.css">'
        if hostile:
            sheets += '<link rel="stylesheet" href="/hostile.css">'
        self.pages[path] = (
            '<!doctype html><html lang="en-GB"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>Partner trust</title>{sheets}{head}</head><body>"
            '<header><p><a href="/">Partner trust home</a></p></header>'
            f'<main><h1>Mental health services</h1><p>Text of the host page.</p>{body}</main>'
            "<footer><p>Host footer</p></footer></body></html>"
        )
        return path


def snippet(server: str, **data: str) -> str:
    attributes = "".join(f' data-{k}="{html.escape(v)}"' for k, v in data.items())
    return f'<script src="{server}/widget.js" defer{attributes}></script>'


def simqa_app(engine, allowed=""):
    from app import create_app

    return create_app({"ENGINE": engine, "ALLOWED_ORIGINS": allowed, "RATELIMIT_ENABLED": False})


@pytest.fixture(scope="module")
def sites(engine, serve_app):
    """The simqa server, a host site it allows and a host site it does not allow."""
    app = simqa_app(engine)
    allowed, refused = HostSite(), HostSite()
    with serve_app(app) as simqa, serve_app(allowed) as allowed_url, serve_app(refused) as other:
        app.config["ALLOWED_ORIGINS"] = allowed_url
        # The host's own policy forbids inline script and style: the widget needs neither.
        allowed.csp = (
            f"default-src 'self'; script-src 'self' {simqa}; style-src 'self' {simqa}; "
            f"connect-src {simqa}; img-src 'self'; frame-src {simqa}"
        )
        yield {"simqa": simqa, "allowed": allowed_url, "refused": other,
               "host": allowed, "other_host": refused, "app": app}


class Visit:
    """A page in its own browser context, with everything it did that a test may forbid."""

    def __init__(self, context, origins):
        self.context = context
        self.page = context.new_page()
        self.page.set_default_timeout(TIMEOUT_MS)
        self.origins = origins
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.console_errors: list[str] = []
        self.requests: list[str] = []
        self.responses: list = []
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on(
            "console",
            lambda m: self.console_errors.append(m.text) if m.type == "error" else None,
        )
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("response", lambda r: self.responses.append(r))

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def widget(self, selector="simqa-chat"):
        return self.page.locator(selector)

    def shadow_focus(self, selector="simqa-chat"):
        """The class of the focused element inside the widget, or None if focus is outside."""
        return self.page.evaluate(
            """(sel) => { const host = document.querySelector(sel);
                 if (document.activeElement !== host) return null;
                 const el = host.shadowRoot.activeElement;
                 return el ? (el.className || el.id) : null; }""",
            selector,
        )

    def assert_clean(self):
        assert self.dialogs == []
        assert self.errors == []
        foreign = [u for u in self.requests if not u.startswith(self.origins)]
        assert foreign == [], "requests to other hosts"
        assert not [m for m in self.console_errors if "Content Security Policy" in m]

    def assert_nothing_stored(self):
        assert self.context.cookies() == []
        stored = self.page.evaluate(
            "[localStorage.length, sessionStorage.length, document.cookie]"
        )
        assert stored == [0, 0, ""]
        state = self.context.storage_state()
        assert state["cookies"] == []
        assert all(not origin.get("localStorage") for origin in state["origins"])


@pytest.fixture
def visit(browser):
    contexts = []

    def open_(url, origins, width=1280, height=900, reduced_motion="no-preference", **options):
        context = browser.new_context(
            viewport={"width": width, "height": height}, reduced_motion=reduced_motion, **options
        )
        contexts.append(context)
        visit = Visit(context, tuple(origins))
        visit.page.goto(url)
        return visit

    yield open_
    for context in contexts:
        context.close()


def open_widget(visit_):
    page = visit_.page
    page.locator("simqa-chat .launcher").click()
    panel = page.locator("simqa-chat .panel")
    panel.wait_for(state="visible")
    panel.evaluate("p => Promise.all(p.getAnimations().map((a) => a.finished))")
    return page


def ask_widget(page, question, status=None, scope="simqa-chat"):
    cards = page.locator(f"{scope} .simqa-answer, {scope} .simqa-error")
    before = cards.count()
    page.locator(f"{scope} textarea").fill(question)
    page.locator(f"{scope} textarea").press("Enter")
    card = cards.nth(before)
    card.wait_for()
    if status:
        assert card.get_attribute("data-status") == status
    return card


def test_snippet_on_another_origin_answers_with_a_quote_card(sites, visit, artifacts):
    host = sites["host"]
    path = host.add(
        "/answer",
        head=snippet(sites["simqa"], title="Ask the trust about SIM", accent="#005eb8",
                     greeting="Hello from the trust.", position="right"),
    )
    v = visit(sites["allowed"] + path, (sites["allowed"], sites["simqa"]))
    page = v.page
    launcher = page.locator("simqa-chat .launcher")
    assert launcher.inner_text().strip() == "Ask the trust about SIM"
    assert launcher.get_attribute("aria-expanded") == "false"
    page = open_widget(v)
    assert launcher.get_attribute("aria-expanded") == "true"
    assert v.shadow_focus() == "question"
    assert page.locator("simqa-chat .greeting").inner_text() == "Hello from the trust."

    question = "Who developed SIM?"
    expected = api_answer(sites["simqa"], question)["quotes"][0]
    card = ask_widget(page, question, status="answered")
    answer = card.locator(".simqa-quote--answer")
    assert answer.locator("blockquote").inner_text().strip("\u201c\u201d") == expected["text"]
    assert answer.locator(".simqa-publisher").inner_text() == expected["publisher"]
    assert answer.locator(".simqa-date").inner_text() == expected["date"]
    # Links go to the simqa server, not to the host page.
    viewer = answer.locator(".simqa-viewer-link")
    assert viewer.get_attribute("href") == sites["simqa"] + expected["viewer_url"]
    assert viewer.get_attribute("target") == "_blank"
    assert page.locator("simqa-chat .simqa-question").last.inner_text() == question
    assert page.locator("simqa-chat textarea").input_value() == ""

    asked = [r for r in v.responses if r.url == sites["simqa"] + "/api/ask"]
    assert asked and asked[-1].request.all_headers().get("origin") == sites["allowed"]
    assert asked[-1].headers["access-control-allow-origin"] == sites["allowed"]
    page.screenshot(path=str(artifacts / "widget-open-desktop.png"))
    v.assert_clean()
    v.assert_nothing_stored()


def test_a_site_not_in_the_allow_list_is_refused_and_told_politely(sites, visit, artifacts):
    other = sites["other_host"]
    path = other.add("/refused", head=snippet(sites["simqa"]))
    v = visit(sites["refused"] + path, (sites["refused"], sites["simqa"]))
    page = open_widget(v)
    card = ask_widget(page, "Who developed SIM?")
    assert "simqa-error" in card.get_attribute("class")
    text = card.inner_text()
    assert "can't answer on this website" in text
    assert "allowed" in text
    assert card.locator("a").get_attribute("href") == sites["simqa"] + "/"
    assert page.locator("simqa-chat .simqa-answer").count() == 0
    # The browser refused: nothing simqa sent carried permission for this site...
    for response in v.responses:
        if response.url.startswith(sites["simqa"]):
            assert "access-control-allow-origin" not in response.headers, response.url
    # ...and the question itself was never answered for it.
    assert not [r for r in v.responses if r.url == sites["simqa"] + "/api/ask"
                and r.request.method == "POST"]
    assert page.locator("simqa-chat textarea").input_value() == "Who developed SIM?"
    page.screenshot(path=str(artifacts / "widget-refused.png"))
    assert v.dialogs == [] and v.errors == []
    v.assert_nothing_stored()


def computed_styles(page, selectors, scope="simqa-chat"):
    return page.evaluate(
        """([scope, selectors, props]) => {
             const root = document.querySelector(scope).shadowRoot;
             const out = {};
             for (const sel of selectors) {
               const el = root.querySelector(sel);
               if (!el) { out[sel] = null; continue; }
               const style = getComputedStyle(el);
               out[sel] = Object.fromEntries(props.map((p) => [p, style.getPropertyValue(p)]));
             }
             return out; }""",
        [scope, list(selectors), list(STYLE_PROPERTIES)],
    )


def test_a_hostile_host_stylesheet_changes_nothing_inside_the_widget(sites, visit, artifacts):
    host = sites["host"]
    plain = host.add("/plain", head=snippet(sites["simqa"]))
    hostile = host.add("/hostile", head=snippet(sites["simqa"]), hostile=True)
    styles = []
    for path in (plain, hostile):
        v = visit(sites["allowed"] + path, (sites["allowed"], sites["simqa"]))
        page = open_widget(v)
        ask_widget(page, "Who developed SIM?", status="answered")
        parts = (*WIDGET_PARTS, ".simqa-question", ".simqa-quote-text p", ".simqa-publisher",
                 ".simqa-viewer-link", ".simqa-quote-label")
        styles.append(computed_styles(page, parts))
        assert page.evaluate("getComputedStyle(document.body).color") == (
            "rgb(255, 0, 0)" if path == hostile else "rgb(29, 29, 29)"
        )
        v.assert_clean()
    assert None not in styles[0].values()
    assert styles[0] == styles[1]
    assert styles[0][".title"]["font-size"] == "18px"
    assert styles[0][".simqa-quote-text p"]["color"] == "rgb(33, 43, 50)"
    page.screenshot(path=str(artifacts / "widget-hostile-host-css.png"))


def host_styles(page):
    return page.evaluate(
        """(props) => Array.from(document.querySelectorAll('main *')).map((el) => {
             const style = getComputedStyle(el);
             return [el.tagName, el.className, props.map((p) => style.getPropertyValue(p))]; })""",
        list(STYLE_PROPERTIES),
    )


def test_the_widgets_css_does_not_leak_into_the_host_page(sites, visit):
    host = sites["host"]
    without = host.add("/lookalikes-alone", body=HOST_LOOKALIKES)
    with_widget = host.add("/lookalikes", head=snippet(sites["simqa"]), body=HOST_LOOKALIKES)
    before = host_styles(visit(sites["allowed"] + without, (sites["allowed"],)).page)
    v = visit(sites["allowed"] + with_widget, (sites["allowed"], sites["simqa"]))
    page = open_widget(v)
    ask_widget(page, "Who developed SIM?", status="answered")
    assert host_styles(page) == before
    assert page.evaluate("document.styleSheets.length") == 1  # only host.css, in the document
    v.assert_clean()


def test_markup_in_a_quote_is_shown_as_text_and_creates_no_element(
    tmp_path_factory, serve_app, visit, artifacts
):
    from simqa.config import Settings
    from simqa.engine import Engine

    root = tmp_path_factory.mktemp("widget-markup")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "quokka-review.txt").write_text(
        "The Quokka Review\n\n"
        "The Quokka review was published by the Island Council in March 2020.\n\n"
        f"{MARKUP_SENTENCE}\n\n"
        "The council accepted every recommendation of the review & thanked the staff.\n",
        encoding="utf-8",
    )
    (corpus / "harbour-notes.txt").write_text(
        "Harbour Notes\n\nThe harbour master recorded forty ferry crossings in June.\n",
        encoding="utf-8",
    )
    engine = Engine.load(Settings(corpus_dir=str(corpus), index_dir=str(root / "index")))
    app = simqa_app(engine)
    host = HostSite()
    with serve_app(app) as simqa, serve_app(host) as host_url:
        app.config["ALLOWED_ORIGINS"] = host_url
        path = host.add("/markup", head=snippet(simqa))
        question = "What was pasted into patient records?"
        expected = api_answer(simqa, question)["quotes"][0]["text"]
        assert MARKUP_SENTENCE in expected  # the markup survived into the display text
        v = visit(host_url + path, (host_url, simqa))
        page = open_widget(v)
        card = ask_widget(page, question, status="answered")
        quote = card.locator("blockquote").first
        assert quote.inner_text().strip("\u201c\u201d") == expected
        assert page.locator("simqa-chat img").count() == 0
        assert page.locator("img").count() == 0
        assert quote.evaluate("q => q.querySelectorAll('*').length") == 1  # just its <p>
        # The question is text too.
        ask_widget(page, "<img src=x onerror=alert(2)> harbour crossings")
        assert page.locator("simqa-chat img").count() == 0
        asked = page.locator("simqa-chat .simqa-question").last.inner_text()
        assert "<img src=x onerror=alert(2)>" in asked
        page.screenshot(path=str(artifacts / "widget-markup-as-text.png"))
        v.assert_clean()


def test_crisis_and_not_found_cards_in_the_widget(sites, visit):
    host = sites["host"]
    path = host.add("/states", head=snippet(sites["simqa"]))
    v = visit(sites["allowed"] + path, (sites["allowed"], sites["simqa"]))
    page = open_widget(v)
    crisis = ask_widget(page, "I want to kill myself", status="crisis")
    assert "simqa-help" in crisis.evaluate("c => c.firstElementChild.className")
    assert crisis.locator('a[href="tel:116123"]').count() == 1
    assert crisis.locator('a[href="tel:999"]').count() == 1
    assert crisis.locator(".simqa-quote").count() == 0
    not_found = ask_widget(page, "What is the capital of France?", status="not_found")
    assert "couldn't find" in not_found.locator(".simqa-lead").inner_text()
    links = not_found.locator(".simqa-coverage a")
    assert links.count() == 5
    for i in range(5):
        assert links.nth(i).get_attribute("href").startswith(sites["simqa"] + "/sources/")
    assert not_found.locator(".simqa-quote--answer").count() == 0
    v.assert_clean()


def test_inline_element_in_the_page_content(sites, visit, artifacts):
    host = sites["host"]
    path = host.add(
        "/inline",
        head=snippet(sites["simqa"], title="Questions about SIM"),
        body='<h2>Ask us</h2><simqa-chat inline accent="#330072"></simqa-chat><p>After.</p>',
    )
    v = visit(sites["allowed"] + path, (sites["allowed"], sites["simqa"]))
    page = v.page
    chat = page.locator("simqa-chat")
    assert page.locator("simqa-chat").count() == 1  # no floating chat added
    assert chat.locator(".launcher").is_hidden()
    assert chat.locator(".close").is_hidden()
    assert chat.locator(".title").inner_text() == "Questions about SIM"  # from the script tag
    assert chat.locator(".panel").get_attribute("role") is None
    ask_widget(page, "Who developed SIM?", status="answered")
    # It sits in the flow: the paragraph after it comes after it.
    box = chat.bounding_box()
    after = page.locator("main > p").last.bounding_box()
    assert after["y"] >= box["y"] + box["height"] - 1
    assert chat.locator(".send").evaluate("b => getComputedStyle(b).color") == "rgb(255, 255, 255)"
    page.screenshot(path=str(artifacts / "widget-inline.png"), full_page=True)
    v.assert_clean()


def test_keyboard_only(sites, visit):
    host = sites["host"]
    path = host.add("/keyboard", head=snippet(sites["simqa"]))
    v = visit(sites["allowed"] + path, (sites["allowed"], sites["simqa"]))
    page = v.page
    page.locator("simqa-chat .launcher").wait_for()
    for _ in range(20):
        page.keyboard.press("Tab")
        if v.shadow_focus() == "launcher":
            break
    else:
        pytest.fail("Tab never reached the launcher")
    outline = page.locator("simqa-chat .launcher").evaluate(
        "b => getComputedStyle(b).outlineStyle + ' ' + getComputedStyle(b).outlineWidth"
    )
    assert outline == "solid 3px"  # visible focus
    page.keyboard.press("Enter")
    page.locator("simqa-chat .panel").wait_for(state="visible")
    assert v.shadow_focus() == "question" or page.evaluate(
        "document.querySelector('simqa-chat').shadowRoot.activeElement.id"
    ) == "question"
    page.keyboard.type("Who developed SIM?")
    page.keyboard.press("Enter")
    log = page.locator("simqa-chat .log")
    assert log.get_attribute("role") == "log"
    assert log.get_attribute("aria-live") == "polite"
    log.locator(".simqa-answer").wait_for()
    assert "Who developed SIM?" in log.inner_text()
    assert log.locator(".simqa-quote--answer blockquote").inner_text()
    # Tab moves through the answer's links to the question box, all inside the panel.
    page.keyboard.press("Escape")
    page.locator("simqa-chat .panel").wait_for(state="hidden")
    assert v.shadow_focus() == "launcher"
    assert page.locator("simqa-chat .launcher").get_attribute("aria-expanded") == "false"
    # Reopen from the keyboard: the conversation is still there.
    page.keyboard.press("Enter")
    page.locator("simqa-chat .panel").wait_for(state="visible")
    assert log.locator(".simqa-answer").count() == 1
    page.keyboard.press("Escape")
    v.assert_clean()


def test_phone_width_and_on_screen_keyboard(sites, visit, artifacts):
    host = sites["host"]
    path = host.add("/phone", head=snippet(sites["simqa"], accent="#ffeb3b"))
    v = visit(sites["allowed"] + path, (sites["allowed"], sites["simqa"]), width=360, height=740,
              is_mobile=True, has_touch=True)
    page = open_widget(v)
    ask_widget(page, "Who developed SIM?", status="answered")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    panel = page.locator("simqa-chat .panel").bounding_box()
    assert panel["x"] >= 0 and panel["x"] + panel["width"] <= 360
    assert panel["y"] >= 0 and panel["y"] + panel["height"] <= 740
    box = page.locator("simqa-chat textarea").bounding_box()
    assert box["y"] + box["height"] <= 740
    # A light accent gets black text.
    assert page.locator("simqa-chat .send").evaluate("b => getComputedStyle(b).color") == (
        "rgb(0, 0, 0)"
    )
    page.screenshot(path=str(artifacts / "widget-open-360px.png"))
    v.assert_clean()


def test_the_question_box_stays_above_the_on_screen_keyboard(sites, visit):
    host = sites["host"]
    path = host.add("/keyboard-open", head=snippet(sites["simqa"]))
    v = visit(sites["allowed"] + path, (sites["allowed"], sites["simqa"]), width=360, height=740,
              is_mobile=True, has_touch=True)
    page = open_widget(v)
    # Chromium on Android shrinks only the visual viewport when the keyboard opens; headless
    # desktop Chromium cannot, so the visual viewport reports a 300 px keyboard.
    page.evaluate(
        """() => { const real = window.visualViewport;
             const fake = new EventTarget();
             Object.defineProperties(fake, {
               height: { get: () => 440 }, width: { get: () => real.width },
               offsetTop: { get: () => 0 }, offsetLeft: { get: () => 0 }, scale: { get: () => 1 },
             });
             fake.addEventListener = fake.addEventListener.bind(fake);
             Object.defineProperty(window, 'visualViewport', { get: () => fake });
             const chat = document.querySelector('simqa-chat');
             chat.close({ returnFocus: false }); chat.open();
             fake.dispatchEvent(new Event('resize')); }"""
    )
    page.locator("simqa-chat .panel").evaluate(
        "p => Promise.all(p.getAnimations().map((a) => a.finished))"
    )
    box = page.locator("simqa-chat textarea").bounding_box()
    send = page.locator("simqa-chat .send").bounding_box()
    panel = page.locator("simqa-chat .panel").bounding_box()
    assert panel["y"] >= 0
    assert box["y"] >= 0 and box["y"] + box["height"] <= 440
    assert send["y"] + send["height"] <= 440
    assert page.locator("simqa-chat .small-print").is_hidden()  # room kept for the conversation
    ask_widget(page, "Who developed SIM?", status="answered")
    v.assert_clean()


def test_reduced_motion_turns_the_opening_animation_off(sites, visit):
    host = sites["host"]
    path = host.add("/motion", head=snippet(sites["simqa"]))
    names = {}
    for motion in ("no-preference", "reduce"):
        v = visit(
            sites["allowed"] + path, (sites["allowed"], sites["simqa"]), reduced_motion=motion
        )
        open_widget(v)
        names[motion] = v.page.locator("simqa-chat .panel").evaluate(
            "p => getComputedStyle(p).animationName"
        )
    assert names == {"no-preference": "simqa-open", "reduce": "none"}


def run_axe(page):
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate("axe.run(document, { resultTypes: ['violations'] })")
    violations = [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [n["target"] for n in v["nodes"]][:5],
            "html": [n["html"][:200] for n in v["nodes"]][:3],
        }
        for v in result["violations"]
    ]
    assert violations == [], json.dumps(violations, indent=2)


@pytest.mark.parametrize("accent", ["#005eb8", "#ffeb3b", "#7c2855"])
def test_axe_finds_nothing_in_the_open_widget(sites, visit, accent):
    host = sites["host"]
    path = host.add(f"/axe-{accent[1:]}", head=snippet(sites["simqa"], accent=accent))
    v = visit(sites["allowed"] + path, (sites["allowed"], sites["simqa"]), bypass_csp=True)
    page = open_widget(v)
    run_axe(page)
    ask_widget(page, "Who developed SIM?", status="answered")
    ask_widget(page, "I want to end my life", status="crisis")
    ask_widget(page, "What is the capital of France?", status="not_found")
    run_axe(page)
    page.locator("simqa-chat textarea").focus()
    run_axe(page)


def test_axe_finds_nothing_in_the_inline_widget_or_the_refused_one(sites, visit):
    host = sites["host"]
    path = host.add("/axe-inline", head=snippet(sites["simqa"]),
                    body="<h2>Ask us</h2><simqa-chat inline></simqa-chat>")
    v = visit(sites["allowed"] + path, (sites["allowed"], sites["simqa"]), bypass_csp=True)
    ask_widget(v.page, "Who developed SIM?", status="answered")
    run_axe(v.page)
    refused = sites["other_host"].add("/axe-refused", head=snippet(sites["simqa"]))
    v = visit(sites["refused"] + refused, (sites["refused"], sites["simqa"]), bypass_csp=True)
    page = open_widget(v)
    ask_widget(page, "Who developed SIM?")
    run_axe(page)


def test_axe_finds_nothing_on_the_chat_embed_and_configurator_pages(sites, visit):
    simqa = sites["simqa"]
    v = visit(simqa + "/", (simqa,), bypass_csp=True)
    page = v.page
    page.fill("#question", "Who developed SIM?")
    page.press("#question", "Enter")
    page.locator("#conversation .simqa-answer").wait_for()
    run_axe(page)
    v = visit(simqa + "/embed?title=Ask%20us&accent=%23330072", (simqa,), bypass_csp=True)
    ask_widget(v.page, "Who developed SIM?", status="answered")
    run_axe(v.page)
    v = visit(simqa + "/widget", (simqa,), bypass_csp=True)
    v.page.locator("#preview .panel").wait_for(state="visible")
    run_axe(v.page)


def test_embed_iframe_on_an_allowed_site_and_blocked_elsewhere(sites, visit, artifacts):
    simqa = sites["simqa"]
    frame_html = (
        f'<iframe src="{simqa}/embed?title=Ask%20about%20SIM" title="Ask about SIM" '
        'width="400" height="600"></iframe>'
    )
    path = sites["host"].add("/iframe", body=frame_html)
    v = visit(sites["allowed"] + path, (sites["allowed"], simqa))
    frame = v.page.frame_locator("iframe")
    frame.locator("simqa-chat .title").wait_for()
    card = ask_widget(frame, "Who developed SIM?", status="answered")
    assert card.locator("blockquote").count() >= 1
    v.page.screenshot(path=str(artifacts / "embed-iframe.png"))
    v.assert_clean()

    blocked = sites["other_host"].add("/iframe-blocked", body=frame_html)
    v = visit(sites["refused"] + blocked, (sites["refused"], simqa))
    v.page.wait_for_timeout(1000)
    child = v.page.frames[1]
    assert not child.url.startswith(simqa + "/embed") or child.locator("simqa-chat").count() == 0
    assert any("frame-ancestors" in m for m in v.console_errors)


def test_configurator_preview_and_snippet(sites, visit, artifacts):
    simqa = sites["simqa"]
    v = visit(simqa + "/widget", (simqa,), permissions=["clipboard-read", "clipboard-write"])
    page = v.page
    preview = page.locator("#preview")
    preview.locator(".panel").wait_for(state="visible")
    page.fill("#opt-title", 'Ask "the trust"')
    page.fill("#opt-greeting", "Hello <there>")
    page.locator("#opt-accent").evaluate(
        "i => { i.value = '#ffeb3b'; i.dispatchEvent(new Event('input', {bubbles: true})); }"
    )
    assert preview.locator(".title").inner_text() == 'Ask "the trust"'
    assert preview.locator(".greeting").inner_text() == "Hello <there>"
    assert preview.locator(".launcher").evaluate("b => getComputedStyle(b).color") == (
        "rgb(0, 0, 0)"
    )
    assert "black" in page.inner_text("#accent-note")
    snippet_text = page.input_value("#snippet")
    assert snippet_text == (
        f'<script src="{simqa}/widget.js" defer data-title="Ask &quot;the trust&quot;" '
        'data-greeting="Hello &lt;there&gt;" data-accent="#ffeb3b" data-position="right">'
        "</script>"
    )
    page.check("input[name=position][value=left]")
    assert 'data-position="left"' in page.input_value("#snippet")
    assert preview.locator(".root").get_attribute("data-position") == "left"
    page.screenshot(path=str(artifacts / "widget-configurator.png"), full_page=True)
    page.check("input[name=style][value=inline]")
    assert page.input_value("#snippet").startswith("<simqa-chat inline chat-title=")
    assert preview.get_attribute("inline") == ""
    assert page.locator("input[name=position]").first.is_disabled()
    page.check("input[name=style][value=iframe]")
    assert page.input_value("#snippet").startswith(f'<iframe src="{simqa}/embed?title=Ask+')
    page.click("#copy-snippet")
    page.locator("#copy-status:not(:empty)").wait_for()
    assert "copied" in page.inner_text("#copy-status").lower()
    assert page.evaluate("navigator.clipboard.readText()") == page.input_value("#snippet")
    v.assert_clean()


def test_with_the_engine_down_the_widget_still_gives_crisis_help(serve_app, visit):
    from app import create_app

    def cannot_load(settings):
        raise OSError("no index")

    app = create_app({"ENGINE_LOADER": cannot_load, "RATELIMIT_ENABLED": False})
    host = HostSite()
    with serve_app(app) as simqa, serve_app(host) as host_url:
        app.config["ALLOWED_ORIGINS"] = host_url
        path = host.add("/down", head=snippet(simqa))
        v = visit(host_url + path, (host_url, simqa))
        page = open_widget(v)
        card = ask_widget(page, "Who developed SIM?")
        assert "simqa-error" in card.get_attribute("class")
        assert "116 123" in card.inner_text()
        assert page.locator("simqa-chat textarea").input_value() == "Who developed SIM?"
        page.locator("simqa-chat textarea").fill("")
        card = ask_widget(page, "I want to end my life", status="crisis")
        assert card.locator('a[href="tel:116123"]').count() == 1
        v.assert_clean()


def test_pasting_the_snippet_twice_gives_one_chat(sites, visit):
    tag = snippet(sites["simqa"], title="Once")
    path = sites["host"].add("/twice", head=tag + tag)
    v = visit(sites["allowed"] + path, (sites["allowed"], sites["simqa"]))
    v.page.locator("simqa-chat .launcher").wait_for()
    assert v.page.locator("simqa-chat").count() == 1
    open_widget(v)
    v.assert_clean()
