(function () {
  "use strict";
  document.body.classList.add("js");
  var docs = Array.prototype.slice.call(document.querySelectorAll("section.doc"));
  var rows = Array.prototype.slice.call(document.querySelectorAll("table.index tr.row"));
  var popup = document.getElementById("popup");

  function show(id, markId) {
    var target = document.getElementById(id) ? id : (docs[0] && docs[0].id);
    docs.forEach(function (d) { d.classList.toggle("active", d.id === target); });
    rows.forEach(function (r) { r.classList.toggle("current", r.getAttribute("data-doc") === target); });
    hidePopup();
    if (markId) {
      var mark = document.getElementById(markId);
      if (mark) {
        mark.scrollIntoView({ block: "center" });
        mark.classList.add("flash");
        setTimeout(function () { mark.classList.remove("flash"); }, 1600);
      }
    }
  }

  function route() {
    var hash = decodeURIComponent(location.hash.replace(/^#/, ""));
    if (!hash) { show(docs[0] && docs[0].id); return; }
    var el = document.getElementById(hash);
    if (el && el.tagName === "MARK") {
      var doc = el.closest("section.doc");
      show(doc.id, hash);
    } else {
      show(hash);
      var section = document.getElementById(hash);
      if (section) { section.scrollIntoView({ block: "start" }); }
    }
  }

  function hidePopup() { popup.hidden = true; popup.textContent = ""; }

  function openPopup(mark, event) {
    var ids = (mark.getAttribute("data-f") || "").split(" ");
    popup.textContent = "";
    var close = document.createElement("button");
    close.className = "close";
    close.setAttribute("aria-label", "閉じる");
    close.textContent = "×";
    close.addEventListener("click", hidePopup);
    popup.appendChild(close);
    ids.forEach(function (id) {
      var source = document.getElementById(id);
      if (!source) { return; }
      var item = document.createElement("div");
      item.className = "f";
      item.appendChild(source.querySelector(".detail").cloneNode(true));
      popup.appendChild(item);
    });
    popup.hidden = false;
    var x = Math.min(event.clientX + 12, window.innerWidth - popup.offsetWidth - 12);
    var y = Math.min(event.clientY + 12, window.innerHeight - popup.offsetHeight - 12);
    popup.style.left = Math.max(8, x) + "px";
    popup.style.top = Math.max(8, y) + "px";
  }

  rows.forEach(function (row) {
    row.addEventListener("click", function (event) {
      if (event.target.tagName === "A") { return; }
      location.hash = row.getAttribute("data-doc");
    });
  });
  document.addEventListener("click", function (event) {
    var mark = event.target.closest ? event.target.closest("mark[data-f]") : null;
    if (mark && !(mark.classList.contains("good") && document.body.classList.contains("hide-good"))) {
      openPopup(mark, event);
      event.stopPropagation();
    } else if (!popup.contains(event.target)) {
      hidePopup();
    }
  });
  document.addEventListener("keydown", function (event) { if (event.key === "Escape") { hidePopup(); } });
  Array.prototype.slice.call(document.querySelectorAll("input.toggle-good")).forEach(function (box) {
    box.addEventListener("change", function () {
      document.body.classList.toggle("hide-good", !box.checked);
      Array.prototype.slice.call(document.querySelectorAll("input.toggle-good")).forEach(function (other) { other.checked = box.checked; });
    });
  });
  window.addEventListener("hashchange", route);
  route();
})();
