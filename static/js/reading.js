/* Reading preferences (font size, wide reading, senior-friendly mode), remembered in localStorage.
   Loaded in <head> without defer so the saved classes are on <html> before the first paint. */
(function () {
  "use strict";
  var KEY = "wenming.reading";
  var FONTS = ["s", "m", "l"];
  var root = document.documentElement;
  var prefs = {};

  try {
    prefs = JSON.parse(window.localStorage.getItem(KEY)) || {};
  } catch (error) {
    prefs = {};
  }

  function apply() {
    FONTS.forEach(function (size) {
      root.classList.remove("font-" + size);
    });
    root.classList.add("font-" + (FONTS.indexOf(prefs.font) >= 0 ? prefs.font : "m"));
    root.classList.toggle("wide", Boolean(prefs.wide));
    root.classList.toggle("senior", Boolean(prefs.senior));
  }

  function save() {
    try {
      window.localStorage.setItem(KEY, JSON.stringify(prefs));
    } catch (error) {
      /* Private browsing may refuse storage; the choice then lasts for this page only. */
    }
  }

  function syncButtons() {
    var current = prefs.font || "m";
    document.querySelectorAll("[data-font]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-font") === current));
    });
    document.querySelectorAll("[data-toggle]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(Boolean(prefs[button.getAttribute("data-toggle")])));
    });
  }

  function onClick(event) {
    var button = event.target.closest("[data-font], [data-toggle], [data-action]");
    if (!button) {
      return;
    }
    if (button.hasAttribute("data-font")) {
      prefs.font = button.getAttribute("data-font");
    } else if (button.hasAttribute("data-toggle")) {
      var name = button.getAttribute("data-toggle");
      prefs[name] = !prefs[name];
    } else if (button.getAttribute("data-action") === "print") {
      window.print();
      return;
    }
    save();
    apply();
    syncButtons();
  }

  root.classList.remove("no-js");
  root.classList.add("js");
  apply();

  document.addEventListener("DOMContentLoaded", function () {
    syncButtons();
    document.addEventListener("click", onClick);
  });
})();
