// Offline outbox: an entry written with no connection is kept on this phone, for this user only,
// and sent once the connection is back. A client-made id makes a second send harmless.
// Online, the form is sent from here too, so that what the server answers is what the page shows.
(function () {
  "use strict";
  const body = document.body;
  const userKey = body.dataset.outboxUser;
  if (!userKey) return;
  const storeKey = "fv-outbox:" + userKey;
  // After a server error or a lost connection: try again in 5 s, then 10 s, 20 s... at most 5 minutes apart.
  const FIRST_RETRY_MS = 5000;
  const LAST_RETRY_MS = 5 * 60 * 1000;
  let flushing = false;
  let failures = 0;
  let retryTimer = null;

  function load() {
    try { return JSON.parse(window.localStorage.getItem(storeKey) || "[]"); } catch (e) { return []; }
  }
  function save(drafts) {
    if (drafts.length) window.localStorage.setItem(storeKey, JSON.stringify(drafts));
    else window.localStorage.removeItem(storeKey);
  }
  function forget(clientId) {
    save(load().filter(function (d) { return d.fields.client_id !== clientId; }));
  }
  function markRefused(clientId, message) {
    save(load().map(function (d) {
      return d.fields.client_id === clientId ? Object.assign({}, d, { refused: message, refused_at: Date.now() }) : d;
    }));
  }
  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }
  function isJson(response) {
    return (response.headers.get("Content-Type") || "").includes("json");
  }
  function signedOut(response) {
    return response.status === 401 || (response.redirected && new URL(response.url).pathname === "/signin");
  }

  function showStatus() {
    const drafts = load();
    const box = document.querySelector("[data-outbox-status]");
    if (box) {
      const waiting = drafts.filter(function (d) { return !d.refused; }).length;
      box.hidden = waiting === 0;
      if (waiting) box.textContent = (box.dataset.waitingText || "") + " (" + waiting + ")";
    }
    showRefused(drafts.filter(function (d) { return d.refused; }));
  }

  // The kind's name as the "My views" tiles show it, for a draft kept before drafts carried it.
  function tileTitle(kind) {
    const tile = document.querySelector('a.tile[href$="/new/' + CSS.escape(kind) + '"]');
    if (!tile) return "";
    const words = tile.cloneNode(true);
    words.querySelectorAll(".tile-icon").forEach(function (icon) { icon.remove(); });
    return words.textContent.trim();
  }

  // Drafts the server would not take stay on the phone, listed with its reason and a way back to fix them.
  function showRefused(refused) {
    const box = document.querySelector("[data-outbox-refused]");
    if (!box) return;
    const list = box.querySelector("ul");
    const lang = document.documentElement.lang;
    list.replaceChildren.apply(list, refused.map(function (draft) {
      const item = document.createElement("li");
      item.className = "card";
      const title = document.createElement("strong");
      title.textContent = draft.title || tileTitle(draft.kind) || draft.kind;
      const when = document.createElement("span");
      when.className = "meta";
      when.textContent = new Date(draft.saved_at).toLocaleString(lang, { dateStyle: "medium", timeStyle: "short" });
      const reason = document.createElement("p");
      reason.className = "error";
      reason.textContent = draft.refused;
      const open = document.createElement("a");
      open.href = "/my/views/new/" + encodeURIComponent(draft.kind) + "#draft=" + encodeURIComponent(draft.fields.client_id);
      open.textContent = box.dataset.openText || "";
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "link-button";
      remove.textContent = box.dataset.deleteText || "";
      remove.addEventListener("click", function () {
        // Only the family member lets a draft go: nothing they wrote is dropped without asking.
        if (!window.confirm(box.dataset.deleteConfirm || "")) return;
        forget(draft.fields.client_id);
        showStatus();
      });
      item.append(title, " ", when, reason, open, " ", remove);
      return item;
    }));
    box.hidden = refused.length === 0;
  }

  class SignedOut extends Error {}

  async function freshToken() {
    const response = await fetch("/my/token", { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok || response.redirected) throw new SignedOut("signed out");
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

  function retryLater() {
    clearTimeout(retryTimer);
    const delay = Math.min(FIRST_RETRY_MS * Math.pow(2, failures), LAST_RETRY_MS);
    failures += 1;
    retryTimer = setTimeout(flush, delay);
  }

  async function flush() {
    if (flushing || !navigator.onLine) return;
    flushing = true;
    clearTimeout(retryTimer);
    let again = false;
    try {
      for (const draft of load()) {
        if (draft.refused) continue; // waits for the family member to fix it; the others still go
        let response = await send(draft, body.dataset.csrfToken || "");
        if (response.status === 400 && !isJson(response)) {
          // The page's token went stale (an expired form): get a fresh one and try once more.
          response = await send(draft, await freshToken());
        }
        if (response.redirected || response.status === 401) break; // signed out: keep drafts for next time
        if (response.ok) {
          forget(draft.fields.client_id);
          failures = 0;
        } else if (response.status >= 400 && response.status < 500 && response.status !== 429 && isJson(response)) {
          const answer = await response.json().catch(function () { return {}; });
          markRefused(draft.fields.client_id, answer.error || String(response.status));
        } else {
          again = true; // the server is struggling: this draft and the ones after it wait
          break;
        }
      }
    } catch (e) {
      // Offline again, the server out of reach, or signed out: the drafts stay on the phone.
      again = !(e instanceof SignedOut) && navigator.onLine;
    } finally {
      flushing = false;
      showStatus();
    }
    if (again) retryLater();
  }

  function formFields(form) {
    const fields = {};
    new FormData(form).forEach(function (value, name) {
      if (name === "csrf_token" || typeof value !== "string") return;
      if (name === "caption") return;
      fields[name] = value;
    });
    return fields;
  }

  function showMessage(text) {
    const message = document.querySelector("[data-offline-message]");
    if (!message) return;
    message.textContent = text;
    message.hidden = false;
    message.setAttribute("tabindex", "-1");
    message.focus();
  }

  function keepOffline(form, notice) {
    const fields = formFields(form);
    const drafts = load().filter(function (d) { return d.fields.client_id !== fields.client_id; });
    drafts.push({
      kind: form.dataset.kind, title: form.dataset.title, fields: fields,
      language: document.documentElement.lang, saved_at: Date.now(),
    });
    save(drafts);
    showMessage(notice || form.dataset.savedOffline);
    form.reset();
    form.querySelector("input[name=client_id]").value = newId();
    showStatus();
  }

  // The server's answer to a form it refused: its own page, with its messages next to the words as typed.
  function showServerPage(page) {
    const main = document.querySelector("main");
    main.replaceChildren.apply(main, Array.from(page.querySelector("main").childNodes).map(function (node) {
      return document.adoptNode(node);
    }));
    document.title = page.title;
    main.querySelectorAll("form[data-offline-form]").forEach(enhanceForm);
    const wrong = main.querySelector("[aria-invalid=true], .has-error input, [role=alert]");
    if (wrong && wrong.matches("input, textarea, select")) wrong.focus();
    else main.focus();
  }

  function readPage(html) {
    return new DOMParser().parseFromString(html, "text/html");
  }

  // A message the server gave on a page that is not the form (for example "not found").
  function pageMessage(page) {
    return Array.from(page.querySelectorAll("main h1, main p"), function (node) { return node.textContent.trim(); })
      .filter(Boolean).slice(0, 2).join(" ");
  }

  async function post(form) {
    return fetch(form.action || window.location.href, { method: "POST", body: new FormData(form), credentials: "same-origin" });
  }

  function restoreDraft(form) {
    const match = /^#draft=(.+)$/.exec(window.location.hash);
    if (!match) return;
    const clientId = decodeURIComponent(match[1]);
    const draft = load().find(function (d) { return d.fields.client_id === clientId && d.kind === form.dataset.kind; });
    if (!draft) return;
    Object.keys(draft.fields).forEach(function (name) {
      const control = form.elements.namedItem(name);
      if (!control) return;
      if (control instanceof HTMLInputElement && control.type === "checkbox") control.checked = Boolean(draft.fields[name]);
      else control.value = draft.fields[name]; // a group of radio buttons takes its value too
    });
    const notice = document.querySelector("[data-draft-refused]");
    if (notice && draft.refused) {
      const intro = document.createElement("p");
      intro.textContent = notice.dataset.intro || "";
      const reason = document.createElement("p");
      reason.textContent = draft.refused;
      notice.replaceChildren(intro, reason);
      notice.hidden = false;
    }
  }

  function enhanceForm(form) {
    const idField = form.querySelector("input[name=client_id]");
    if (idField && !idField.value) idField.value = newId();
    const button = form.querySelector("[type=submit]");
    form.addEventListener("submit", async function (event) {
      const photo = form.querySelector("input[type=file]");
      const hasPhoto = photo && photo.files && photo.files.length > 0;
      if (hasPhoto && navigator.onLine) return; // online with a photo: a normal submit
      event.preventDefault();
      if (form.hasAttribute("aria-busy")) return; // a second tap while the first is on its way
      // Photos are never kept on the phone: offline, the words are kept and the photo is left out.
      const offlineNotice = hasPhoto ? form.dataset.savedOfflineNoPhoto : form.dataset.savedOffline;
      if (!navigator.onLine) { keepOffline(form, offlineNotice); return; }
      form.setAttribute("aria-busy", "true");
      if (button) button.disabled = true;
      const clientId = idField ? idField.value : "";
      try {
        let response = await post(form);
        let page = null;
        if (response.status === 400 && !response.redirected) {
          page = readPage(await response.text());
          if (!page.querySelector("form[data-offline-form]")) {
            // The form's own token went stale: get a fresh one and send once more.
            form.querySelector("input[name=csrf_token]").value = await freshToken();
            response = await post(form);
            page = null;
          }
        }
        if (signedOut(response)) {
          // Signed out meanwhile (the phone was left too long): keep the words for after signing in.
          keepOffline(form, form.dataset.savedSignedOut);
          return;
        }
        if (response.redirected && response.ok) {
          forget(clientId); // a draft that was refused before and has now been sent
          window.location.assign(response.url);
          return;
        }
        if (response.status >= 500 || response.status === 429) {
          keepOffline(form, form.dataset.savedServerError);
          retryLater();
          return;
        }
        page = page || readPage(await response.text());
        if (page.querySelector("main form[data-offline-form]")) { showServerPage(page); return; }
        // Refused for a reason the form cannot show: say it, and leave the words where they are.
        showMessage(pageMessage(page) || String(response.status));
      } catch (e) {
        if (e instanceof SignedOut) { keepOffline(form, form.dataset.savedSignedOut); return; }
        keepOffline(form, offlineNotice);
        if (navigator.onLine) retryLater();
      } finally {
        form.removeAttribute("aria-busy");
        if (button) button.disabled = false;
      }
    });
  }

  document.querySelectorAll("form[data-offline-form]").forEach(function (form) {
    enhanceForm(form);
    restoreDraft(form);
  });
  window.addEventListener("online", function () { failures = 0; flush(); });
  showStatus();
  flush();
})();
