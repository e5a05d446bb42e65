// Ledger pages: date shortcuts and bulk selection on the list, the problem map, the phone
// report form (GPS + draggable pin, nearby duplicates, validate on submit) and device GPS for
// photo actions. Storage is WGS-84 [lng, lat]; Leaflet wants [lat, lng]. Tiles are optional.
(function () {
  "use strict";

  function pad(n) { return String(n).padStart(2, "0"); }
  function isoDate(d) { return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()); }

  // List: 今天 / 最近7天 / 最近30天 / 本月 fill the two date inputs.
  document.addEventListener("click", function (event) {
    const btn = event.target.closest(".cw-date-shortcuts [data-range]");
    if (!btn) { return; }
    const box = btn.closest(".cw-date-shortcuts");
    const today = new Date();
    let start = new Date(today);
    const range = btn.dataset.range;
    if (range === "month") { start = new Date(today.getFullYear(), today.getMonth(), 1); }
    else if (range !== "today") { start.setDate(today.getDate() - (parseInt(range, 10) - 1)); }
    document.getElementById(box.dataset.after).value = isoDate(start);
    document.getElementById(box.dataset.before).value = isoDate(today);
  });

  // List: check-all, and the bulk buttons need at least one checked row.
  function refreshBulk() {
    const checked = document.querySelectorAll(".cw-row-check:checked").length;
    document.querySelectorAll(".cw-bulk").forEach(function (b) { b.disabled = checked === 0; });
  }
  document.addEventListener("change", function (event) {
    if (event.target.id === "check-all") {
      document.querySelectorAll(".cw-row-check").forEach(function (c) { c.checked = event.target.checked; });
    }
    if (event.target.id === "check-all" || event.target.classList.contains("cw-row-check")) { refreshBulk(); }
  });
  document.addEventListener("htmx:afterSettle", function () {
    refreshBulk();
    const link = document.getElementById("map-link");
    if (link) { link.setAttribute("href", link.getAttribute("href").split("?")[0] + location.search); }
  });

  const addTiles = window.cwMapTiles;
  const gridOutlines = window.cwGridOutlines;

  // The problem map: the list's filter, points coloured by status, small-grid outlines.
  window.cwProblemMap = function (elId, configId) {
    const el = document.getElementById(elId);
    const config = JSON.parse(document.getElementById(configId).textContent);
    const map = L.map(el, { preferCanvas: true, zoomSnap: 0.25 });
    addTiles(map, config);
    L.control.scale({ imperial: false }).addTo(map);
    map.setView([34.81, 117.4], 11);
    gridOutlines(el.dataset.gridsUrl + "?level=3", map, false);
    const detail = el.dataset.detailUrl.replace(/0\/$/, "");
    let points = null;
    function load() {
      const form = document.getElementById("map-filter");
      const params = new URLSearchParams(new FormData(form));
      Array.from(params.keys()).forEach(function (k) { if (!params.get(k)) { params.delete(k); } });
      fetch(el.dataset.pointsUrl + "?" + params.toString(), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          if (points) { map.removeLayer(points); }
          points = L.featureGroup();
          data.points.forEach(function (p) {
            const m = L.circleMarker([p[1], p[0]], { radius: 5, color: "#fff", weight: 1, fillColor: p[5], fillOpacity: 0.9 });
            const a = document.createElement("a");
            a.href = detail + p[4] + "/";
            a.textContent = p[2];
            const box = document.createElement("div");
            box.appendChild(a);
            box.appendChild(document.createElement("br"));
            box.appendChild(document.createTextNode(p[3]));
            m.bindPopup(box);
            points.addLayer(m);
          });
          points.addTo(map);
          if (points.getBounds().isValid()) { map.fitBounds(points.getBounds().pad(0.1), { maxZoom: 16 }); }
          document.getElementById("point-count").textContent = data.points.length;
          document.getElementById("point-truncated").classList.toggle("d-none", !data.truncated);
          el.dataset.loaded = String(data.points.length);
          const list = document.getElementById("list-link");
          if (list) { list.href = list.href.split("?")[0] + "?" + params.toString(); }
          history.replaceState(null, "", "?" + params.toString());
        });
    }
    document.getElementById("map-filter").addEventListener("submit", function (e) { e.preventDefault(); load(); });
    load();
  };

  // Phone report form.
  window.cwReportForm = function (formId, mapId, configId) {
    const form = document.getElementById(formId);
    const mapEl = document.getElementById(mapId);
    const config = JSON.parse(document.getElementById(configId).textContent);
    const lng = document.getElementById("id_lng");
    const lat = document.getElementById("id_lat");
    const status = document.getElementById("locate-status");
    const category = form.querySelector("select[name=category]");
    const photos = document.getElementById("id_photos");

    function toast(text, error) {
      const box = document.querySelector(".cw-m-toasts");
      const t = document.createElement("div");
      t.className = "cw-m-toast" + (error ? " cw-m-toast-error" : "");
      t.textContent = text;
      box.appendChild(t);
      setTimeout(function () { t.remove(); }, 2500);
    }

    function lookupNearby() {
      const box = document.getElementById("nearby");
      if (!category.value || !lng.value || !lat.value) { box.classList.add("d-none"); return; }
      const params = new URLSearchParams({ category: category.value, lng: lng.value, lat: lat.value });
      fetch(form.dataset.nearbyUrl + "?" + params.toString(), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          const list = document.getElementById("nearby-list");
          list.textContent = "";
          data.items.forEach(function (item) {
            const li = document.createElement("li");
            const label = item.code + " · " + item.status + " · " + Math.round(item.distance_m) + "m " + (item.description || "");
            if (item.url) {
              const a = document.createElement("a");
              a.href = item.url;
              a.textContent = label;
              li.appendChild(a);
            } else {
              li.textContent = label;
            }
            list.appendChild(li);
          });
          box.classList.toggle("d-none", data.items.length === 0);
        });
    }

    const picker = window.cwPointPicker({
      mapEl: mapEl, config: config, lng: lng, lat: lat, status: status,
      messages: { locating: form.dataset.msgLocating, located: form.dataset.msgLocated, denied: form.dataset.msgDenied },
      outlinesUrl: mapEl.dataset.gridsUrl + "?level=3",
      onPoint: function () {
        form.querySelector("#report-map").closest(".cw-m-cell").classList.remove("is-invalid");
        lookupNearby();
      },
    });
    category.addEventListener("change", lookupNearby);
    document.getElementById("relocate").addEventListener("click", picker.locate);

    photos.addEventListener("change", function () {
      const box = document.getElementById("photo-previews");
      box.querySelectorAll(".cw-m-thumb").forEach(function (img) { img.remove(); });
      Array.from(photos.files).forEach(function (file) {
        const img = document.createElement("img");
        img.className = "cw-m-thumb";
        img.alt = file.name;
        img.src = URL.createObjectURL(file);
        box.insertBefore(img, box.lastElementChild);
      });
    });

    form.addEventListener("submit", function (event) {
      const problems = [];
      if (!category.value) { problems.push([category, form.dataset.msgCategory]); }
      if (!lng.value || !lat.value) { problems.push([mapEl, form.dataset.msgLocation]); }
      form.querySelectorAll(".cw-m-cell").forEach(function (c) { c.classList.remove("is-invalid"); });
      if (problems.length) {
        event.preventDefault();
        problems.forEach(function (p) { p[0].closest(".cw-m-cell").classList.add("is-invalid"); });
        toast(problems[0][1], true);
        return;
      }
      const submit = document.getElementById("report-submit");
      submit.disabled = true;
      submit.textContent = form.dataset.msgSubmitting;
    });
  };

  // Photo actions on the detail page send the device position with the photos.
  document.addEventListener("change", function (event) {
    const input = event.target;
    if (!input.matches(".cw-action-form input[type=file]") || !navigator.geolocation) { return; }
    const form = input.closest("form");
    navigator.geolocation.getCurrentPosition(function (pos) {
      const lngField = form.querySelector("input[name=client_lng]");
      const latField = form.querySelector("input[name=client_lat]");
      if (lngField && latField) {
        lngField.value = pos.coords.longitude.toFixed(7);
        latField.value = pos.coords.latitude.toFixed(7);
      }
    }, function () { /* the photos go without a device position */ }, { timeout: 8000, maximumAge: 60000 });
  });
})();
