// The /widget page: keeps the live preview and the snippet in step with the options.
const form = document.getElementById("widget-form");
const preview = document.getElementById("preview");
const snippet = document.getElementById("snippet");
const copyButton = document.getElementById("copy-snippet");
const copyStatus = document.getElementById("copy-status");
const accentNote = document.getElementById("accent-note");
const positionField = document.getElementById("position-field");
const widgetUrl = form.dataset.widgetUrl;
const embedUrl = form.dataset.embedUrl;

function escapeAttribute(value) {
  return value
    .replace(/&/g, "&amp;")
    .replace(/"/g, "&quot;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}

function read() {
  const data = new FormData(form);
  return {
    title: String(data.get("title") || "").trim(),
    greeting: String(data.get("greeting") || "").trim(),
    accent: String(data.get("accent") || "").toLowerCase(),
    style: String(data.get("style") || "floating"),
    position: String(data.get("position") || "right"),
  };
}

function attributes(pairs) {
  return pairs
    .filter(([, value]) => value)
    .map(([name, value]) => ` ${name}="${escapeAttribute(value)}"`)
    .join("");
}

function snippetFor(options) {
  if (options.style === "iframe") {
    const url = new URL(embedUrl);
    for (const name of ["title", "greeting", "accent"]) {
      if (options[name]) url.searchParams.set(name, options[name]);
    }
    const title = options.title || "Ask about SIM";
    return `<iframe src="${escapeAttribute(url.href)}" title="${escapeAttribute(title)}" width="400" height="600" loading="lazy"></iframe>`;
  }
  if (options.style === "inline") {
    const element = attributes([
      ["chat-title", options.title],
      ["greeting", options.greeting],
      ["accent", options.accent],
    ]);
    return `<simqa-chat inline${element}></simqa-chat>\n<script src="${escapeAttribute(widgetUrl)}" defer></script>`;
  }
  const data = attributes([
    ["data-title", options.title],
    ["data-greeting", options.greeting],
    ["data-accent", options.accent],
    ["data-position", options.position],
  ]);
  return `<script src="${escapeAttribute(widgetUrl)}" defer${data}></script>`;
}

function setAttribute(element, name, value) {
  if (value) element.setAttribute(name, value);
  else element.removeAttribute(name);
}

async function describeAccent(accent) {
  const SimqaChat = await customElements.whenDefined("simqa-chat");
  const readable = SimqaChat.readableText(accent);
  accentNote.textContent = readable
    ? `Text on this colour will be ${readable.color === "#ffffff" ? "white" : "black"}: ` +
      `contrast ${readable.contrast.toFixed(1)} to 1 (at least 4.5 to 1 is needed).`
    : "";
}

function update() {
  const options = read();
  setAttribute(preview, "chat-title", options.title);
  setAttribute(preview, "greeting", options.greeting);
  setAttribute(preview, "accent", options.accent);
  setAttribute(preview, "position", options.position);
  preview.toggleAttribute("inline", options.style !== "floating");
  positionField.disabled = options.style !== "floating";
  snippet.value = snippetFor(options);
  copyStatus.textContent = "";
  describeAccent(options.accent);
}

async function copy() {
  snippet.focus();
  snippet.select();
  try {
    await navigator.clipboard.writeText(snippet.value);
    copyStatus.textContent = "Snippet copied. Paste it into your page's HTML.";
  } catch {
    copyStatus.textContent = "Copying was blocked: the snippet is selected, press Ctrl+C (or \u2318C) to copy it.";
  }
}

form.addEventListener("input", update);
form.addEventListener("change", update);
form.addEventListener("submit", (event) => event.preventDefault());
copyButton.addEventListener("click", copy);
update();
