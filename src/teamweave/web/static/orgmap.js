// teamweave organisation map: hover a team to see its numbers and highlight its ties. Our own, no libraries.
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }
  ready(function () {
    var svg = document.getElementById("org-map");
    var tip = document.getElementById("map-tip");
    if (!svg || !tip) { return; }
    var nodes = svg.querySelectorAll("g.node");
    var lines = svg.querySelectorAll("g.edges line");
    function clear() {
      tip.hidden = true;
      nodes.forEach(function (n) { n.classList.remove("dim"); });
      lines.forEach(function (l) { l.classList.remove("dim"); });
    }
    nodes.forEach(function (node) {
      node.addEventListener("mouseenter", function () {
        var team = node.getAttribute("data-team");
        var linked = {};
        linked[team] = true;
        lines.forEach(function (l) {
          var a = l.getAttribute("data-a"), b = l.getAttribute("data-b");
          var touches = a === team || b === team;
          l.classList.toggle("dim", !touches);
          if (touches) { linked[a] = true; linked[b] = true; }
        });
        nodes.forEach(function (n) { n.classList.toggle("dim", !linked[n.getAttribute("data-team")]); });
        tip.textContent = node.getAttribute("data-name") + " · " + node.getAttribute("data-members") +
          " people · E-I " + node.getAttribute("data-ei");
        tip.hidden = false;
      });
      node.addEventListener("mousemove", function (event) {
        var box = svg.parentNode.getBoundingClientRect();
        tip.style.left = (event.clientX - box.left + 14) + "px";
        tip.style.top = (event.clientY - box.top + 14) + "px";
      });
      node.addEventListener("mouseleave", clear);
    });
  });
})();
