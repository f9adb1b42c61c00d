// Drawing on the screen (Draw it, My three houses): fingers, a pen or a mouse, a few big colours,
// Undo and Clear. When the form is sent, each drawing goes into its hidden file field as a PNG.
(function () {
  "use strict";
  const LINE = 12;

  function setUp(box) {
    const canvas = box.querySelector("canvas");
    const context = canvas.getContext("2d");
    const tools = box.querySelector(".drawing-tools");
    const undo = box.querySelector("[data-undo]");
    const clear = box.querySelector("[data-clear]");
    const strokes = [];
    let colour = box.querySelector("[data-colour]").dataset.colour;
    let current = null;
    tools.hidden = false;
    box.querySelectorAll("[data-drawing-keys]").forEach(function (hint) { hint.hidden = false; });

    function paint() {
      context.fillStyle = "#ffffff";
      context.fillRect(0, 0, canvas.width, canvas.height);
      strokes.forEach(function (stroke) { drawStroke(stroke); });
    }

    function drawStroke(stroke) {
      context.strokeStyle = stroke.colour;
      context.fillStyle = stroke.colour;
      context.lineWidth = LINE;
      context.lineCap = "round";
      context.lineJoin = "round";
      const points = stroke.points;
      if (points.length === 1) {
        context.beginPath();
        context.arc(points[0][0], points[0][1], LINE / 2, 0, 2 * Math.PI);
        context.fill();
        return;
      }
      context.beginPath();
      context.moveTo(points[0][0], points[0][1]);
      for (let i = 1; i < points.length; i++) context.lineTo(points[i][0], points[i][1]);
      context.stroke();
    }

    function changed() {
      undo.disabled = strokes.length === 0;
      clear.disabled = strokes.length === 0;
      box.dataset.drawn = strokes.length ? "yes" : "";
      box.dataset.strokes = String(strokes.length);
    }

    function at(clientX, clientY) {
      const rect = canvas.getBoundingClientRect();
      return [(clientX - rect.left) * canvas.width / rect.width, (clientY - rect.top) * canvas.height / rect.height];
    }

    function start(x, y) {
      current = { colour: colour, points: [at(x, y)] };
      strokes.push(current);
      drawStroke(current);
      changed();
    }

    function move(x, y) {
      if (!current) return;
      current.points.push(at(x, y));
      const points = current.points;
      context.strokeStyle = current.colour;
      context.lineWidth = LINE;
      context.lineCap = "round";
      context.beginPath();
      context.moveTo(points[points.length - 2][0], points[points.length - 2][1]);
      context.lineTo(points[points.length - 1][0], points[points.length - 1][1]);
      context.stroke();
    }

    function end() { current = null; }

    if (window.PointerEvent) {
      canvas.addEventListener("pointerdown", function (event) {
        event.preventDefault();
        canvas.setPointerCapture(event.pointerId);
        start(event.clientX, event.clientY);
      });
      canvas.addEventListener("pointermove", function (event) { if (current) { event.preventDefault(); move(event.clientX, event.clientY); } });
      canvas.addEventListener("pointerup", end);
      canvas.addEventListener("pointercancel", end);
    } else {
      // Older phones without pointer events: touch, and the mouse.
      canvas.addEventListener("touchstart", function (event) { event.preventDefault(); const t = event.touches[0]; start(t.clientX, t.clientY); }, { passive: false });
      canvas.addEventListener("touchmove", function (event) { event.preventDefault(); const t = event.touches[0]; move(t.clientX, t.clientY); }, { passive: false });
      canvas.addEventListener("touchend", end);
      canvas.addEventListener("mousedown", function (event) { start(event.clientX, event.clientY); });
      canvas.addEventListener("mousemove", function (event) { move(event.clientX, event.clientY); });
      window.addEventListener("mouseup", end);
    }

    box.querySelectorAll("[data-colour]").forEach(function (button) {
      button.addEventListener("click", function () {
        colour = button.dataset.colour;
        box.querySelectorAll("[data-colour]").forEach(function (other) { other.setAttribute("aria-pressed", String(other === button)); });
      });
    });
    undo.addEventListener("click", function () { strokes.pop(); paint(); changed(); if (undo.disabled) canvas.focus(); });
    clear.addEventListener("click", function () { strokes.length = 0; paint(); changed(); canvas.focus(); });
    // By keyboard or switch: the arrow keys draw from the middle, a step at a time (each step one Undo).
    const STEP = 30;
    let pen = [canvas.width / 2, canvas.height / 2];
    const moves = { ArrowUp: [0, -1], ArrowDown: [0, 1], ArrowLeft: [-1, 0], ArrowRight: [1, 0] };
    canvas.addEventListener("keydown", function (event) {
      const move = moves[event.key];
      if (!move) return;
      event.preventDefault();
      const next = [
        Math.min(canvas.width - LINE, Math.max(LINE, pen[0] + move[0] * STEP)),
        Math.min(canvas.height - LINE, Math.max(LINE, pen[1] + move[1] * STEP)),
      ];
      const stroke = { colour: colour, points: [pen, next] };
      strokes.push(stroke);
      drawStroke(stroke);
      pen = next;
      changed();
    });
    canvas.tabIndex = 0;
    paint();
    changed();
  }

  function attach(box) {
    // Resolves once the drawing (if any) is in its file field.
    return new Promise(function (resolve) {
      const input = document.getElementById(box.dataset.file);
      if (!box.dataset.drawn || !input || !window.DataTransfer) { resolve(); return; }
      box.querySelector("canvas").toBlob(function (blob) {
        if (blob) {
          const files = new DataTransfer();
          files.items.add(new File([blob], "drawing.png", { type: "image/png" }));
          input.files = files.files;
        }
        resolve();
      }, "image/png");
    });
  }

  document.querySelectorAll("[data-drawing]").forEach(setUp);
  document.querySelectorAll("form[data-drawing-form]").forEach(function (form) {
    let sending = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (sending) return;
      // Offline, a drawing cannot be kept on the phone: it stays on the screen until it can be sent.
      const offline = document.querySelector("[data-drawing-offline]");
      if (navigator.onLine === false && offline) {
        offline.hidden = false;
        offline.scrollIntoView();
        return;
      }
      if (offline) offline.hidden = true;
      sending = true;
      const button = form.querySelector("[type=submit]");
      if (button) { button.disabled = true; button.value = form.dataset.sending || button.value; }
      Promise.all(Array.prototype.map.call(form.querySelectorAll("[data-drawing]"), attach)).then(function () {
        HTMLFormElement.prototype.submit.call(form);
      });
    });
  });
})();
