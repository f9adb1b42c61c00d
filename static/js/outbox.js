// Offline outbox: an entry written with no connection is kept on this phone, for this user only,
// and sent once the connection is back. A client-made id makes a second send harmless.
(function () {
  "use strict";
  const body = document.body;
  const userKey = body.dataset.outboxUser;
  if (!userKey) return;
  const storeKey = "fv-outbox:" + userKey;
  let flushing = false;

  function load() {
    try { return JSON.parse(window.localStorage.getItem(storeKey) || "[]"); } catch (e) { return []; }
  }
  function save(drafts) {
    if (drafts.length) window.localStorage.setItem(storeKey, JSON.stringify(drafts));
    else window.localStorage.removeItem(storeKey);
  }
  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }
  function showStatus() {
    const box = document.querySelector("[data-outbox-status]");
    if (!box) return;
    const waiting = load().length;
    box.hidden = waiting === 0;
    if (waiting) box.textContent = (box.dataset.waitingText || "") + " (" + waiting + ")";
  }

  async function freshToken() {
    const response = await fetch("/my/token", { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok || response.redirected) throw new Error("signed out");
    const data = await response.json();
    body.dataset.csrfToken = data.csrf_token;
    return data.csrf_token;
  }

  async function send(draft, token) {
    return fetch("/my/outbox", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token, Accept: "application/json" },
      body: JSON.stringify({ kind: draft.kind, fields: draft.fields, language: draft.language }),
    });
  }

  async function flush() {
    if (flushing || !navigator.onLine) return;
    flushing = true;
    try {
      for (const draft of load()) {
        let response = await send(draft, body.dataset.csrfToken || "");
        const isJson = (response.headers.get("Content-Type") || "").includes("json");
        if (response.status === 400 && !isJson) {
          // The page's token went stale (an expired form): get a fresh one and try once more.
          response = await send(draft, await freshToken());
        }
        if (response.redirected || response.status === 401) break; // signed out: keep drafts for next time
        if (response.ok) {
          save(load().filter(function (d) { return d.fields.client_id !== draft.fields.client_id; }));
        } else {
          break;
        }
      }
    } catch (e) {
      // Still offline or signed out: the drafts stay on the phone and we try again later.
    } finally {
      flushing = false;
      showStatus();
    }
  }

  function keepOffline(form, notice) {
    const fields = {};
    new FormData(form).forEach(function (value, name) {
      if (name === "csrf_token" || typeof value !== "string") return;
      if (name === "caption") return;
      fields[name] = value;
    });
    const drafts = load().filter(function (d) { return d.fields.client_id !== fields.client_id; });
    drafts.push({ kind: form.dataset.kind, fields: fields, language: document.documentElement.lang, saved_at: Date.now() });
    save(drafts);
    const message = document.querySelector("[data-offline-message]");
    if (message) {
      message.textContent = notice || form.dataset.savedOffline;
      message.hidden = false;
      message.focus && message.setAttribute("tabindex", "-1");
      message.focus();
    }
    form.reset();
    form.querySelector("input[name=client_id]").value = newId();
  }

  function enhanceForm(form) {
    const idField = form.querySelector("input[name=client_id]");
    if (idField && !idField.value) idField.value = newId();
    form.addEventListener("submit", async function (event) {
      const photo = form.querySelector("input[type=file]");
      const hasPhoto = photo && photo.files && photo.files.length > 0;
      if (hasPhoto && navigator.onLine) return; // online with a photo: a normal submit
      event.preventDefault();
      // Photos are never kept on the phone: offline, the words are kept and the photo is left out.
      const offlineNotice = hasPhoto ? form.dataset.savedOfflineNoPhoto : form.dataset.savedOffline;
      if (!navigator.onLine) { keepOffline(form, offlineNotice); return; }
      try {
        const response = await fetch(form.action || window.location.href, {
          method: "POST", body: new FormData(form), credentials: "same-origin",
        });
        if (response.redirected && new URL(response.url).pathname === "/signin") {
          // Signed out meanwhile (the phone was left too long): keep the words for after signing in.
          keepOffline(form, form.dataset.savedSignedOut);
          return;
        }
        if (response.redirected && response.ok) { window.location.assign(response.url); return; }
        form.submit(); // show the page's own messages (for example a question left out)
      } catch (e) {
        keepOffline(form, offlineNotice);
      }
    });
  }

  document.querySelectorAll("form[data-offline-form]").forEach(enhanceForm);
  window.addEventListener("online", flush);
  showStatus();
  flush();
})();
