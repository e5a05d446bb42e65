// The leaders' dashboard (一张图): KPI cards, a Leaflet map of grids / problems / heat / sites
// and ECharts panels, all drawn from one JSON document of aggregates (dashboards:data).
// Every figure links to the ledger list behind it. Works without map tiles (offline).
(function () {
  "use strict";

  function el(id) { return document.getElementById(id); }
  function esc(text) {
    return String(text == null ? "" : text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function group(n) { return n == null ? "--" : String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ","); }
  function show(k) { return k.value == null ? "--" : (k.suffix ? k.value.toFixed(1) + k.suffix : group(k.value)); }

  function Dashboard(opts) {
    this.opts = opts;
    this.dark = !!opts.dark;
    this.labels = opts.labels || {};
    this.charts = {};
    this.gridValues = {};
  }

  Dashboard.prototype.kpis = function (data) {
    const box = el("kpis");
    if (!box) { return; }
    box.innerHTML = data.kpis.map(function (k) {
      let delta = "";
      if (k.previous != null && k.value != null && k.previous !== k.value) {
        const up = k.value > k.previous;
        delta = '<span class="cw-kpi-delta ' + (up ? "up" : "down") + '">' + (up ? "↑" : "↓") + "</span>";
      }
      const inner = '<div class="cw-kpi-value" data-value="' + esc(k.value) + '">' + show(k) + delta + '</div><div class="cw-kpi-label">' + esc(k.label) + "</div>";
      return k.url
        ? '<a class="cw-kpi" id="kpi-' + k.key + '" href="' + esc(k.url) + '">' + inner + "</a>"
        : '<div class="cw-kpi" id="kpi-' + k.key + '">' + inner + "</div>";
    }).join("");
    const count = el("countdown");
    if (count) {
      // The next stage of the evaluation cycle comes first; else the next campaign milestone.
      const m = data.stage || data.milestone;
      count.innerHTML = m
        ? esc(this.labels.countdown).replace("__NAME__", esc(m.name)).replace("__DAYS__", '<b class="cw-countdown-days">' + m.days + "</b>")
        : esc(this.labels.noMilestone);
    }
    const stamp = el("updated-at");
    if (stamp) { stamp.textContent = data.updated_at; stamp.classList.remove("text-danger"); }
    const period = el("period-label");
    if (period) { period.textContent = data.period.label; }
  };

  Dashboard.prototype.chart = function (id) {
    const node = el(id);
    if (!node) { return null; }
    if (!this.charts[id]) {
      this.charts[id] = echarts.init(node, this.dark ? "dark" : null, { locale: "ZH" });
      const chart = this.charts[id];
      if (window.ResizeObserver) { new ResizeObserver(function () { chart.resize(); }).observe(node); }
      this.charts[id].on("click", function (params) {
        const url = params.data && params.data.url;
        if (url) { window.location.href = url; }
      });
    }
    return this.charts[id];
  };

  Dashboard.prototype.base = function () {
    return { backgroundColor: "transparent", textStyle: { fontSize: 14 }, animationDuration: 500 };
  };

  Dashboard.prototype.draw = function (data) {
    const L_ = this.labels;
    const base = this.base();
    const trend = this.chart("chart-trend");
    if (trend) {
      const urls = data.trend.labels;
      trend.setOption(Object.assign({}, base, {
        tooltip: { trigger: "axis" },
        legend: { data: [L_.reported, L_.closed], top: 0 },
        grid: { left: 40, right: 16, top: 32, bottom: 28 },
        xAxis: { type: "category", data: urls.map(function (d) { return d.slice(5); }) },
        yAxis: { type: "value", minInterval: 1 },
        series: [
          { name: L_.reported, type: "line", areaStyle: { opacity: 0.15 }, data: data.trend.reported },
          { name: L_.closed, type: "line", data: data.trend.closed },
        ],
      }), true);
    }
    const cats = this.chart("chart-categories");
    if (cats) {
      const top = data.categories.slice(0, 6).map(function (c) { return { name: c.name, value: c.value, url: c.url }; });
      const rest = data.categories.slice(6).reduce(function (s, c) { return s + c.value; }, 0);
      if (rest) { top.push({ name: L_.others, value: rest }); }
      cats.setOption(Object.assign({}, base, {
        tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
        legend: { type: "scroll", bottom: 0 },
        series: [{ type: "pie", radius: ["40%", "68%"], center: ["50%", "44%"], data: top, label: { formatter: "{b}\n{c}" } }],
      }), true);
    }
    const src = this.chart("chart-sources");
    if (src) {
      const rows = data.sources.slice(0, 8).reverse();
      src.setOption(Object.assign({}, base, {
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        grid: { left: 110, right: 30, top: 10, bottom: 20 },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", data: rows.map(function (r) { return r.name; }) },
        series: [{ type: "bar", data: rows.map(function (r) { return { value: r.value, url: r.url }; }), itemStyle: { color: "#0ea5e9" }, label: { show: true, position: "right" } }],
      }), true);
    }
    const units = this.chart("chart-units");
    if (units) {
      const rows = data.units.slice(0, 10).reverse();
      units.setOption(Object.assign({}, base, {
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        legend: { data: [L_.open, L_.overdue], top: 0 },
        grid: { left: 90, right: 30, top: 30, bottom: 20 },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", data: rows.map(function (r) { return r.name; }) },
        series: [
          { name: L_.open, type: "bar", data: rows.map(function (r) { return { value: r.open, url: r.urls.open }; }), itemStyle: { color: "#3b82f6" } },
          { name: L_.overdue, type: "bar", data: rows.map(function (r) { return { value: r.overdue, url: r.urls.overdue }; }), itemStyle: { color: "#ef4444" } },
        ],
      }), true);
    }
    const gauge = this.chart("chart-rates");
    if (gauge) {
      const pick = function (key) { return data.kpis.filter(function (k) { return k.key === key; })[0]; };
      const items = ["on_time_rate", "rework_rate", "recurrence_rate"].map(pick);
      gauge.setOption(Object.assign({}, base, {
        series: items.map(function (k, i) {
          return {
            type: "gauge", center: [(17 + i * 33) + "%", "55%"], radius: "44%", min: 0, max: 100,
            progress: { show: true, width: 10 }, axisLine: { lineStyle: { width: 10 } }, splitLine: { show: false },
            axisTick: { show: false }, axisLabel: { show: false }, pointer: { show: false },
            title: { offsetCenter: [0, "78%"], fontSize: 13 },
            detail: { offsetCenter: [0, 0], fontSize: 18, formatter: function (v) { return k.value == null ? "--" : v + "%"; } },
            data: [{ value: k.value == null ? 0 : k.value, name: k.label, url: k.url }],
          };
        }),
      }), true);
    }
    this.tops(data);
  };

  Dashboard.prototype.tops = function (data) {
    [["top-overdue", "overdue"], ["top-reported", "reported"], ["top-open", "open"]].forEach(function (pair) {
      const body = el(pair[0]);
      if (!body) { return; }
      const rows = data.top[pair[1]];
      body.innerHTML = rows.length ? rows.map(function (r, i) {
        return '<tr><td class="cw-rank' + (i < 3 ? " cw-rank-top" : "") + '">' + (i + 1) + "</td><td>" + esc(r.name) +
          '</td><td class="text-end"><a href="' + esc(r.url) + '">' + group(r.value) + "</a></td></tr>";
      }).join("") : '<tr><td colspan="3" class="text-secondary text-center">暂无数据</td></tr>';
    });
  };

  Dashboard.prototype.feeds = function (data) {
    [["feed-reported", "reported"], ["feed-overdue", "overdue"]].forEach(function (pair) {
      const body = el(pair[0]);
      if (!body) { return; }
      const rows = data.latest[pair[1]].map(function (r, i) {
        return "<tr" + (i < 3 ? ' class="cw-feed-top"' : "") + '><td><a href="' + esc(r.url) + '">' + esc(r.code) + "</a></td><td>" +
          esc(r.category) + "</td><td>" + esc(r.unit) + '</td><td class="text-end">' + esc(r.when) + "</td></tr>";
      }).join("");
      // More than five rows scroll: drawn twice, the CSS animation moves one copy up and
      // starts over seamlessly.
      const scroll = !!body.dataset.scroll && data.latest[pair[1]].length > 5;
      body.innerHTML = rows ? rows + (scroll ? rows : "") : '<tr><td colspan="4" class="text-center">暂无数据</td></tr>';
      body.classList.toggle("cw-scrolling", scroll);
    });
  };

  // Map ------------------------------------------------------------------------------------
  Dashboard.prototype.color = function (value, max) {
    if (!value) { return this.dark ? "#1e3a5f" : "#e5f3e8"; }
    const t = Math.min(1, value / Math.max(1, max));
    const stops = ["#fde68a", "#fb923c", "#ef4444", "#991b1b"];
    return stops[Math.min(stops.length - 1, Math.floor(t * stops.length))];
  };

  Dashboard.prototype.map = function (data) {
    const node = el("dash-map");
    if (!node || typeof L === "undefined") { return; }
    const self = this;
    const L_ = this.labels;
    if (!this.leaflet) {
      this.leaflet = L.map(node, { preferCanvas: true, zoomSnap: 0.25, attributionControl: false });
      const cfg = this.opts.mapConfig || {};
      if (cfg.tiles === "osm") {
        L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", { maxZoom: 19 }).addTo(this.leaflet);
      } else if (cfg.tiles === "tianditu" && cfg.tiandituKey && cfg.tiandituKey !== "-") {
        L.tileLayer("https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=" + cfg.tiandituKey, { subdomains: "01234567", maxZoom: 18 }).addTo(this.leaflet);
      }
      this.layers = { points: L.layerGroup(), heat: L.layerGroup(), sites: L.layerGroup() };
      this.layers.points.addTo(this.leaflet);
      this.control = L.control.layers(null, {}, { collapsed: false }).addTo(this.leaflet);
      this.control.addOverlay(this.layers.points, L_.points);
      this.control.addOverlay(this.layers.heat, L_.heat);
      this.control.addOverlay(this.layers.sites, L_.sites);
      this.leaflet.on("overlayadd", function (e) {
        if (e.layer === self.layers.sites && !self.sitesLoaded) { self.loadSites(); }
      });
      fetch(this.opts.gridsUrl + "?level=3", { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (fc) {
          self.gridLayer = L.geoJSON(fc, {
            style: function () { return { weight: 1, color: self.dark ? "#38bdf8" : "#15803d", fillOpacity: 0.55 }; },
            onEachFeature: function (f, layer) {
              layer.on("click", function () {
                window.location.href = self.gridUrl + (self.gridUrl.indexOf("?") >= 0 ? "&" : "?") + "grid=" + f.properties.id;
              });
            },
          }).addTo(self.leaflet);
          self.gridLayer.bringToBack();
          if (fc.features.length) { self.leaflet.fitBounds(self.gridLayer.getBounds(), { padding: [8, 8] }); }
          else { self.leaflet.setView([34.8, 117.3], 11); }
          self.colourGrids();
          node.dataset.ready = "1";
        })
        .catch(function () { self.leaflet.setView([34.8, 117.3], 11); node.dataset.ready = "1"; });
    }
    this.gridValues = data.grids.values;
    this.gridUrl = data.grids.url;
    this.colourGrids();
    this.layers.points.clearLayers();
    data.points.forEach(function (p) {
      const m = L.circleMarker([p[0], p[1]], { radius: 3.5, weight: 0.5, color: "#fff", fillColor: p[2] ? "#dc2626" : "#16a34a", fillOpacity: 0.9 });
      m.bindPopup('<a href="/problems/' + p[3] + '/">' + esc(p[4]) + "</a>");
      self.layers.points.addLayer(m);
    });
    this.layers.heat.clearLayers();
    if (L.heatLayer && data.heat.length) {
      const max = data.heat.reduce(function (s, h) { return Math.max(s, h[2]); }, 1);
      this.layers.heat.addLayer(L.heatLayer(data.heat, { radius: 18, blur: 14, max: max, minOpacity: 0.3 }));
    }
  };

  Dashboard.prototype.colourGrids = function () {
    if (!this.gridLayer) { return; }
    const values = this.gridValues || {};
    const max = Object.keys(values).reduce(function (s, k) { return Math.max(s, values[k]); }, 0);
    const self = this;
    this.gridLayer.eachLayer(function (layer) {
      const p = layer.feature.properties;
      const v = values[String(p.id)] || 0;
      layer.setStyle({ fillColor: self.color(v, max) });
      layer.bindTooltip(esc(p.name) + "：" + v, { sticky: true });
    });
  };

  Dashboard.prototype.loadSites = function () {
    const self = this;
    this.sitesLoaded = true;
    fetch(this.opts.sitesUrl, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (d) {
      (d.sites || []).forEach(function (s) {
        const m = L.circleMarker([s[1], s[0]], { radius: 2.5, color: "#d97706", weight: 0.5, fillOpacity: 0.7 });
        m.bindPopup('<a href="/places/sites/' + s[4] + '/">' + esc(s[2]) + "</a><br>" + esc(s[3]));
        self.layers.sites.addLayer(m);
      });
    });
  };

  Dashboard.prototype.render = function (data) {
    this.kpis(data);
    this.draw(data);
    this.feeds(data);
    this.map(data);
    document.body.dataset.dashboard = "drawn";
  };

  Dashboard.prototype.refresh = function () {
    const self = this;
    if (document.hidden) { return; }
    fetch(this.opts.dataUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (data) { self.render(data); })
      .catch(function () { const s = el("updated-at"); if (s) { s.classList.add("text-danger"); } });
  };

  window.cwDashboard = function (opts) {
    const board = new Dashboard(opts);
    window.cwBoard = board;
    board.render(JSON.parse(el(opts.dataId).textContent));
    window.addEventListener("resize", function () {
      Object.keys(board.charts).forEach(function (k) { board.charts[k].resize(); });
    });
    if (opts.refreshSeconds) { setInterval(function () { board.refresh(); }, opts.refreshSeconds * 1000); }
    return board;
  };
})();
