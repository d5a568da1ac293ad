/* Countdown to the end of a live auction. The server's time comes with each refresh of the live
   part (data-server-now), so a wrong clock on the visitor's computer does not matter. */
(function () {
  "use strict";
  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function tick() {
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      if (el.zqOffset === undefined) {
        el.zqOffset = Date.parse(el.dataset.serverNow) - Date.now();
      }
      var left = Math.max(0, Math.floor((Date.parse(el.dataset.countdown) - (Date.now() + el.zqOffset)) / 1000));
      var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
      el.textContent = left > 0 ? "剩余 " + (h ? h + ":" : "") + pad(m) + ":" + pad(s) : "已到结束时间，等待结束处理";
    });
  }
  setInterval(tick, 1000);
  document.addEventListener("DOMContentLoaded", tick);
  document.addEventListener("htmx:afterSwap", tick);
})();
