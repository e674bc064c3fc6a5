// The signature pad: draw with a finger, a pen or a mouse (pointer events); the drawing is sent
// as a PNG data URL in the form's hidden "signature" field.
(function () {
  "use strict";
  var form = document.querySelector("form[data-sign]");
  if (!form) return;
  var canvas = form.querySelector("canvas");
  var field = form.querySelector("input[name=signature]");
  var context = canvas.getContext("2d");
  var drawn = false;
  var last = null;

  function fit() {
    var ratio = Math.min(window.devicePixelRatio || 1, 2);
    canvas.width = Math.round(canvas.clientWidth * ratio);
    canvas.height = Math.round(canvas.clientHeight * ratio);
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.lineWidth = 2.5;
    context.lineCap = "round";
    context.lineJoin = "round";
    context.strokeStyle = "#111";
    drawn = false;
  }

  function point(event) {
    var box = canvas.getBoundingClientRect();
    return { x: event.clientX - box.left, y: event.clientY - box.top };
  }

  canvas.addEventListener("pointerdown", function (event) {
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    last = point(event);
    context.beginPath();
    context.arc(last.x, last.y, 1, 0, 2 * Math.PI);
    context.fill();
    drawn = true;
  });
  canvas.addEventListener("pointermove", function (event) {
    if (!last) return;
    event.preventDefault();
    var here = point(event);
    context.beginPath();
    context.moveTo(last.x, last.y);
    context.lineTo(here.x, here.y);
    context.stroke();
    last = here;
  });
  function stop() { last = null; }
  canvas.addEventListener("pointerup", stop);
  canvas.addEventListener("pointercancel", stop);

  form.querySelector("[data-clear]").addEventListener("click", function () {
    context.clearRect(0, 0, canvas.width, canvas.height);
    drawn = false;
  });
  form.addEventListener("submit", function () {
    field.value = drawn ? canvas.toDataURL("image/png") : "";
  });
  fit();
})();
