// Management frame behaviour: sidebar collapse, text size, full screen, confirms, tabs, toasts.
(function () {
  "use strict";
  const html = document.documentElement;

  const collapse = document.getElementById("cw-collapse");
  if (collapse) {
    collapse.addEventListener("click", function () {
      html.classList.toggle("sidebar-collapsed");
      localStorage.setItem("cw-sidebar", html.classList.contains("sidebar-collapsed") ? "collapsed" : "open");
    });
  }

  document.querySelectorAll("[data-font]").forEach(function (btn) {
    btn.addEventListener("click", function () {
      const size = btn.getAttribute("data-font");
      html.classList.remove("fs-standard", "fs-large", "fs-xlarge");
      html.classList.add("fs-" + size);
      localStorage.setItem("cw-font", size);
    });
  });

  const fullscreen = document.getElementById("cw-fullscreen");
  if (fullscreen) {
    fullscreen.addEventListener("click", function () {
      if (document.fullscreenElement) { document.exitFullscreen(); } else { html.requestFullscreen(); }
    });
  }

  // One Bootstrap modal answers every confirmation (never window.confirm).
  const modalEl = document.getElementById("cw-confirm");
  function askConfirm(text, onOk) {
    if (!modalEl || !window.bootstrap) { onOk(); return; }
    modalEl.querySelector(".cw-confirm-text").textContent = text;
    const modal = bootstrap.Modal.getOrCreateInstance(modalEl);
    const ok = modalEl.querySelector(".cw-confirm-ok");
    const handler = function () { ok.removeEventListener("click", handler); modal.hide(); onOk(); };
    ok.addEventListener("click", handler);
    modal.show();
  }
  document.addEventListener("submit", function (event) {
    const form = event.target;
    const text = form.getAttribute("data-confirm");
    if (!text || form.dataset.confirmed === "1") { return; }
    event.preventDefault();
    askConfirm(text, function () { form.dataset.confirmed = "1"; form.requestSubmit ? form.requestSubmit() : form.submit(); });
  }, true);
  document.addEventListener("htmx:confirm", function (event) {
    const text = event.detail.question;
    if (!text) { return; }
    event.preventDefault();
    askConfirm(text, function () { event.detail.issueRequest(true); });
  });

  // Success toasts fade; errors stay until closed.
  document.querySelectorAll(".cw-autohide").forEach(function (el) {
    setTimeout(function () { el.classList.add("fade"); el.remove(); }, 3000);
  });

  // The export link follows the current filters after an htmx search.
  document.addEventListener("htmx:afterSettle", function () {
    const link = document.getElementById("export-link");
    if (link) {
      const params = new URLSearchParams(location.search);
      params.delete("page");
      params.set("export", "xlsx");
      link.setAttribute("href", "?" + params.toString());
    }
  });

  // Tab strip: visited pages kept per browser tab in sessionStorage, rendered as plain links.
  const tabs = document.getElementById("cw-tabs");
  if (tabs) {
    const key = "cw-tabs";
    const home = tabs.dataset.home;
    let list = [];
    try { list = JSON.parse(sessionStorage.getItem(key) || "[]"); } catch (e) { list = []; }
    const here = location.pathname;
    const title = (document.title.split(" · ")[0] || here).trim();
    if (here !== home && !list.some(function (t) { return t.url === here; })) { list.push({ url: here, title: title }); }
    list = list.slice(-12);
    sessionStorage.setItem(key, JSON.stringify(list));
    function render() {
      tabs.textContent = "";
      const all = [{ url: home, title: tabs.dataset.homeLabel, pinned: true }].concat(list);
      all.forEach(function (t) {
        const a = document.createElement("a");
        a.href = t.url;
        a.textContent = t.title;
        if (t.url === here) { a.classList.add("active"); }
        if (!t.pinned) {
          const x = document.createElement("span");
          x.className = "cw-tab-close";
          x.textContent = "×";
          x.setAttribute("role", "button");
          x.setAttribute("aria-label", "close");
          x.addEventListener("click", function (ev) {
            ev.preventDefault();
            list = list.filter(function (o) { return o.url !== t.url; });
            sessionStorage.setItem(key, JSON.stringify(list));
            if (t.url === here) { location.href = list.length ? list[list.length - 1].url : home; } else { render(); }
          });
          a.appendChild(x);
        }
        tabs.appendChild(a);
      });
    }
    render();
  }
})();
