// The chat page: sends questions to the API and appends answer cards to the conversation log.
import { askQuestion, renderAnswer, renderError, renderPending, renderQuestion } from "./simqa-render.js";

const form = document.getElementById("ask-form");
const input = document.getElementById("question");
const button = document.getElementById("ask-button");
const conversation = document.getElementById("conversation");
const status = document.getElementById("status");
const apiUrl = form.dataset.api;
const maxChars = Number(form.dataset.max) || 500;
const reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)");

function readDocuments() {
  const island = document.getElementById("simqa-documents");
  try {
    return island ? JSON.parse(island.textContent) : [];
  } catch {
    return [];
  }
}
const documents = readDocuments();
let busy = false;

function reveal(element) {
  element.scrollIntoView({ block: "start", behavior: reduceMotion.matches ? "auto" : "smooth" });
}

async function ask(question) {
  if (busy) return;
  if (!question) {
    status.textContent = "Please type a question first.";
    input.focus();
    return;
  }
  if (question.length > maxChars) {
    status.textContent = `Your question is ${question.length} characters long; the limit is ${maxChars}. Please shorten it.`;
    input.focus();
    return;
  }
  busy = true;
  button.disabled = true;
  status.textContent = "Searching the documents\u2026";
  conversation.append(renderQuestion(question));
  const pending = renderPending();
  conversation.append(pending);
  input.value = "";
  let card;
  try {
    const result = await askQuestion(apiUrl, question);
    card = result.ok ? renderAnswer(result.answer, { documents }) : renderError(result.message);
    // A failed question goes back in the box so it can be sent again.
    if (!result.ok && !input.value) input.value = question;
  } catch {
    card = renderError();
    if (!input.value) input.value = question;
  }
  status.textContent = "";
  pending.replaceWith(card);
  busy = false;
  button.disabled = false;
  reveal(card);
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  ask(input.value.trim());
});

input.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    form.requestSubmit();
  }
});

input.addEventListener("input", () => {
  if (status.textContent && !busy) status.textContent = "";
});

for (const example of document.querySelectorAll("button.example")) {
  example.addEventListener("click", () => {
    input.value = example.dataset.question || example.textContent;
    form.requestSubmit();
    input.focus();
  });
}
