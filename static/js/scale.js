// The 0-10 worry scale: the numbers are radio buttons, so a tap, Tab, Space and the arrow keys
// already choose one. This adds Home and End, and a finger sliding along the numbers.
(function () {
  "use strict";
  document.querySelectorAll("[data-scale]").forEach(function (fieldset) {
    const options = fieldset.querySelector(".scale-options");
    const radios = Array.from(fieldset.querySelectorAll("input[type=radio]"));
    if (!options || radios.length === 0) return;

    function choose(radio, focus) {
      if (!radio || radio.checked) return;
      radio.checked = true;
      // The focus follows the choice, so that the arrow keys go on from it.
      if (focus) radio.focus({ preventScroll: true });
      radio.dispatchEvent(new Event("change", { bubbles: true }));
    }
    function radioAt(x, y) {
      const box = document.elementFromPoint(x, y);
      const option = box && box.closest(".scale-option");
      return option && options.contains(option) ? option.querySelector("input[type=radio]") : null;
    }

    options.addEventListener("keydown", function (event) {
      if (event.key === "Home") choose(radios[0], true);
      else if (event.key === "End") choose(radios[radios.length - 1], true);
      else return;
      event.preventDefault();
    });

    let sliding = null;
    options.addEventListener("pointerdown", function (event) {
      if (event.button !== 0) return;
      sliding = event.pointerId;
      // A touch keeps sending its moves to where it started; the number under the finger is looked up instead.
      if (event.target.hasPointerCapture && event.target.hasPointerCapture(event.pointerId)) {
        event.target.releasePointerCapture(event.pointerId);
      }
      // The tap itself focuses the number it lands on.
      choose(radioAt(event.clientX, event.clientY), false);
    });
    options.addEventListener("pointermove", function (event) {
      if (event.pointerId === sliding) choose(radioAt(event.clientX, event.clientY), true);
    });
    ["pointerup", "pointercancel", "pointerleave"].forEach(function (type) {
      options.addEventListener(type, function (event) { if (event.pointerId === sliding) sliding = null; });
    });
    fieldset.dataset.scaleReady = "true";
  });
})();
