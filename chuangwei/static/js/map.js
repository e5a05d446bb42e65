// Leaflet maps of grids and sites. Storage is WGS-84 GeoJSON ([lng, lat]); Leaflet wants [lat, lng].
// Tiles are optional: with "none" the map shows only our polygons and points (works offline).
(function () {
  "use strict";
  const LEVEL_STYLE = {
    1: { color: "#1d4ed8", weight: 3, fillOpacity: 0.02 },
    2: { color: "#0891b2", weight: 2, fillOpacity: 0.03, dashArray: "6 4" },
    3: { color: "#16a34a", weight: 1, fillOpacity: 0.06 },
  };

  function addTiles(map, config) {
    if (config.tiles === "osm") {
      L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", { maxZoom: 19, attribution: "© OpenStreetMap" }).addTo(map);
    } else if (config.tiles === "tianditu" && config.tiandituKey && config.tiandituKey !== "-") {
      // Tianditu uses CGCS2000 ≈ WGS-84: no coordinate shift needed.
      L.tileLayer("https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=" + config.tiandituKey, { subdomains: "01234567", maxZoom: 18 }).addTo(map);
    }
  }

  // Grid outlines from a GeoJSON URL, drawn under everything else (fit: zoom to them).
  function gridOutlines(url, map, fit) {
    return fetch(url, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (fc) {
        const layer = L.geoJSON(fc, { style: { color: "#16a34a", weight: 1, fillOpacity: 0.04 }, interactive: false }).addTo(map);
        if (fit && layer.getBounds().isValid()) { map.fitBounds(layer.getBounds()); }
        return layer;
      });
  }

  // The point picker of the report forms (staff phone report, citizens' 随手拍): tap or drag
  // a pin, or take the phone's position; writes WGS-84 into the lng/lat inputs. Grid outlines
  // make the map readable without tiles. opts: mapEl, config, lng, lat, status, messages
  // {locating, located, denied}, outlinesUrl, onPoint(latlng).
  window.cwPointPicker = function (opts) {
    const map = L.map(opts.mapEl, { zoomSnap: 0.25, attributionControl: false });
    addTiles(map, opts.config || {});
    map.setView([34.81, 117.32], 12);
    if (opts.outlinesUrl) { gridOutlines(opts.outlinesUrl, map, !opts.lng.value); }
    let pin = null;

    function setPoint(latlng, zoom) {
      opts.lng.value = latlng.lng.toFixed(7);
      opts.lat.value = latlng.lat.toFixed(7);
      if (!pin) {
        pin = L.marker(latlng, { draggable: true, autoPan: true }).addTo(map);
        pin.on("dragend", function () { setPoint(pin.getLatLng()); });
      } else {
        pin.setLatLng(latlng);
      }
      if (zoom) { map.setView(latlng, 17); }
      if (opts.onPoint) { opts.onPoint(latlng); }
    }

    function locate() {
      const say = function (text) { if (opts.status) { opts.status.textContent = text; } };
      if (!navigator.geolocation) { say(opts.messages.denied); return; }
      say(opts.messages.locating);
      navigator.geolocation.getCurrentPosition(function (pos) {
        setPoint(L.latLng(pos.coords.latitude, pos.coords.longitude), true);
        say(opts.messages.located);
      }, function () {
        say(opts.messages.denied);
      }, { enableHighAccuracy: true, timeout: 10000, maximumAge: 30000 });
    }

    map.on("click", function (e) { setPoint(e.latlng); });
    if (opts.lng.value && opts.lat.value) {
      setPoint(L.latLng(parseFloat(opts.lat.value), parseFloat(opts.lng.value)), true);
    } else {
      locate();
    }
    return { map: map, setPoint: setPoint, locate: locate };
  };
  window.cwMapTiles = addTiles;
  window.cwGridOutlines = gridOutlines;

  function makeMap(el, config) {
    const map = L.map(el, { preferCanvas: true, zoomSnap: 0.25 });
    addTiles(map, config || {});
    L.control.scale({ imperial: false }).addTo(map);
    return map;
  }

  function gridLayer(features) {
    return L.geoJSON(features, {
      style: function (f) { return LEVEL_STYLE[f.properties.level] || LEVEL_STYLE[3]; },
      onEachFeature: function (f, layer) {
        const p = f.properties;
        layer.bindTooltip((p.code || "") + " " + (p.name || ""), { sticky: true });
        if (p.id) { layer.bindPopup('<a href="/places/grids/' + p.id + '/">' + p.name + "</a><br>" + (p.unit || "")); }
      },
    });
  }

  function siteLayer(rows) {
    const group = L.featureGroup();
    rows.forEach(function (r) {
      const m = L.circleMarker([r[1], r[0]], { radius: 2.5, color: "#d97706", weight: 0.5, fillOpacity: 0.7 });
      const link = r[4] ? '<a href="/places/sites/' + r[4] + '/">' + r[2] + "</a>" : r[2];
      m.bindPopup(link + "<br>" + r[3]);
      group.addLayer(m);
    });
    return group;
  }

  // Static map on a detail page: data from json_script.
  window.cwStaticMap = function (elId, dataId, configId) {
    const el = document.getElementById(elId);
    if (!el) { return; }
    const data = JSON.parse(document.getElementById(dataId).textContent);
    const config = JSON.parse(document.getElementById(configId).textContent);
    const map = makeMap(el, config);
    const layers = L.featureGroup();
    (data.grids || []).forEach(function (g) {
      gridLayer({ type: "Feature", geometry: g.geometry, properties: g }).addTo(layers);
    });
    if (data.sites) { siteLayer(data.sites).addTo(layers); }
    layers.addTo(map);
    const b = layers.getBounds();
    if (b.isValid()) { map.fitBounds(b.pad(0.2), { maxZoom: 17 }); } else { map.setView([34.81, 117.32], 12); }
  };

  // The grid map page: grids by level and sites loaded from the JSON endpoints.
  window.cwGridMap = function (elId, configId) {
    const el = document.getElementById(elId);
    const config = JSON.parse(document.getElementById(configId).textContent);
    const map = makeMap(el, config);
    map.setView([34.81, 117.4], 11);
    const overlays = {};
    const control = L.control.layers(null, overlays, { collapsed: false }).addTo(map);
    let sitesLayer = null;
    const labels = JSON.parse(el.dataset.labels);
    [1, 2, 3].forEach(function (level) {
      fetch(el.dataset.gridsUrl + "?level=" + level, { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (fc) {
          const layer = gridLayer(fc);
          if (level !== 2) { layer.addTo(map); }
          control.addOverlay(layer, labels["level" + level] + " (" + fc.features.length + ")");
          if (level === 1 && layer.getBounds().isValid()) { map.fitBounds(layer.getBounds()); }
          el.dataset["count" + level] = String(fc.features.length);
          el.dataset["loaded" + level] = "1";
        });
    });
    function loadSites() {
      const form = document.getElementById("map-filter");
      const params = new URLSearchParams(new FormData(form));
      fetch(el.dataset.sitesUrl + "?" + params.toString(), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          if (sitesLayer) { map.removeLayer(sitesLayer); control.removeLayer(sitesLayer); }
          sitesLayer = siteLayer(data.sites).addTo(map);
          control.addOverlay(sitesLayer, labels.sites + " (" + data.sites.length + ")");
          document.getElementById("site-count").textContent = data.sites.length;
          el.dataset.sitesLoaded = String(data.sites.length);
        });
    }
    document.getElementById("map-filter").addEventListener("submit", function (e) { e.preventDefault(); loadSites(); });
    loadSites();
  };
})();
