/* Charts of the indicator dashboard. Progressive enhancement: each chart draws the table printed
   under it (the table is the accessible truth); without ECharts or JavaScript the page is whole. */
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }
  function num(v) { var n = parseFloat(v); return isNaN(n) ? 0 : n; }
  function unitOf(header) { var m = /（([^）]+)）\s*$/.exec(header || ""); return m ? m[1] : ""; }

  function start() {
    if (!window.echarts) return;
    var data = JSON.parse(document.getElementById("insights-charts").textContent);
    var countyMap = JSON.parse(document.getElementById("insights-county-map").textContent);
    var ctx = document.getElementById("insights-context").dataset;
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var table = data[el.dataset.chart];
      if (!table || (!table.rows.length && table.chart.type !== "map")) { el.hidden = true; return; }
      var chart = echarts.init(el);
      var draw = DRAW[table.chart.type];
      if (draw) draw(chart, table, countyMap, ctx);
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  function go(ctx, code) {
    window.location.href = ctx.base + "?region=" + encodeURIComponent(code) + "&year=" + encodeURIComponent(ctx.year);
  }

  var DRAW = {
    line: function (chart, t) {
      var units = [];
      var series = t.chart.series.map(function (col) {
        var unit = unitOf(t.headers[col]);
        if (units.indexOf(unit) < 0) units.push(unit);
        return { name: t.headers[col], type: "line", yAxisIndex: units.indexOf(unit),
                 data: t.rows.map(function (r) { return num(r[col]); }) };
      });
      chart.setOption({
        tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: { top: 48, left: 64, right: 64 },
        xAxis: { type: "category", data: t.rows.map(function (r) { return r[0]; }) },
        yAxis: units.slice(0, 2).map(function (u) { return { type: "value", name: u }; }),
        series: series
      });
    },
    bar: function (chart, t) {
      chart.setOption({
        tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: { top: 48, left: 64, right: 24 },
        xAxis: { type: "category", data: t.rows.map(function (r) { return r[0]; }), axisLabel: { interval: 0, rotate: 20 } },
        yAxis: { type: "value", name: unitOf(t.headers[t.chart.series[0]]) },
        series: t.chart.series.map(function (col) {
          return { name: t.headers[col], type: "bar", data: t.rows.map(function (r) { return num(r[col]); }) };
        })
      });
    },
    pie: function (chart, t) {
      var col = t.chart.value_column;
      chart.setOption({
        tooltip: { trigger: "item", formatter: "{b}：{c}" + unitOf(t.headers[col]) + "（{d}%）" },
        legend: { top: 0 },
        series: [{ type: "pie", radius: ["35%", "65%"], name: t.headers[col],
                   data: t.rows.map(function (r) { return { name: r[0], value: num(r[col]) }; }) }]
      });
    },
    bars_by_year: function (chart, t) {
      var units = [];
      var series = t.rows.map(function (r) {
        var unit = unitOf(r[0]);
        if (units.indexOf(unit) < 0) units.push(unit);
        return { name: r[0], type: "bar", yAxisIndex: Math.min(units.indexOf(unit), 1),
                 data: r.slice(1).map(num) };
      });
      chart.setOption({
        tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: { top: 56, left: 64, right: 64 },
        xAxis: { type: "category", data: t.headers.slice(1) },
        yAxis: units.slice(0, 2).map(function (u) { return { type: "value", name: u }; }),
        series: series
      });
    },
    sankey: function (chart, t) {
      var col = t.chart.value_column, nodes = {}, links = [];
      t.rows.forEach(function (r) {
        var src = r[0] + "（卖方）", dst = r[1] + "（买方）";
        nodes[src] = true; nodes[dst] = true;
        links.push({ source: src, target: dst, value: num(r[col]) });
      });
      chart.setOption({
        tooltip: { trigger: "item", formatter: function (p) {
          return p.dataType === "edge" ? p.data.source + " → " + p.data.target + "：" + p.data.value + "万元" : p.name;
        } },
        series: [{ type: "sankey", left: 24, right: 140, emphasis: { focus: "adjacency" },
                   data: Object.keys(nodes).map(function (n) { return { name: n }; }), links: links }]
      });
    },
    map: function (chart, t, countyMap, ctx) {
      var geoUrl = ctx.geo;
      fetch(geoUrl).then(function (r) { return r.json(); }).then(function (geo) {
        var features = geo.features.filter(function (f) {
          if (ctx.level === "province") return true;
          if (ctx.level === "city") return f.properties.city === ctx.region;
          return f.properties.adcode === ctx.region;
        });
        if (!features.length) { chart.dispose(); return; }
        var name = "jilin-" + ctx.region;
        echarts.registerMap(name, { type: "FeatureCollection", features: features });
        var values = features.map(function (f) {
          return { name: f.properties.adcode, label: f.properties.name, value: num(countyMap[f.properties.adcode]) };
        });
        var max = Math.max.apply(null, values.map(function (v) { return v.value; }).concat([1]));
        chart.setOption({
          tooltip: { trigger: "item", formatter: function (p) {
            return (p.data ? p.data.label : p.name) + "：" + (p.data ? p.data.value : 0) + "万元";
          } },
          visualMap: { min: 0, max: max, text: ["技术合同成交额（万元）", ""], calculable: true, left: 8, bottom: 8 },
          series: [{ type: "map", map: name, nameProperty: "adcode", roam: true, data: values,
                     label: { show: ctx.level !== "province", formatter: function (p) { return p.data ? p.data.label : ""; } } }]
        });
        chart.on("click", function (p) {
          if (!p.data || p.data.name === ctx.region) return;
          go(ctx, ctx.level === "province" ? p.data.name.slice(0, 4) + "00" : p.data.name);
        });
      });
    }
  };

  ready(start);
})();
