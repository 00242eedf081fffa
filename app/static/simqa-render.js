// Answer cards and the API client, shared by the chat page and the embeddable widget.
// Questions and corpus text are only ever inserted as text nodes, never parsed as HTML.

export const DEFAULT_ERROR = "Sorry, something went wrong. Please try again in a minute.";
export const NETWORK_ERROR = "I couldn't reach the server. Check your connection and try again.";

const ROLE_LABELS = {
  answer: "Answer",
  support: "Supporting quote",
  supportOther: "Supporting quote from another publisher",
  related: "Related passage, not an answer to your question",
};

// h("p", {class: "x"}, "text", child) builds an element; strings become text nodes.
export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return element;
}

// Only http(s) links and links to this server; anything else (javascript:, data:) is dropped.
export function safeHref(url, baseUrl) {
  if (typeof url !== "string" || url === "") return null;
  try {
    const resolved = new URL(url, baseUrl || document.baseURI);
    return resolved.protocol === "https:" || resolved.protocol === "http:" ? resolved.href : null;
  } catch {
    return null;
  }
}

// "116 123" -> "tel:116123"; a contact that is not just a phone number gets no tel: link.
export function telHref(contact) {
  if (typeof contact !== "string" || !/^\+?[0-9][0-9 ()-]{1,20}$/.test(contact.trim())) return null;
  return "tel:" + contact.replace(/[^0-9+]/g, "");
}

// A signpost's own link (tel:, sms: or a web page) if it has one, else a tel: link from its contact.
export function signpostHref(sign, baseUrl) {
  const href = typeof sign.href === "string" ? sign.href.trim() : "";
  if (/^(tel|sms):\+?[0-9]{2,15}(\?&?body=[A-Za-z0-9%+ ]{1,40})?$/.test(href)) return href;
  if (href) return safeHref(href, baseUrl);
  return telHref(sign.contact);
}

export function renderQuestion(question) {
  return h(
    "div",
    { class: "simqa-turn simqa-turn--user" },
    h("p", { class: "simqa-visually-hidden" }, "You asked:"),
    h("p", { class: "simqa-question" }, question),
  );
}

export function renderError(message) {
  return h(
    "div",
    { class: "simqa-turn simqa-turn--bot simqa-error" },
    h("p", { class: "simqa-lead" }, message || DEFAULT_ERROR),
  );
}

export function renderPending(text = "Searching the documents\u2026") {
  return h("div", { class: "simqa-turn simqa-turn--bot simqa-pending", "aria-hidden": "true" }, text);
}

function quoteRole(quote, index, status) {
  if (quote.role === "answer" || quote.role === "support" || quote.role === "related") {
    return quote.role;
  }
  if (status !== "answered") return "related";
  return index === 0 ? "answer" : "support";
}

function link(href, className, label, hiddenSuffix, newTab) {
  return h(
    "a",
    {
      class: className,
      href,
      target: newTab ? "_blank" : null,
      rel: newTab ? "noopener noreferrer" : null,
    },
    label,
    hiddenSuffix ? h("span", { class: "simqa-visually-hidden" }, hiddenSuffix) : null,
  );
}

// A sentence the original broke across lines (a page break, a hard wrap) reads as one line
// here; list items, table rows and paragraphs keep their breaks. The text is unchanged.
function joinBrokenLines(text) {
  return String(text).replace(/([A-Za-z,;])[ \t]*\n\s*(?![a-z]\))(?=[a-z])/g, "$1 ");
}

export function renderQuote(quote, { role, label, baseUrl, newTab = true } = {}) {
  const viewer = safeHref(quote.viewer_url, baseUrl);
  const original = safeHref(quote.url, baseUrl);
  const tabNote = newTab ? " (opens in a new tab)" : "";
  const when = quote.date ? h("span", { class: "simqa-date" }, quote.date) : null;
  return h(
    "li",
    { class: `simqa-quote simqa-quote--${role}`, "data-source-id": quote.source_id },
    h("p", { class: "simqa-quote-label" }, label),
    h(
      "blockquote",
      { class: "simqa-quote-text", cite: original },
      h("p", {}, joinBrokenLines(quote.text)),
    ),
    h(
      "p",
      { class: "simqa-attribution" },
      h("span", { class: "simqa-visually-hidden" }, "Said by "),
      h("cite", { class: "simqa-publisher" }, quote.publisher || quote.title || "Unknown publisher"),
      when ? ", " : null,
      when,
    ),
    quote.perspective ? h("p", { class: "simqa-perspective" }, quote.perspective) : null,
    quote.title && quote.publisher ? h("p", { class: "simqa-source-title" }, "From: ", quote.title) : null,
    h(
      "p",
      { class: "simqa-links" },
      viewer ? link(viewer, "simqa-viewer-link", "See it in the document", tabNote, newTab) : null,
      original
        ? link(original, "simqa-original-link", "Original", newTab ? " (publisher's page, opens in a new tab)" : " (publisher's page)", newTab)
        : null,
    ),
  );
}

export function renderSignposts(signposting, baseUrl) {
  return h(
    "ul",
    { class: "simqa-signposts" },
    signposting.map((sign) => {
      const href = signpostHref(sign, baseUrl);
      const contact = href ? h("a", { href }, sign.contact) : sign.contact;
      return h(
        "li",
        { class: "simqa-signpost" },
        h("strong", { class: "simqa-signpost-name" }, sign.name),
        " ",
        h("span", { class: "simqa-signpost-contact" }, contact),
        sign.detail ? h("span", { class: "simqa-signpost-detail" }, sign.detail) : null,
      );
    }),
  );
}

function renderCoverage(documents, baseUrl, newTab) {
  if (!documents || documents.length === 0) return null;
  return h(
    "div",
    { class: "simqa-coverage" },
    h("p", {}, "Read the documents:"),
    h(
      "ul",
      {},
      documents.map((doc) => {
        const href = safeHref(doc.viewer_url, baseUrl);
        const title = href ? link(href, "simqa-doc-link", doc.title, newTab ? " (opens in a new tab)" : "", newTab) : doc.title;
        const meta = [doc.publisher, doc.date].filter(Boolean).join(", ");
        return h("li", {}, title, meta ? ` \u2014 ${meta}` : null);
      }),
    ),
  );
}

// One answer from POST /api/ask as a card. options: baseUrl (for links when embedded on
// another site), documents (from GET /api/sources, listed for not_found), newTab.
export function renderAnswer(answer, { baseUrl, documents, newTab = true } = {}) {
  const status = answer.status;
  const quotes = Array.isArray(answer.quotes) ? answer.quotes : [];
  const signposting = Array.isArray(answer.signposting) ? answer.signposting : [];
  const card = h("article", {
    class: `simqa-turn simqa-turn--bot simqa-answer simqa-answer--${status}`,
    "data-status": status,
  });

  if (status === "crisis" || signposting.length > 0) {
    card.append(
      h(
        "section",
        { class: "simqa-help", "aria-label": "Help you can get now" },
        h("p", { class: "simqa-lead" }, answer.message),
        signposting.length ? renderSignposts(signposting, baseUrl) : null,
      ),
    );
  } else {
    card.append(h("p", { class: "simqa-lead" }, answer.message));
  }

  if (status === "not_found") {
    const coverage = renderCoverage(documents, baseUrl, newTab);
    if (coverage) card.append(coverage);
    if (quotes.length) card.append(h("p", { class: "simqa-related-note" }, "These passages are related, but they do not answer your question:"));
  }

  if (quotes.length) {
    const answerPublisher = quotes[0].publisher;
    card.append(
      h(
        "ol",
        { class: "simqa-quotes" },
        quotes.map((quote, index) => {
          const role = quoteRole(quote, index, status);
          let label = ROLE_LABELS[role];
          if (role === "support" && quote.publisher && quote.publisher !== answerPublisher) {
            label = ROLE_LABELS.supportOther;
          }
          return renderQuote(quote, { role, label, baseUrl, newTab });
        }),
      ),
    );
  }
  return card;
}

// POST the question; resolves to {ok: true, answer} or {ok: false, status, code, message}.
export async function askQuestion(apiUrl, question, { signal } = {}) {
  let response;
  try {
    response = await fetch(apiUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ question }),
      credentials: "omit",
      cache: "no-store",
      signal,
    });
  } catch (error) {
    if (error && error.name === "AbortError") throw error;
    return { ok: false, status: 0, code: "network_error", message: NETWORK_ERROR };
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (response.ok && body && typeof body.status === "string") return { ok: true, answer: body };
  const error = body && body.error ? body.error : {};
  return {
    ok: false,
    status: response.status,
    code: typeof error.code === "string" ? error.code : "http_error",
    message: typeof error.message === "string" ? error.message : DEFAULT_ERROR,
  };
}
