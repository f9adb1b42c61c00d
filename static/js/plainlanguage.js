// The plain-language meter updates as the worker types (the server measures; this only asks).
(function () {
  "use strict";
  const token = document.querySelector("input[name=csrf_token]");
  function render(meter, data) {
    meter.textContent = "";
    const age = document.createElement("p");
    age.className = "meter-age";
    if (data.reading_age) {
      age.textContent = meter.dataset.labelAge.replace("__AGE__", String(data.reading_age));
      if (data.reading_age > 10) age.classList.add("meter-hard");
    } else {
      age.textContent = meter.dataset.labelEmpty;
      age.classList.add("meta");
    }
    meter.appendChild(age);
    if (data.long_sentences && data.long_sentences.length) {
      const intro = document.createElement("p");
      intro.className = "meta";
      intro.textContent = meter.dataset.labelLong;
      meter.appendChild(intro);
      const list = document.createElement("ul");
      list.className = "long-sentences";
      data.long_sentences.forEach(function (sentence) {
        const item = document.createElement("li");
        const mark = document.createElement("mark");
        mark.textContent = sentence;
        item.appendChild(mark);
        list.appendChild(item);
      });
      meter.appendChild(list);
    }
  }
  document.querySelectorAll("[data-meter-for]").forEach(function (meter) {
    const field = document.getElementById(meter.dataset.meterFor);
    if (!field || !token) return;
    let timer = null;
    field.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        fetch("/staff/plain-language", {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": token.value },
          body: JSON.stringify({ text: field.value }),
        }).then(function (r) { return r.ok ? r.json() : null; }).then(function (data) { if (data) render(meter, data); })
          .catch(function () { /* the saved page still shows the meter */ });
      }, 600);
    });
  });
})();
