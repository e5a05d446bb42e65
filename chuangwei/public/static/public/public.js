// Citizen pages: text size switch, copy the tracking code, and the 随手拍 form (category
// grid, photos with previews, GPS or map pick with a draggable pin, nearby reports to
// follow, validate on submit). Points are WGS-84 (GPS and tile-less maps); a GCJ-02 map
// sets crs=gcj02 and the server converts. Tiles are optional.
(function () {
  "use strict";

  const sizes = ["standard", "large", "xlarge"];
  const fontSwitch = document.getElementById("font-switch");
  if (fontSwitch) {
    // The button names the current size (标准 / 大 / 特大); a tap moves to the next one.
    const showSize = function (size) {
      const label = fontSwitch.querySelector(".cw-p-font-level");
      const key = "label" + size.charAt(0).toUpperCase() + size.slice(1);
      label.textContent = fontSwitch.dataset[key] || fontSwitch.dataset.labelStandard;
      fontSwitch.dataset.size = size;
    };
    const current = localStorage.getItem("cw-font") || "standard";
    showSize(sizes.indexOf(current) < 0 ? "standard" : current);
    fontSwitch.addEventListener("click", function () {
      const now = localStorage.getItem("cw-font") || "standard";
      const next = sizes[(sizes.indexOf(now) + 1) % sizes.length];
      localStorage.setItem("cw-font", next);
      document.documentElement.className = "fs-" + next;
      showSize(next);
    });
  }

  document.addEventListener("click", function (event) {
    const btn = event.target.closest("[data-copy]");
    if (!btn) { return; }
    const done = function () { btn.textContent = btn.dataset.copied; };
    if (navigator.clipboard) { navigator.clipboard.writeText(btn.dataset.copy).then(done, done); } else { done(); }
  });

  function toast(text, error) {
    const box = document.querySelector(".cw-m-toasts");
    const t = document.createElement("div");
    t.className = "cw-m-toast" + (error ? " cw-m-toast-error" : "");
    t.setAttribute("role", "alert");
    t.textContent = text;
    box.appendChild(t);
    setTimeout(function () { t.remove(); }, 3000);
  }

  window.cwCitizenReport = function (formId, mapId, configId) {
    const form = document.getElementById(formId);
    const mapEl = document.getElementById(mapId);
    const config = JSON.parse(document.getElementById(configId).textContent);
    const lng = document.getElementById("id_lng");
    const lat = document.getElementById("id_lat");
    const crs = document.getElementById("id_crs");
    const status = document.getElementById("locate-status");
    const photos = document.getElementById("id_photos");
    const description = document.getElementById("id_description");
    function category() {
      const checked = form.querySelector("input[name=category]:checked");
      return checked ? checked.value : "";
    }

    function lookupNearby() {
      const box = document.getElementById("nearby");
      if (!category() || !lng.value || !lat.value) { box.classList.add("d-none"); return; }
      const params = new URLSearchParams({ category: category(), lng: lng.value, lat: lat.value, crs: crs.value });
      fetch(form.dataset.nearbyUrl + "?" + params.toString(), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          const list = document.getElementById("nearby-list");
          list.textContent = "";
          data.items.forEach(function (item) {
            const li = document.createElement("li");
            const a = document.createElement("a");
            a.href = item.url;
            a.textContent = item.stage + " · " + item.distance_m + "m · " + item.reported_at + " " + (item.description || "");
            li.appendChild(a);
            list.appendChild(li);
          });
          box.classList.toggle("d-none", data.items.length === 0);
        })
        .catch(function () { box.classList.add("d-none"); });
    }

    const picker = window.cwPointPicker({
      mapEl: mapEl, config: config, lng: lng, lat: lat, status: status,
      messages: { locating: form.dataset.msgLocating, located: form.dataset.msgLocated, denied: form.dataset.msgDenied },
      outlinesUrl: form.dataset.outlinesUrl,
      onPoint: function () {
        crs.value = "wgs84";
        document.getElementById("location-cell").classList.remove("is-invalid");
        lookupNearby();
      },
    });
    form.querySelectorAll("input[name=category]").forEach(function (input) {
      input.addEventListener("change", function () {
        document.getElementById("category-help").textContent = input.closest("label").title;
        form.querySelector(".cw-p-cats").classList.remove("is-invalid");
        lookupNearby();
      });
    });
    document.getElementById("relocate").addEventListener("click", picker.locate);

    function count() { document.getElementById("description-count").textContent = description.value.length; }
    description.addEventListener("input", count);
    count();

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
      photos.closest(".cw-m-cell").classList.remove("is-invalid");
    });

    form.addEventListener("submit", function (event) {
      const problems = [];
      if (!category()) { problems.push([form.querySelector(".cw-p-cats"), form.dataset.msgCategory]); }
      if (!photos.files.length) { problems.push([photos.closest(".cw-m-cell"), form.dataset.msgPhoto]); }
      if (!lng.value || !lat.value) { problems.push([document.getElementById("location-cell"), form.dataset.msgLocation]); }
      if (problems.length) {
        event.preventDefault();
        problems.forEach(function (p) { p[0].classList.add("is-invalid"); });
        toast(problems[0][1], true);
        return;
      }
      const submit = document.getElementById("report-submit");
      submit.disabled = true;
      submit.textContent = form.dataset.msgSubmitting;
    });
  };
})();
