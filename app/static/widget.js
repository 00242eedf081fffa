// <simqa-chat>: the simqa chat as a custom element with its own shadow DOM, for any site's page.
// One classic script tag loads it; the tag's data-* attributes configure the chat it adds.
// Answer cards come from simqa-render.js, the module the chat page uses. Questions and corpus
// text only ever reach the DOM as text nodes. Nothing is stored in the browser.
(() => {
  "use strict";

  if (window.customElements === undefined || customElements.get("simqa-chat")) return;

  const script = document.currentScript;
  const scriptSrc = script && script.src ? script.src : new URL("/widget.js", location.href).href;

  // The simqa server's root URL, from this script's own address (/widget.js or /static/widget.js),
  // so a page on another site talks only to the server it loaded the widget from.
  function serverRoot(src) {
    const url = new URL(".", src);
    if (url.pathname.endsWith("/static/")) url.pathname = url.pathname.slice(0, -"static/".length);
    url.search = "";
    url.hash = "";
    return url.href;
  }

  const SERVER = serverRoot(scriptSrc);
  const serverUrl = (path) => new URL(path, SERVER).href;

  const DEFAULT_TITLE = "Ask about SIM";
  const DEFAULT_GREETING =
    "Hello. Ask me a question about Serenity Integrated Mentoring (SIM). I answer only with " +
    "quotes from published documents, and I say who published each one.";
  const NOT_ALLOWED =
    "Sorry, I can't answer on this website: it is not on the simqa server's list of sites " +
    "allowed to use this chat. The website's owner can ask for it to be added.";
  const UNREACHABLE =
    "Sorry, I couldn't reach the simqa server. Please check your connection and try again.";
  const ELSEWHERE = "You can ask your question on simqa's own page instead";
  const HEX_COLOUR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

  // The script tag's data-* name -> the element attribute it sets.
  const SCRIPT_OPTIONS = [
    ["title", "chat-title"],
    ["greeting", "greeting"],
    ["accent", "accent"],
    ["position", "position"],
  ];

  // simqa-render.js is imported on demand. The browser fetches a module in CORS mode, so a
  // site that is not in SIMQA_ALLOWED_ORIGINS cannot load it; the shell below works without it.
  let renderer = null;
  let attempts = 0;
  function loadRenderer() {
    if (renderer === null) {
      const url = new URL("static/simqa-render.js", SERVER);
      attempts += 1;
      if (attempts > 1) url.searchParams.set("retry", String(attempts));
      renderer = import(url.href).catch((error) => {
        renderer = null;
        throw error;
      });
    }
    return renderer;
  }

  // Load the answer cards while the person types; a failure is reported when they ask.
  function warmUp() {
    loadRenderer().catch(() => {});
  }

  // A refused CORS request and a dead server look the same to fetch(); an opaque no-cors
  // request tells them apart (it succeeds whenever the server answers at all).
  async function serverAnswers() {
    try {
      await fetch(serverUrl("api/health"), { mode: "no-cors", credentials: "omit", cache: "no-store" });
      return true;
    } catch {
      return false;
    }
  }

  async function fetchDocuments() {
    try {
      const response = await fetch(serverUrl("api/sources"), {
        credentials: "omit",
        headers: { Accept: "application/json" },
      });
      const body = response.ok ? await response.json() : null;
      return body && Array.isArray(body.sources) ? body.sources : [];
    } catch {
      return [];
    }
  }

  // WCAG relative luminance of "#rgb" or "#rrggbb".
  function luminance(hex) {
    let digits = hex.slice(1);
    if (digits.length === 3) digits = digits.replace(/./g, "$&$&");
    const [r, g, b] = [0, 2, 4].map((i) => {
      const c = parseInt(digits.slice(i, i + 2), 16) / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }

  function contrast(a, b) {
    const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (light + 0.05) / (dark + 0.05);
  }

  // Black or white, whichever reads better on the accent: at least 4.58:1 for any colour.
  function readableText(accent) {
    const white = contrast(accent, "#ffffff");
    const black = contrast(accent, "#000000");
    return white >= black ? { color: "#ffffff", contrast: white } : { color: "#000000", contrast: black };
  }

  // The shell must exist before (and without) simqa-render.js, so it is built here.
  function el(tag, attrs = {}, ...children) {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, value);
    element.append(...children);
    return element;
  }

  function chatIcon() {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", "icon");
    const path = document.createElementNS(ns, "path");
    path.setAttribute("d", "M4 4h16a1 1 0 0 1 1 1v11a1 1 0 0 1-1 1H9l-5 4v-4H4a1 1 0 0 1-1-1V5a1 1 0 0 1 1-1z");
    svg.append(path);
    return svg;
  }

  function newTabLink(href, text) {
    return el(
      "a",
      { href, target: "_blank", rel: "noopener noreferrer" },
      text,
      el("span", { class: "simqa-visually-hidden" }, " (opens in a new tab)"),
    );
  }

  class SimqaChat extends HTMLElement {
    static get observedAttributes() {
      return ["chat-title", "greeting", "accent", "position", "inline", "open"];
    }

    static readableText(accent) {
      return HEX_COLOUR.test(accent || "") ? readableText(accent) : null;
    }

    constructor() {
      super();
      this._built = false;
      this._busy = false;
      this._isOpen = false;
      this._documents = null;
      this._onViewport = () => this._fitViewport();
    }

    get inline() {
      return this.hasAttribute("inline");
    }

    connectedCallback() {
      if (!this._built) this._build();
      this._update();
      if (this.inline) warmUp();
    }

    disconnectedCallback() {
      this._trackViewport(false);
    }

    attributeChangedCallback() {
      if (this._built) this._update();
    }

    open() {
      if (this.inline || this._isOpen) return;
      this._isOpen = true;
      this._applyAccent(); // the page's own --simqa-accent may have loaded since
      this._sync();
      this._question.focus();
      warmUp();
    }

    close({ returnFocus = true } = {}) {
      if (this.inline || !this._isOpen) return;
      this._isOpen = false;
      this._sync();
      if (returnFocus) this._launcher.focus();
    }

    _build() {
      this._built = true;
      const shadow = this.attachShadow({ mode: "open" });
      const styles = ["static/simqa-cards.css", "static/widget.css"].map((path) =>
        el("link", { rel: "stylesheet", href: serverUrl(path) }),
      );

      this._launcherText = el("span", { class: "launcher-text" });
      this._launcher = el(
        "button",
        { type: "button", class: "launcher", "aria-expanded": "false", "aria-controls": "panel" },
        chatIcon(),
        this._launcherText,
      );
      this._launcher.addEventListener("click", () => (this._isOpen ? this.close() : this.open()));

      this._heading = el("h2", { id: "title", class: "title" });
      this._closeButton = el(
        "button",
        { type: "button", class: "close" },
        el("span", { "aria-hidden": "true" }, "\u00d7"),
        el("span", { class: "simqa-visually-hidden" }, "Close chat"),
      );
      this._closeButton.addEventListener("click", () => this.close());

      this._greeting = el("p");
      this._log = el(
        "div",
        {
          id: "log",
          class: "log",
          role: "log",
          "aria-live": "polite",
          "aria-relevant": "additions",
          "aria-label": "Conversation",
          tabindex: "0",
        },
        el("div", { class: "simqa-turn simqa-turn--bot greeting" }, this._greeting),
      );
      this._status = el("p", { class: "status", role: "status" });

      this._question = el("textarea", {
        id: "question",
        name: "question",
        rows: "2",
        autocomplete: "off",
        "aria-describedby": "hint",
      });
      this._send = el("button", { type: "submit", class: "send" }, "Ask");
      this._form = el(
        "form",
        { class: "ask", novalidate: "" },
        el("label", { for: "question", class: "label" }, "Your question"),
        el("div", { class: "ask-row" }, this._question, this._send),
        el(
          "p",
          { id: "hint", class: "hint" },
          "Press Enter to ask, Shift+Enter for a new line. Please don't include your name or other personal details.",
        ),
      );
      this._form.addEventListener("submit", (event) => {
        event.preventDefault();
        this._ask(this._question.value.trim());
      });
      this._question.addEventListener("keydown", (event) => {
        if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
          event.preventDefault();
          this._form.requestSubmit();
        }
      });
      this._question.addEventListener("input", () => {
        if (!this._busy) this._status.textContent = "";
      });

      const smallPrint = el(
        "p",
        { class: "small-print" },
        "Quotes from published documents, not advice. Need help now? Samaritans ",
        el("a", { href: "tel:116123" }, "116 123"),
        " (free, 24/7); in an emergency call ",
        el("a", { href: "tel:999" }, "999"),
        ". ",
        newTabLink(SERVER, "Open the full chat"),
      );

      this._panel = el(
        "div",
        { id: "panel", class: "panel" },
        el("div", { class: "panel-header" }, this._heading, this._closeButton),
        this._log,
        this._status,
        this._form,
        smallPrint,
      );
      this._root = el("div", { class: "root", role: "region" }, this._launcher, this._panel);
      this._root.addEventListener("keydown", (event) => {
        if (event.key === "Escape" && !event.isComposing && this._isOpen && !this.inline) {
          event.preventDefault();
          this.close();
        }
      });
      shadow.append(...styles, this._root);
    }

    _update() {
      const title = (this.getAttribute("chat-title") || "").trim() || DEFAULT_TITLE;
      this._heading.textContent = title;
      this._launcherText.textContent = title;
      this._root.setAttribute("aria-label", title);
      this._greeting.textContent = (this.getAttribute("greeting") || "").trim() || DEFAULT_GREETING;
      this._root.dataset.position = this.getAttribute("position") === "left" ? "left" : "right";
      this._applyAccent();
      if (this.inline) this._isOpen = false;
      else if (this.hasAttribute("open") !== this._isOpen) {
        this._isOpen = this.hasAttribute("open");
      }
      this._sync();
    }

    // Staff set the accent by attribute or by --simqa-accent; the text on it is black or
    // white by contrast unless --simqa-accent-text is set too.
    _applyAccent() {
      const style = this._root.style;
      style.removeProperty("--simqa-accent");
      style.removeProperty("--simqa-accent-text");
      const attribute = (this.getAttribute("accent") || "").trim();
      const computed = getComputedStyle(this);
      const accent = HEX_COLOUR.test(attribute)
        ? attribute
        : computed.getPropertyValue("--simqa-accent").trim();
      if (!HEX_COLOUR.test(accent)) return;
      if (accent === attribute) style.setProperty("--simqa-accent", accent);
      if (accent === attribute || !computed.getPropertyValue("--simqa-accent-text").trim()) {
        style.setProperty("--simqa-accent-text", readableText(accent).color);
      }
    }

    _sync() {
      const inline = this.inline;
      const open = inline || this._isOpen;
      this._root.classList.toggle("is-inline", inline);
      this._root.classList.toggle("is-open", open);
      this._launcher.hidden = inline;
      this._closeButton.hidden = inline;
      this._panel.hidden = !open;
      this._launcher.setAttribute("aria-expanded", String(this._isOpen));
      if (inline) {
        this._panel.removeAttribute("role");
        this._panel.removeAttribute("aria-labelledby");
      } else {
        this._panel.setAttribute("role", "dialog");
        this._panel.setAttribute("aria-labelledby", "title");
      }
      if (this._isOpen !== this.hasAttribute("open") && !inline) {
        this.toggleAttribute("open", this._isOpen);
      }
      this._trackViewport(this._isOpen);
    }

    // With a phone's on-screen keyboard open, the visual viewport is smaller than the layout
    // viewport that position: fixed uses; the panel is fitted to the visual one.
    _trackViewport(on) {
      const viewport = window.visualViewport;
      if (!viewport || on === Boolean(this._tracking)) return;
      this._tracking = on;
      const method = on ? "addEventListener" : "removeEventListener";
      viewport[method]("resize", this._onViewport);
      viewport[method]("scroll", this._onViewport);
      if (on) this._fitViewport();
    }

    _fitViewport() {
      const viewport = window.visualViewport;
      if (!viewport) return;
      const below = Math.max(0, window.innerHeight - viewport.height - viewport.offsetTop);
      this._root.style.setProperty("--simqa-viewport-height", `${viewport.height}px`);
      this._root.style.setProperty("--simqa-viewport-bottom", `${below}px`);
      this._root.classList.toggle("is-short", viewport.height < 500);
    }

    // Scrolls the log (never the host page) so the new question and its answer start in view.
    _reveal(element) {
      const smooth = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      this._log.scrollTo({ top: element.offsetTop - 8, behavior: smooth ? "smooth" : "auto" });
    }

    _unavailableCard(message) {
      return el(
        "div",
        { class: "simqa-turn simqa-turn--bot simqa-error" },
        el("p", { class: "simqa-lead" }, message),
        el("p", {}, `${ELSEWHERE}: `, newTabLink(SERVER, "simqa chat"), "."),
      );
    }

    async _ask(question) {
      if (this._busy) return;
      if (!question) {
        this._status.textContent = "Please type a question first.";
        this._question.focus();
        return;
      }
      this._busy = true;
      this._send.setAttribute("aria-disabled", "true");
      this._status.textContent = "Searching the documents\u2026";
      this._question.value = "";
      let card;
      let top = null;
      let failed = false;
      let render = null;
      try {
        render = await loadRenderer();
      } catch {
        card = this._unavailableCard((await serverAnswers()) ? NOT_ALLOWED : UNREACHABLE);
        failed = true;
      }
      if (render) {
        top = render.renderQuestion(question);
        this._log.append(top);
        const pending = render.renderPending();
        this._log.append(pending);
        card = await this._answerCard(render, question);
        failed = card.classList.contains("simqa-error");
        pending.remove();
      }
      if (failed && !this._question.value) this._question.value = question;
      this._status.textContent = "";
      this._log.append(card);
      this._busy = false;
      this._send.removeAttribute("aria-disabled");
      this._reveal(top || card);
    }

    async _answerCard(render, question) {
      let result;
      try {
        result = await render.askQuestion(serverUrl("api/ask"), question);
      } catch {
        return render.renderError();
      }
      if (result.ok) {
        let documents;
        if (result.answer.status === "not_found") {
          this._documents = this._documents || (await fetchDocuments());
          documents = this._documents;
        }
        return render.renderAnswer(result.answer, { baseUrl: SERVER, documents, newTab: true });
      }
      if (result.code === "network_error") {
        const card = render.renderError((await serverAnswers()) ? NOT_ALLOWED : UNREACHABLE);
        card.append(render.h("p", {}, `${ELSEWHERE}: `, newTabLink(SERVER, "simqa chat"), "."));
        return card;
      }
      return render.renderError(result.message);
    }
  }

  // The script tag's data-* options go to every <simqa-chat> that does not set them itself;
  // with no <simqa-chat> on the page, one floating chat is added to the body.
  function start() {
    if (customElements.get("simqa-chat")) return; // two copies waited for DOMContentLoaded
    const options = {};
    for (const [data, attribute] of SCRIPT_OPTIONS) {
      const value = script ? script.dataset[data] : undefined;
      if (value) options[attribute] = value;
    }
    let elements = Array.from(document.querySelectorAll("simqa-chat"));
    if (elements.length === 0) {
      const floating = document.createElement("simqa-chat");
      document.body.append(floating);
      elements = [floating];
    }
    for (const element of elements) {
      for (const [name, value] of Object.entries(options)) {
        if (!element.hasAttribute(name)) element.setAttribute(name, value);
      }
    }
    customElements.define("simqa-chat", SimqaChat);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start, { once: true });
  } else {
    start();
  }
})();
