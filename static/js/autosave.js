// Parents' comments are saved as they are written: a moment after typing stops, or on a tap.
(function () {
  "use strict";
  const form = document.querySelector("form[data-autosave]");
  if (!form) return;
  const token = form.querySelector("input[name=csrf_token]").value;

  function save(box) {
    const key = Number(box.dataset.section);
    const checked = box.querySelector("input[type=radio]:checked");
    const note = box.querySelector("[data-saved-note]");
    fetch(form.dataset.autosave, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token, Accept: "application/json" },
      body: JSON.stringify({ section: key || null, agree: checked ? checked.value : "", text: box.querySelector("textarea").value }),
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      note.textContent = result.ok ? form.dataset.savedText + " " + result.data.saved_at : result.data.error;
    }).catch(function () {
      note.textContent = form.dataset.errorText;
    });
  }

  form.querySelectorAll("[data-comment]").forEach(function (box) {
    let timer = null;
    box.querySelector("textarea").addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { save(box); }, 1200);
    });
    box.querySelectorAll("input[type=radio]").forEach(function (radio) {
      radio.addEventListener("change", function () { save(box); });
    });
  });
})();
