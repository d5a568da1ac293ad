// On a wide screen the facet drawer starts open (a left column); on a phone it stays closed so the
// results come first. Without JavaScript the drawer is simply closed and opens on a tap.
(function () {
  var wide = window.matchMedia("(min-width: 880px)");
  function apply() {
    document.querySelectorAll("details[data-open-wide]").forEach(function (d) {
      if (wide.matches) d.open = true;
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", apply);
  else apply();
})();
