// Focal point of an image in the admin: a click on the preview sets the two percentage fields.
// Without JavaScript (or from the keyboard) editors type the percentages; the marker follows them.
(function () {
  "use strict";
  function setUp(picture) {
    var x = document.getElementById("id_focal_x");
    var y = document.getElementById("id_focal_y");
    if (!x || !y) return;
    var frame = document.createElement("span");
    frame.className = "focal-frame";
    picture.parentNode.insertBefore(frame, picture);
    frame.appendChild(picture);
    var marker = document.createElement("span");
    marker.className = "focal-marker";
    marker.setAttribute("aria-hidden", "true");
    frame.appendChild(marker);
    picture.classList.add("focal-picker");
    picture.title = picture.dataset.focalHelp || "";
    function place() {
      marker.style.left = Math.min(100, Math.max(0, Number(x.value) || 0)) + "%";
      marker.style.top = Math.min(100, Math.max(0, Number(y.value) || 0)) + "%";
    }
    picture.addEventListener("click", function (event) {
      var box = picture.getBoundingClientRect();
      x.value = Math.round(((event.clientX - box.left) / box.width) * 100);
      y.value = Math.round(((event.clientY - box.top) / box.height) * 100);
      place();
    });
    x.addEventListener("input", place);
    y.addEventListener("input", place);
    place();
  }
  document.addEventListener("DOMContentLoaded", function () {
    var picture = document.querySelector("img[data-focal-point]");
    if (picture) setUp(picture);
  });
})();
