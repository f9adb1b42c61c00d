// Family Voice: small enhancements over server-rendered pages. Everything works without them.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Quick exit: leave for a neutral site, replacing this page in the history so Back doesn't return.
  function quickExit(event) {
    if (event) event.preventDefault();
    const url = document.body.dataset.quickExitUrl || "https://www.bbc.co.uk/weather";
    document.body.hidden = true;
    // Signed in: end the session on the way out, so that Back can only reach the sign-in page.
    const token = document.body.dataset.csrfToken;
    if (token && navigator.sendBeacon) {
      const data = new FormData();
      data.append("csrf_token", token);
      navigator.sendBeacon("/quick-exit", data);
    }
    window.location.replace(url);
  }

  function setUpQuickExit() {
    if (!document.body.hasAttribute("data-quick-exit")) return;
    const button = document.getElementById("quick-exit");
    if (button) button.addEventListener("click", quickExit);
    let lastEscape = 0;
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      const now = Date.now();
      if (now - lastEscape < 1000) quickExit(event);
      lastEscape = now;
    });
  }

  // The language list changes the page as soon as a language is picked.
  function setUpLanguageChooser() {
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.requestSubmit(); });
    });
  }

  // Signing out removes anything this site kept on the phone (the server also sends Clear-Site-Data).
  function setUpSignOut() {
    document.querySelectorAll("form[data-sign-out]").forEach(function (form) {
      form.addEventListener("submit", function () {
        try { window.localStorage.clear(); window.sessionStorage.clear(); } catch (e) { /* storage may be blocked */ }
        if (window.caches) caches.keys().then(function (keys) { keys.forEach(function (key) { caches.delete(key); }); });
      });
    });
  }

  // A safety plan kept for offline reading belongs to one user: it is stored only when both the
  // worker and the young person chose it, and removed as soon as another user (or nobody) is
  // signed in on this phone.
  const PRIVATE_PREFIX = "fv-private-";
  function tidyPrivateCaches() {
    // The offline page is shown without asking the server, so it cannot tell who is signed in:
    // it leaves the kept copy alone, for the young person to open next.
    if (!window.caches || document.body.hasAttribute("data-offline-page")) return Promise.resolve();
    const mine = document.body.dataset.outboxUser ? PRIVATE_PREFIX + document.body.dataset.outboxUser : null;
    const keep = document.querySelector("[data-keep-offline]");
    return caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (key) {
        if (!key.startsWith(PRIVATE_PREFIX)) return false;
        if (key !== mine) return true;
        // Every page says whether it may still be kept: the worker or the young person may have changed their mind.
        return !document.body.hasAttribute("data-keep-safety-plan");
      }).map(function (key) { return caches.delete(key); }));
    }).then(function () {
      if (keep && mine) {
        return caches.open(mine).then(function (cache) { return cache.add(window.location.pathname); });
      }
    }).catch(function () { /* storage may be unavailable */ });
  }

  function registerServiceWorker() {
    // Signing out has just emptied this phone (Clear-Site-Data): leave it empty until the next page.
    if (new URLSearchParams(window.location.search).has("signed_out")) return;
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () { /* the site works without it */ });
    }
  }

  function start() {
    setUpQuickExit();
    setUpLanguageChooser();
    setUpSignOut();
    registerServiceWorker();
    tidyPrivateCaches();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
