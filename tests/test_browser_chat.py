"""The chat page and source viewer in real headless Chromium (Debian's, at /usr/bin/chromium)."""

from __future__ import annotations

import json
import urllib.request

import pytest

pytestmark = pytest.mark.browser

TIMEOUT_MS = 20_000

MARKUP_SENTENCE = (
    "The review warned that the text <img src=x onerror=alert(1) title=<> had been pasted "
    "into patient records by mistake."
)
# A page break in the original: the sentence carries on after a blank line.
BROKEN_SENTENCE = "The ferry timetable was changed in the\n\nspring of 2019 after the storms."


class Watched:
    """A page plus everything it did that a test may want to forbid."""

    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.foreign_requests: list[str] = []
        page.set_default_timeout(TIMEOUT_MS)
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("request", self._request)

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _request(self, request):
        if not request.url.startswith(self.base_url):
            self.foreign_requests.append(request.url)

    def watch(self, page):
        return Watched(page, self.base_url)

    def assert_clean(self):
        assert self.dialogs == []
        assert self.errors == []
        assert self.foreign_requests == []


@pytest.fixture
def open_page(browser):
    contexts = []

    def open_(base_url, path="/", width=1280, height=900):
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        watched = Watched(context.new_page(), base_url)
        watched.page.goto(base_url + path)
        return watched

    yield open_
    for context in contexts:
        context.close()


def api_answer(base_url, question):
    request = urllib.request.Request(
        base_url + "/api/ask",
        data=json.dumps({"question": question}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def ask_in_page(page, question, status=None):
    before = page.locator("#conversation .simqa-answer, #conversation .simqa-error").count()
    page.fill("#question", question)
    page.press("#question", "Enter")
    card = page.locator("#conversation .simqa-answer, #conversation .simqa-error").nth(before)
    card.wait_for()
    if status:
        assert card.get_attribute("data-status") == status
    return card


def open_viewer_from(watched, card, index=0):
    page = watched.page
    with page.context.expect_page() as popup:
        card.locator(".simqa-viewer-link").nth(index).click()
    viewer = watched.watch(popup.value)
    viewer.page.locator("mark.quote-highlight").first.wait_for()
    return viewer


def highlighted_text(page):
    return page.eval_on_selector_all(
        "#document-text mark.quote-highlight", "marks => marks.map(m => m.textContent).join('')"
    )


def test_asking_shows_an_attributed_quote_card(open_page, live_url, artifacts):
    expected = api_answer(live_url, "Who developed SIM?")
    watched = open_page(live_url)
    page = watched.page
    card = ask_in_page(page, "Who developed SIM?", status="answered")
    first = expected["quotes"][0]
    answer = card.locator(".simqa-quote--answer").first
    assert answer.locator("blockquote").inner_text().strip("\u201c\u201d") == first["text"]
    assert answer.locator(".simqa-publisher").inner_text() == first["publisher"]
    assert answer.locator(".simqa-date").inner_text() == first["date"]
    assert (
        answer.locator(".simqa-viewer-link").get_attribute("href") == live_url + first["viewer_url"]
    )
    assert answer.locator(".simqa-original-link").get_attribute("href") == first["url"]
    assert answer.locator(".simqa-quote-label").inner_text().lower() == "answer"
    # The question and the answer are in the polite live region, and the box is ready again.
    log = page.locator("#conversation")
    assert log.get_attribute("role") == "log" and log.get_attribute("aria-live") == "polite"
    assert "Who developed SIM?" in log.inner_text()
    assert page.input_value("#question") == ""
    assert page.evaluate("document.activeElement.id") == "question"
    assert page.context.cookies() == []
    page.screenshot(path=str(artifacts / "chat-answer-desktop.png"), full_page=True)
    watched.assert_clean()


def test_see_it_in_the_document_highlights_exactly_the_quote(open_page, live_url, artifacts):
    watched = open_page(live_url)
    card = ask_in_page(watched.page, "Who developed SIM?", status="answered")
    quote = api_answer(live_url, "Who developed SIM?")["quotes"][0]
    viewer = open_viewer_from(watched, card)
    page = viewer.page
    assert page.url.endswith(quote["viewer_url"])
    assert highlighted_text(page) == quote["text"]
    mark = page.locator("mark.quote-highlight").first
    page.wait_for_function(
        "() => { const r = document.querySelector('mark').getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= window.innerHeight; }"
    )
    assert mark.evaluate("m => document.activeElement === m")
    assert "highlighted" in page.inner_text("#highlight-status")
    page.screenshot(path=str(artifacts / "viewer-highlight.png"))
    # Another quote's fragment moves the highlight without a reload.
    page.evaluate("location.hash = '#q=0-20'")
    page.wait_for_function("document.querySelectorAll('mark').length === 1")
    text = page.evaluate("document.getElementById('document-text').textContent")
    assert highlighted_text(page) == text[:20]
    viewer.assert_clean()
    watched.assert_clean()


def test_support_quotes_from_other_publishers_are_labelled(open_page, live_url):
    watched = open_page(live_url)
    question = "What were the StopSIM Coalition's concerns?"
    expected = api_answer(live_url, question)
    card = ask_in_page(watched.page, question)
    labels = card.locator(".simqa-quote-label").all_inner_texts()
    assert len(labels) == len(expected["quotes"])
    for label, quote in zip(labels, expected["quotes"], strict=True):
        if quote["role"] == "support" and quote["publisher"] != expected["quotes"][0]["publisher"]:
            assert "another publisher" in label.lower()
        if quote["role"] == "related":
            assert "not an answer" in label.lower()


def test_crisis_puts_help_first_with_phone_links(open_page, live_url, artifacts):
    watched = open_page(live_url)
    card = ask_in_page(watched.page, "I want to kill myself", status="crisis")
    first_child_class = card.evaluate("c => c.firstElementChild.className")
    assert "simqa-help" in first_child_class
    assert card.locator('a[href="tel:116123"]').count() == 1
    assert card.locator('a[href="tel:999"]').count() == 1
    signposting = api_answer(live_url, "I want to kill myself")["signposting"]
    links = card.locator(".simqa-signpost a")
    assert [links.nth(i).get_attribute("href") for i in range(links.count())] == [
        s["href"] for s in signposting
    ]
    assert card.locator(".simqa-quote").count() == 0
    watched.page.screenshot(path=str(artifacts / "chat-crisis.png"), full_page=True)
    watched.assert_clean()


def test_not_found_says_so_and_labels_related_passages(open_page, live_url):
    watched = open_page(live_url)
    card = ask_in_page(watched.page, "What is the capital of France?", status="not_found")
    assert "couldn't find" in card.locator(".simqa-lead").inner_text()
    assert card.locator(".simqa-coverage a").count() == 5
    assert card.locator(".simqa-quote--answer").count() == 0
    for label in card.locator(".simqa-quote-label").all_inner_texts():
        assert "not an answer" in label.lower()


def test_smalltalk_gets_a_plain_reply(open_page, live_url):
    watched = open_page(live_url)
    card = ask_in_page(watched.page, "hello", status="smalltalk")
    assert card.locator(".simqa-quote").count() == 0
    assert card.locator(".simqa-lead").inner_text()


def test_example_buttons_ask_their_question(open_page, live_url):
    watched = open_page(live_url)
    page = watched.page
    page.locator("button.example").first.click()
    page.locator("#conversation .simqa-answer").first.wait_for()
    assert page.locator(".simqa-question").first.inner_text() == "Who developed SIM?"


def test_keyboard_only_on_a_360px_phone(open_page, live_url, artifacts):
    watched = open_page(live_url, width=360, height=740)
    page = watched.page
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "question":
            break
    else:
        pytest.fail("Tab never reached the question box")
    page.keyboard.type("Who developed SIM?")
    page.keyboard.press("Enter")
    page.locator("#conversation .simqa-answer").first.wait_for()
    assert page.evaluate("document.activeElement.id") == "question"
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    box = page.locator("#question").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    page.screenshot(path=str(artifacts / "chat-answer-360px.png"), full_page=True)
    # Shift+Enter makes a new line instead of sending.
    page.focus("#question")
    page.keyboard.type("first line")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("second line")
    assert page.input_value("#question") == "first line\nsecond line"
    watched.assert_clean()


def test_a_too_long_question_is_refused_before_sending(open_page, live_url):
    watched = open_page(live_url)
    page = watched.page
    page.evaluate("document.getElementById('question').removeAttribute('maxlength')")
    page.fill("#question", "a" * 600)
    page.press("#question", "Enter")
    assert "limit is 500" in page.inner_text("#status")
    assert page.locator("#conversation .simqa-turn--user").count() == 0


def test_when_the_engine_is_down_crisis_still_works_and_others_get_a_polite_error(
    open_page, serve_app
):
    from app import create_app

    def cannot_load(settings):
        raise OSError("no index")

    with serve_app(create_app({"ENGINE_LOADER": cannot_load})) as url:
        watched = open_page(url)
        page = watched.page
        assert "can't be shown right now" in page.inner_text(".know")
        card = ask_in_page(page, "Who developed SIM?")
        assert "simqa-error" in card.get_attribute("class")
        assert "116 123" in card.inner_text()
        assert page.input_value("#question") == "Who developed SIM?"  # ready to send again
        page.fill("#question", "")
        card = ask_in_page(page, "I want to end my life", status="crisis")
        assert card.locator('a[href="tel:116123"]').count() == 1
        watched.assert_clean()


@pytest.fixture(scope="module")
def markup_url(tmp_path_factory, serve_app):
    """A server over a tiny corpus whose text holds markup that survives display cleaning."""
    from app import create_app
    from simqa.config import Settings
    from simqa.engine import Engine

    root = tmp_path_factory.mktemp("markup")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "quokka-review.txt").write_text(
        "The Quokka Review\n\n"
        "The Quokka review was published by the Island Council in March 2020.\n\n"
        f"{MARKUP_SENTENCE}\n\n"
        "It also found that <img src=x onerror=alert(1)> tags appeared in old letters.\n\n"
        "The council accepted every recommendation of the review & thanked the staff.\n",
        encoding="utf-8",
    )
    (corpus / "harbour-notes.txt").write_text(
        "Harbour Notes\n\n"
        "The harbour master recorded forty ferry crossings in the first week of June.\n\n"
        "Fishing boats must leave the inner harbour before high tide.\n\n"
        f"{BROKEN_SENTENCE}\n",
        encoding="utf-8",
    )
    engine = Engine.load(Settings(corpus_dir=str(corpus), index_dir=str(root / "index")))
    with serve_app(create_app({"ENGINE": engine})) as url:
        yield url


def test_a_sentence_broken_by_a_page_break_reads_as_one_line(open_page, markup_url):
    question = "When was the ferry timetable changed?"
    quote = api_answer(markup_url, question)["quotes"][0]
    assert BROKEN_SENTENCE in quote["text"]  # the API gives the text exactly as it stands
    page = open_page(markup_url).page
    card = ask_in_page(page, question, status="answered")
    shown = card.locator("blockquote").first.inner_text()
    assert "changed in the spring of 2019" in shown and "the\n" not in shown


def test_markup_in_corpus_text_is_shown_as_text(open_page, markup_url, artifacts):
    question = "What was pasted into patient records?"
    quote = api_answer(markup_url, question)["quotes"][0]
    # The markup survived into the display text (the quote may also take a neighbour).
    assert MARKUP_SENTENCE in quote["text"]
    watched = open_page(markup_url)
    page = watched.page
    card = ask_in_page(page, question, status="answered")
    shown = card.locator("blockquote").first.inner_text().strip("\u201c\u201d")
    assert " ".join(shown.split()) == " ".join(quote["text"].split())
    assert page.locator("#conversation img").count() == 0
    page.screenshot(path=str(artifacts / "chat-markup-as-text.png"), full_page=True)
    viewer = open_viewer_from(watched, card)
    assert highlighted_text(viewer.page) == quote["text"]
    assert viewer.page.locator("#document-text img, #document-text script").count() == 0
    viewer.page.screenshot(path=str(artifacts / "viewer-markup-as-text.png"))
    watched.assert_clean()
    viewer.assert_clean()
