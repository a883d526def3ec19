// xianbao review: link articles and their lines both ways; sort and filter the index. No network.
(function () {
  "use strict";
  function all(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }

  // A page: select an article from its card or from one of its lines.
  function select(n, from) {
    var card = document.getElementById("a" + n);
    if (!card) { return; }
    all(".on").forEach(function (el) { el.classList.remove("on"); });
    card.classList.add("on");
    var lines = all('#text [data-a~="' + n + '"]');
    lines.forEach(function (el) { el.classList.add("on"); });
    if (from !== "card") { card.scrollIntoView({ block: "nearest" }); }
    if (from !== "text" && lines.length) { lines[0].scrollIntoView({ block: "center" }); }
    history.replaceState(null, "", "#a" + n);
  }

  function step(delta) {
    var cards = all("article.card"), on = document.querySelector("article.card.on");
    var i = on ? cards.indexOf(on) + delta : 0;
    if (i >= 0 && i < cards.length) { select(cards[i].getAttribute("data-a"), "key"); }
  }

  function page() {
    var text = document.getElementById("text"), cards = document.getElementById("cards");
    text.addEventListener("click", function (e) {
      if (e.target.closest("a")) { return; }
      var owner = e.target.closest("[data-a]");
      if (owner) { select(owner.getAttribute("data-a").split(" ")[0], "text"); }
    });
    cards.addEventListener("click", function (e) {
      if (e.target.closest("a")) { return; }
      var card = e.target.closest("article.card");
      if (card) { select(card.getAttribute("data-a"), "card"); }
    });
    document.addEventListener("keydown", function (e) {
      if (e.ctrlKey || e.metaKey || e.altKey || /INPUT|TEXTAREA/.test(e.target.tagName)) { return; }
      var link = { n: 'a[rel="next"]', p: 'a[rel="prev"]' }[e.key];
      if (link && document.querySelector(link)) { document.querySelector(link).click(); }
      if (e.key === "j") { step(1); }
      if (e.key === "k") { step(-1); }
    });
    var hash = /^#a(\d+)$/.exec(location.hash);
    if (hash) { select(hash[1], "load"); }
    followFilter();
  }

  // prev/next follow the index's filter and sort order, when the index set one in this tab.
  var KEY = "xianbao-review-pages";
  function remember(show) {
    var pages = all("#pages tbody tr").filter(function (row) { return !row.hidden; })
      .map(function (row) { return row.querySelector("a").getAttribute("href").replace(/^pages\//, ""); });
    try { sessionStorage.setItem(KEY, JSON.stringify({ show: show, pages: pages })); } catch (e) { /* storage off */ }
  }

  function followFilter() {
    var saved = null;
    try { saved = JSON.parse(sessionStorage.getItem(KEY) || "null"); } catch (e) { return; }
    var here = location.pathname.split("/").pop(), i = saved ? saved.pages.indexOf(here) : -1;
    if (!saved || saved.show === "all" || i < 0) { return; }
    [["prev", i - 1], ["next", i + 1]].forEach(function (pair) {
      var link = document.querySelector('a[rel="' + pair[0] + '"]'), target = saved.pages[pair[1]];
      if (!link) { return; }
      if (target) { link.setAttribute("href", target); } else { link.removeAttribute("href"); link.className = "off"; }
      link.title = pair[0] + " page of the index's filter: " + saved.show;
    });
    var pos = document.querySelector(".pager .pos");
    if (pos) { pos.textContent = (i + 1) + " / " + saved.pages.length + " (" + saved.show + ")"; }
  }

  // The index: filter rows by problems/flags (or one code, one flag), sort by any column.
  function keep(row, show, expected) {
    var codes = (row.getAttribute("data-codes") || "").split(" ").filter(Boolean);
    var flags = (row.getAttribute("data-flags") || "").split(" ").filter(Boolean);
    if (show === "problems") { return codes.some(function (c) { return c !== expected; }); }
    if (show === "flags") { return flags.length > 0; }
    if (show === "either") { return codes.length + flags.length > 0; }
    if (show.indexOf("code:") === 0) { return codes.indexOf(show.slice(5)) >= 0; }
    if (show.indexOf("flag:") === 0) { return flags.indexOf(show.slice(5)) >= 0; }
    return true;
  }

  function filter(show) {
    var shown = 0, expected = document.getElementById("show").getAttribute("data-expected");
    all("#pages tbody tr").forEach(function (row) {
      var kept = keep(row, show, expected);
      row.hidden = !kept;
      shown += kept ? 1 : 0;
    });
    document.getElementById("shown").textContent = shown + " shown";
    history.replaceState(null, "", show === "all" ? location.pathname : "#show=" + encodeURIComponent(show));
    remember(show);
  }

  function sort(th) {
    var table = th.closest("table"), body = table.tBodies[0], col = th.cellIndex;
    var numeric = th.getAttribute("data-type") === "num";
    var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
    all("th", table).forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
    function key(row) {
      var cell = row.cells[col], v = cell.getAttribute("data-v");
      return numeric || v !== null ? Number(v !== null ? v : cell.textContent) : cell.textContent;
    }
    all("tr", body).map(function (row, i) { return [key(row), i, row]; })
      .sort(function (a, b) { return (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]) * dir; })
      .forEach(function (item) { body.appendChild(item[2]); });
    remember(document.getElementById("show").value);
  }

  function index() {
    var select = document.getElementById("show");
    all("#pages th").forEach(function (th) { th.addEventListener("click", function () { sort(th); }); });
    select.addEventListener("change", function () { filter(select.value); });
    var hash = /^#show=(.+)$/.exec(location.hash), wanted = hash ? decodeURIComponent(hash[1]) : "all";
    if (all("option", select).some(function (o) { return o.value === wanted; })) { select.value = wanted; }
    filter(select.value);
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (document.body.classList.contains("page")) { page(); } else { index(); }
  });
})();
