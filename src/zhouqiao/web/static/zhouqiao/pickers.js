/* Pickers (web/widgets.py). Without this file each picker still works: the region picker is one
   select of the home province's counties, the code pickers a text input with a short datalist.
   This file turns the region select into a province → city → county cascade and makes the
   datalists follow what is typed. The page may include it once per picker: it runs once. */
(function () {
  "use strict";
  if (window.zhouqiaoPickers) {
    return;
  }
  window.zhouqiaoPickers = true;

  var LEVELS = ["province", "city", "county"];
  var DEPTH = { province: 0, city: 1, county: 2 };

  function fetchText(url) {
    return fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } }).then(
      function (response) {
        return response.ok ? response.text() : "";
      }
    );
  }

  function ensureOption(select, value, text) {
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === value) {
        return;
      }
    }
    select.add(new Option(text, value));
  }

  function regionPicker(box) {
    var real = box.querySelector("select");
    if (!real || box.dataset.ready) {
      return;
    }
    box.dataset.ready = "1";
    var url = box.dataset.optionsUrl;
    var minDepth = DEPTH[box.dataset.minLevel] || 0;
    var chain = (box.dataset.chain || "").split(",").filter(Boolean);
    if (!chain.length && box.dataset.defaultProvince) {
      chain = [box.dataset.defaultProvince];
    }
    var baseId = real.id || real.name;
    var fieldLabel = real.id ? document.querySelector('label[for="' + real.id + '"]') : null;

    var group = document.createElement("span");
    group.className = "region-cascade";
    group.setAttribute("role", "group");
    if (fieldLabel) {
      group.setAttribute("aria-label", fieldLabel.textContent.replace("*", "").trim());
    }
    var selects = LEVELS.map(function (level) {
      var wrap = document.createElement("span");
      wrap.className = "region-level";
      var label = document.createElement("label");
      var select = document.createElement("select");
      select.id = baseId + "_" + level;
      select.dataset.level = level;
      label.htmlFor = select.id;
      label.textContent = box.dataset["label" + level.charAt(0).toUpperCase() + level.slice(1)];
      if (real.required) {
        select.required = level === "province";
      }
      wrap.appendChild(label);
      wrap.appendChild(select);
      group.appendChild(wrap);
      return select;
    });
    real.hidden = true;
    real.tabIndex = -1;
    real.required = false; // the visible province select carries it
    box.appendChild(group);
    if (fieldLabel) {
      fieldLabel.htmlFor = selects[0].id; // the field's label now names (and focuses) the province
    }

    function fill(select, parent) {
      var choose = '<option value="">' + box.dataset.choose + "</option>";
      if (parent === null) {
        select.innerHTML = choose;
        select.disabled = true;
        select.parentNode.hidden = false;
        return Promise.resolve();
      }
      return fetchText(url + "?parent=" + encodeURIComponent(parent)).then(function (html) {
        select.innerHTML = choose + html;
        select.disabled = select.options.length <= 1;
        // a city without counties (东莞市 …) has no third level to choose
        select.parentNode.hidden = select.disabled && select.dataset.level === "county";
      });
    }

    function submit() {
      var code = "";
      var text = "";
      selects.forEach(function (select) {
        if (select.value) {
          code = select.value;
          text = select.options[select.selectedIndex].text;
        }
      });
      if (code) {
        ensureOption(real, code, text);
      }
      real.value = code;
      real.dispatchEvent(new Event("change", { bubbles: true }));
    }

    selects.forEach(function (select, depth) {
      select.addEventListener("change", function () {
        var next = selects[depth + 1];
        var after = selects.slice(depth + 2);
        var done = Promise.resolve();
        if (next) {
          done = fill(next, select.value || null);
        }
        after.forEach(function (s) {
          fill(s, null);
        });
        done.then(submit);
      });
    });

    // Open the cascade at the chosen value (or the home province of a required field).
    var step = fill(selects[0], "");
    LEVELS.forEach(function (level, depth) {
      step = step.then(function () {
        var code = chain[depth];
        var select = selects[depth];
        if (code) {
          select.value = code;
        }
        var next = selects[depth + 1];
        if (next) {
          return fill(next, select.value || null);
        }
      });
    });
    step.then(function () {
      if (chain.length && DEPTH[LEVELS[chain.length - 1]] >= minDepth) {
        submit();
      }
    });
  }

  function codePicker(input) {
    if (input.dataset.ready) {
      return;
    }
    input.dataset.ready = "1";
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null;
    var last = null;
    function suggest() {
      var q = input.value.trim().slice(0, 50);
      if (!q || q === last) {
        return;
      }
      last = q;
      fetchText(input.dataset.suggestUrl + "?q=" + encodeURIComponent(q)).then(function (html) {
        if (q === last && html) {
          list.innerHTML = html;
        }
      });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(suggest, 200);
    });
    // Typed before this script ran (a slow connection): suggest for what is already there.
    if (input.value !== input.defaultValue) {
      suggest();
    }
  }

  function init() {
    document.querySelectorAll("[data-region-picker]").forEach(regionPicker);
    document.querySelectorAll("input[data-suggest-url]").forEach(codePicker);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
  document.addEventListener("htmx:afterSettle", init);
})();
