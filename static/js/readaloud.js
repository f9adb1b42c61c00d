// "Read it to me": the browser's own speech, each block in its own language (its nearest lang attribute),
// so a Polish translation is read with a Polish voice and the English beside it with an English one.
// Where the phone has no voice for a block's language, that block is not read with a wrong voice:
// the note beside the button says which language has none. Hidden where speech can't work at all.
(function () {
  "use strict";
  const button = document.querySelector("[data-read-aloud-button]");
  const region = document.querySelector("[data-read-aloud]");
  if (!button || !region || !("speechSynthesis" in window) || typeof SpeechSynthesisUtterance === "undefined") return;
  const pageLang = document.documentElement.lang || "en";
  const label = button.querySelector("[data-label]");
  const note = document.querySelector("[data-read-aloud-note]");
  let speaking = false;

  function voiceFor(language) {
    const voices = window.speechSynthesis.getVoices();
    const wanted = language.toLowerCase();
    const base = wanted.split("-")[0];
    return voices.find(function (v) { return v.lang.toLowerCase().replace("_", "-") === wanted; })
      || voices.find(function (v) { return v.lang.toLowerCase().replace("_", "-").split("-")[0] === base; })
      || null;
  }
  function setSpeaking(value) {
    speaking = value;
    label.textContent = value ? button.dataset.labelStop : button.dataset.labelStart;
    button.setAttribute("aria-pressed", value ? "true" : "false");
  }
  // Emoji, with their skin tones, joiners and presentation marks: speech would say their names ("party popper").
  const EMOJI = /[\p{Extended_Pictographic}\u{1F3FB}-\u{1F3FF}\u{1F1E6}-\u{1F1FF}\u{E0020}-\u{E007F}\uFE0F\u200D\u20E3]/gu;

  function shown(element) {
    return element && !element.closest("[aria-hidden=true]") && element.getClientRects().length > 0;
  }
  // The words in reading order, as runs of one language each: [{lang, text}]. A picture marked
  // data-read-alt (Words and Pictures) is read by its name, on its own, just before its words.
  function runs() {
    const walker = document.createTreeWalker(region, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
    const found = [];
    let node;
    let apart = false;
    while ((node = walker.nextNode())) {
      const picture = node.nodeType === Node.ELEMENT_NODE;
      if (picture && !node.hasAttribute("data-read-alt")) continue;
      const element = picture ? node : node.parentElement;
      const value = picture ? node.getAttribute("alt") || "" : node.nodeValue;
      if (!value.trim() || !shown(element)) continue;
      const owner = element.closest("[lang]");
      const lang = (owner && owner.getAttribute("lang")) || pageLang;
      const words = value.replace(EMOJI, "").replace(/\s+/g, " ").trim();
      if (!words) continue;
      const last = found[found.length - 1];
      // English inside an English (UK) page is one reading, in the page's own variety.
      if (last && !picture && !apart && base(last.lang) === base(lang)) last.text += " " + words;
      else found.push({ lang: lang, text: words });
      apart = picture;
    }
    return found;
  }
  function base(code) { return code.toLowerCase().split("-")[0]; }
  function languageName(code) {
    try { return new Intl.DisplayNames([pageLang], { type: "language" }).of(code) || code; } catch (e) { return code; }
  }
  // Say (translated, in the note beside the button) which languages this phone has no voice for.
  function tellMissing(missing) {
    if (!note) return;
    note.textContent = missing.map(function (code) {
      return (button.dataset.noVoice || "").replace("{language}", languageName(code));
    }).join(" ");
    note.hidden = missing.length === 0;
  }
  function missingLanguages(parts) {
    const seen = {};
    parts.forEach(function (part) { if (!voiceFor(part.lang)) seen[part.lang] = true; });
    return Object.keys(seen);
  }
  function check() {
    // Before the phone has listed its voices, nothing is known to be missing.
    if (window.speechSynthesis.getVoices().length) tellMissing(missingLanguages(runs()));
  }
  button.hidden = false;
  check();
  if ("onvoiceschanged" in window.speechSynthesis) window.speechSynthesis.addEventListener("voiceschanged", check);

  button.addEventListener("click", function () {
    if (speaking) { window.speechSynthesis.cancel(); setSpeaking(false); return; }
    const parts = runs();
    const known = window.speechSynthesis.getVoices().length > 0;
    const readable = known ? parts.filter(function (part) { return voiceFor(part.lang); }) : parts;
    if (known) tellMissing(missingLanguages(parts));
    if (!readable.length) return;
    window.speechSynthesis.cancel();
    readable.forEach(function (part, i) {
      const utterance = new SpeechSynthesisUtterance(part.text);
      utterance.lang = part.lang;
      const voice = voiceFor(part.lang);
      if (voice) utterance.voice = voice;
      utterance.rate = 0.9;
      if (i === readable.length - 1) utterance.onend = function () { setSpeaking(false); };
      utterance.onerror = function () { setSpeaking(false); };
      window.speechSynthesis.speak(utterance);
    });
    setSpeaking(true);
  });
})();
