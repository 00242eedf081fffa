// Source viewer: highlights the span #q=<start>-<end> (code-point offsets into the display text).
const container = document.getElementById("document-text");
const status = document.getElementById("highlight-status");
const reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)");

function codePointLength(text) {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

// Python offsets count code points; DOM offsets count UTF-16 units. Map one to the other.
function toUnits(text, codePoint) {
  let units = 0;
  let seen = 0;
  for (const char of text) {
    if (seen === codePoint) break;
    units += char.length;
    seen += 1;
  }
  return units;
}

// The HTML parser may have changed the text (it turns \r into \n); if so, reload it exactly.
async function ensureExactText() {
  const expected = Number(container.dataset.length);
  if (codePointLength(container.textContent) === expected) return;
  try {
    const response = await fetch(container.dataset.api, { credentials: "omit" });
    const body = await response.json();
    if (typeof body.text === "string") container.textContent = body.text;
  } catch {
    // keep the server-rendered text
  }
}

function clearHighlight() {
  for (const mark of container.querySelectorAll("mark")) {
    mark.replaceWith(...mark.childNodes);
  }
  container.normalize();
}

// Wraps [startUnit, endUnit) of the container's text in <mark> elements, one per text node.
function highlight(startUnit, endUnit) {
  const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
  const pieces = [];
  let offset = 0;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const nodeStart = offset;
    const nodeEnd = offset + node.data.length;
    offset = nodeEnd;
    if (nodeEnd <= startUnit || nodeStart >= endUnit) continue;
    pieces.push([node, Math.max(startUnit, nodeStart) - nodeStart, Math.min(endUnit, nodeEnd) - nodeStart]);
  }
  const marks = [];
  for (const [node, from, to] of pieces) {
    const range = document.createRange();
    range.setStart(node, from);
    range.setEnd(node, to);
    const mark = document.createElement("mark");
    mark.className = "quote-highlight";
    range.surroundContents(mark);
    marks.push(mark);
  }
  return marks;
}

function parseHash() {
  const match = /^#q=(\d+)-(\d+)$/.exec(window.location.hash);
  return match ? [Number(match[1]), Number(match[2])] : null;
}

function apply() {
  clearHighlight();
  const span = parseHash();
  if (!span) {
    status.textContent = "";
    return;
  }
  const [start, end] = span;
  const text = container.textContent;
  const length = codePointLength(text);
  if (!(start < end && end <= length)) {
    status.textContent = "The quoted passage could not be found in this copy of the document.";
    return;
  }
  const marks = highlight(toUnits(text, start), toUnits(text, end));
  if (marks.length === 0) return;
  marks[0].id = "quote";
  marks[0].tabIndex = -1;
  status.textContent = "The quoted passage is highlighted.";
  marks[0].scrollIntoView({ block: "center", behavior: reduceMotion.matches ? "auto" : "smooth" });
  marks[0].focus({ preventScroll: true });
}

await ensureExactText();
apply();
window.addEventListener("hashchange", apply);
