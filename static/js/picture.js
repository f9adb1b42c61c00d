// The picture-led way: one question a screen, each read aloud when it opens (the browser's own speech, in
// the page's language), a button to hear it again, and the words of a picture said when it is tapped.
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
  function say(text) {
    if (!canSpeak || !text.trim()) return;
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = lang;
    const voice = voiceFor(lang);
    if (voice) utterance.voice = voice;
    utterance.rate = 0.85;
    // A browser may refuse to speak before the first touch or key on a page: the words are then said
    // at that first touch, unless it chose a picture (which says its own word).
    utterance.onerror = function (event) { if (event.error === "not-allowed") waiting = text; };
    window.speechSynthesis.cancel();
    window.speechSynthesis.speak(utterance);
  }
  let waiting = "";
  function sayWaiting(event) {
    const text = waiting;
    waiting = "";
    if (text && !(event.target.closest && event.target.closest("input, label, button, a"))) say(text);
  }
  document.addEventListener("pointerdown", sayWaiting);
  document.addEventListener("keydown", sayWaiting);
  function wordsOf(elements) {
    return Array.from(elements).map(function (el) { return el.textContent.replace(/\s+/g, " ").trim(); }).join(". ");
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
