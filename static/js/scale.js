// The 0-10 worry scale: a slider over the plain radio buttons, which still do the work.
(function () {
  "use strict";
  document.querySelectorAll("[data-scale]").forEach(function (fieldset) {
    const radios = Array.from(fieldset.querySelectorAll("input[type=radio]"));
    if (radios.length !== 11) return;
    const checked = radios.find(function (r) { return r.checked; });
    const wrapper = document.createElement("div");
    wrapper.className = "scale-slider";
    const slider = document.createElement("input");
    slider.type = "range";
    slider.min = "0";
    slider.max = "10";
    slider.step = "1";
    slider.id = "score-slider";
    slider.value = checked ? checked.value : "5";
    slider.setAttribute("aria-label", fieldset.dataset.sliderLabel);
    const output = document.createElement("output");
    output.setAttribute("for", slider.id);
    output.className = "scale-value";
    output.setAttribute("aria-hidden", "true");

    function describe(value) {
      if (value === "0") return "0 – " + fieldset.getAttribute("data-meaning-0");
      if (value === "10") return "10 – " + fieldset.getAttribute("data-meaning-10");
      return value;
    }
    function sync(fromUser) {
      output.textContent = fromUser || checked ? slider.value : "?";
      slider.setAttribute("aria-valuetext", describe(slider.value));
      if (fromUser) {
        const radio = radios.find(function (r) { return r.value === slider.value; });
        if (radio) radio.checked = true;
      }
    }
    slider.addEventListener("input", function () { sync(true); });
    slider.addEventListener("change", function () { sync(true); });
    wrapper.appendChild(slider);
    wrapper.appendChild(output);
    const options = fieldset.querySelector(".scale-options");
    options.classList.add("visually-hidden");
    options.setAttribute("aria-hidden", "true");
    radios.forEach(function (r) { r.tabIndex = -1; });
    options.parentNode.insertBefore(wrapper, options);
    sync(false);
  });
})();
