// The picture-led way: one question a screen, each read aloud when it opens (the browser's own speech, in
// the page's language, and the worker's words in theirs), a button to hear it again, and the words of a
// picture said when it is tapped.
// Nothing moves by itself and nothing times out: a screen changes only on Next or Back.
(function () {
  "use strict";
  const lang = document.documentElement.lang || "en";
  const canSpeak = "speechSynthesis" in window && typeof SpeechSynthesisUtterance !== "undefined";

  function voiceFor(language) {
    const voices = window.speechSynthesis.getVoices();
    const base = language.toLowerCase().split("-")[0];
    return voices.find(function (v) { return v.lang.toLowerCase() === language.toLowerCase(); })
      || voices.find(function (v) { return v.lang.toLowerCase().split("-")[0] === base; })
      || null;
  }
  function base(code) { return code.toLowerCase().split("-")[0]; }
  // Say runs of words, each [{lang, text}] in its own language: the worker's English on an Arabic page is
  // said with an English voice, not an Arabic one. A plain string is in the page's language.
  function say(words) {
    const parts = (typeof words === "string" ? [{ lang: lang, text: words }] : words).filter(function (part) { return part.text.trim(); });
    if (!canSpeak || !parts.length) return;
    window.speechSynthesis.cancel();
    parts.forEach(function (part) {
      const utterance = new SpeechSynthesisUtterance(part.text);
      utterance.lang = part.lang;
      const voice = voiceFor(part.lang);
      if (voice) utterance.voice = voice;
      utterance.rate = 0.85;
      // A browser may refuse to speak before the first touch or key on a page: the words are then said
      // at that first touch, unless it chose a picture (which says its own word).
      utterance.onerror = function (event) { if (event.error === "not-allowed") waiting = parts; };
      window.speechSynthesis.speak(utterance);
    });
  }
  let waiting = null;
  function sayWaiting(event) {
    const parts = waiting;
    waiting = null;
    if (parts && !(event.target.closest && event.target.closest("input, label, button, a"))) say(parts);
  }
  document.addEventListener("pointerdown", sayWaiting);
  document.addEventListener("keydown", sayWaiting);
  // The words of these elements as runs of one language each (each text's nearest lang attribute).
  function wordsOf(elements) {
    const found = [];
    Array.from(elements).forEach(function (element) {
      const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
      let node;
      let first = true;
      while ((node = walker.nextNode())) {
        const text = node.nodeValue.replace(/\s+/g, " ").trim();
        // An emoji beside the words is a picture, not words to say ("cloud with rain").
        if (!text || node.parentElement.closest("[aria-hidden=true]")) continue;
        const owner = node.parentElement.closest("[lang]");
        const language = (owner && owner.getAttribute("lang")) || lang;
        const last = found[found.length - 1];
        if (last && base(last.lang) === base(language)) last.text += (first ? ". " : " ") + text;
        else found.push({ lang: language, text: text });
        first = false;
      }
    });
    return found;
  }

  // Tiles on the picture-led home: the speaker button says the tile's words.
  document.querySelectorAll("[data-say-this]").forEach(function (button) {
    if (!canSpeak) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      const target = document.getElementById(button.dataset.sayThis);
      if (target) say(target.textContent.replace(/\s+/g, " ").trim());
    });
  });

  // A page with the question outside a step (the list of worries).
  const scope = document.querySelector("[data-steps]");
  if (!scope) {
    const lone = document.querySelectorAll("main [data-say]");
    document.querySelectorAll("[data-say-again]").forEach(function (button) {
      if (!canSpeak) return;
      button.hidden = false;
      button.addEventListener("click", function () { say(wordsOf(lone)); });
    });
    if (lone.length) say(wordsOf(lone));
    return;
  }

  const steps = Array.from(scope.querySelectorAll(".step"));
  let current = 0;
  function show(index, speak) {
    current = index;
    steps.forEach(function (step, i) { step.hidden = i !== index; });
    const step = steps[index];
    const heading = step.querySelector("[tabindex='-1']");
    // A new screen starts at its top, as a new page would.
    if (heading && speak !== false) { heading.focus({ preventScroll: true }); window.scrollTo(0, 0); }
    if (speak !== false) say(wordsOf(step.querySelectorAll("[data-say]")));
  }
  steps.forEach(function (step, i) {
    step.querySelectorAll("[data-next]").forEach(function (b) {
      b.hidden = false;
      b.addEventListener("click", function () { show(Math.min(i + 1, steps.length - 1)); });
    });
    step.querySelectorAll("[data-back]").forEach(function (b) {
      if (i === 0) return;
      b.hidden = false;
      b.addEventListener("click", function () { show(i - 1); });
    });
    step.querySelectorAll("[data-say-again]").forEach(function (b) {
      if (!canSpeak) return;
      b.hidden = false;
      b.addEventListener("click", function () { say(wordsOf(step.querySelectorAll("[data-say]"))); });
    });
    // A tapped picture says its words, so a child who can't read hears what they chose.
    step.querySelectorAll("input").forEach(function (input) {
      input.addEventListener("change", function () {
        const label = scope.querySelector("label[for='" + input.id + "']");
        if (label && (input.checked || input.type === "radio")) say(label.textContent.replace(/\s+/g, " ").trim());
      });
    });
  });
  // Enter on a picture before the last screen goes on to the next screen, as Next does, rather than
  // sending half the answers (a browser sends a form on Enter in any of its fields).
  scope.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !event.target.matches("input[type=radio], input[type=checkbox]")) return;
    if (current < steps.length - 1) { event.preventDefault(); show(current + 1); }
  });
  // With no connection the answers stay on the screen, and the child is told (and hears) why nothing went.
  scope.addEventListener("submit", function (event) {
    if (navigator.onLine) return;
    event.preventDefault();
    const notice = steps[current].querySelector("[data-picture-offline]");
    if (notice) { notice.hidden = false; say(notice.textContent.trim()); }
  });
  // After a refused send, open the screen with the mistake; else the first.
  const withError = document.querySelector(".flash-error");
  show(0, !withError);
})();
