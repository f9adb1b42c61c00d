// "Read it to me": the browser's own speech, in the page's language. Hidden where it can't work.
(function () {
  "use strict";
  const button = document.querySelector("[data-read-aloud-button]");
  const region = document.querySelector("[data-read-aloud]");
  if (!button || !region || !("speechSynthesis" in window) || typeof SpeechSynthesisUtterance === "undefined") return;
  const lang = document.documentElement.lang || "en";
  const label = button.querySelector("[data-label]");
  let speaking = false;

  function voiceFor(language) {
    const voices = window.speechSynthesis.getVoices();
    const base = language.toLowerCase().split("-")[0];
    return voices.find(function (v) { return v.lang.toLowerCase() === language.toLowerCase(); })
      || voices.find(function (v) { return v.lang.toLowerCase().split("-")[0] === base; })
      || null;
  }
  function setSpeaking(value) {
    speaking = value;
    label.textContent = value ? button.dataset.labelStop : button.dataset.labelStart;
    button.setAttribute("aria-pressed", value ? "true" : "false");
  }
  // Emoji, with their skin tones, joiners and presentation marks: speech would say their names ("party popper").
  const EMOJI = /[\p{Extended_Pictographic}\u{1F3FB}-\u{1F3FF}\u{1F1E6}-\u{1F1FF}\u{E0020}-\u{E007F}\uFE0F\u200D\u20E3]/gu;

  // Only the words: what is hidden from screen readers (decorative icons) is not read either.
  function wordsOf(element) {
    const decorative = Array.from(element.querySelectorAll("[aria-hidden=true]"));
    const before = decorative.map(function (node) { return node.style.display; });
    decorative.forEach(function (node) { node.style.display = "none"; });
    const text = element.innerText;
    decorative.forEach(function (node, i) { node.style.display = before[i]; });
    return text.replace(EMOJI, "").replace(/[ \t]{2,}/g, " ").replace(/^[ \t]+|[ \t]+$/gm, "");
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    if (speaking) { window.speechSynthesis.cancel(); setSpeaking(false); return; }
    const utterance = new SpeechSynthesisUtterance(wordsOf(region));
    utterance.lang = lang;
    const voice = voiceFor(lang);
    if (voice) utterance.voice = voice;
    utterance.rate = 0.9;
    utterance.onend = function () { setSpeaking(false); };
    utterance.onerror = function () { setSpeaking(false); };
    window.speechSynthesis.cancel();
    window.speechSynthesis.speak(utterance);
    setSpeaking(true);
  });
})();
