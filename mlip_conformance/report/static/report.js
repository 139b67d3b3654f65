/* The report's few behaviours, in plain JavaScript: unfold a parametrized row, order the model
   columns and the check rows, filter rows, show a cell's checks with every number, sort the
   summary table.  The page reads fully without it (hover shows each message). */
"use strict";
(function () {
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var table = document.getElementById("matrix-table");
  var panel = document.getElementById("details");
  var each = function (list, f) { Array.prototype.forEach.call(list, f); };

  function esc(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;"}[c];
    });
  }

  // ---- fold, filter -------------------------------------------------------------------------
  function units(row) { return table.querySelectorAll("tr.unit[data-parent=\"" + row.id + "\"]"); }

  function expanded(row) {
    var button = row.querySelector("button.fold");
    return Boolean(button) && button.getAttribute("aria-expanded") === "true";
  }

  function applyFilters() {
    var failing = document.getElementById("only-failing").checked;
    var disagree = document.getElementById("only-disagree").checked;
    each(table.tBodies, function (body) {
      var shown = 0;
      each(body.querySelectorAll("tr.row"), function (row) {
        var hide = (failing && row.dataset.failing === "0") || (disagree && row.dataset.disagree === "0");
        row.hidden = hide;
        if (!hide) { shown += 1; }
        each(units(row), function (unit) { unit.hidden = hide || !expanded(row); });
      });
      body.hidden = shown === 0;
    });
  }

  function fold(row, open) {
    var button = row.querySelector("button.fold");
    if (!button) { return; }
    button.setAttribute("aria-expanded", open ? "true" : "false");
    button.textContent = open ? "▾" : "▸";
  }

  // ---- ordering ------------------------------------------------------------------------------
  function sortRows(key) {
    each(table.tBodies, function (body) {
      var rows = Array.prototype.slice.call(body.querySelectorAll("tr.row"));
      rows.sort(function (a, b) {
        var ka = key(a), kb = key(b);
        for (var i = 0; i < ka.length; i += 1) { if (ka[i] !== kb[i]) { return ka[i] - kb[i]; } }
        return 0;
      });
      rows.forEach(function (row) {
        body.appendChild(row);
        each(units(row), function (unit) { body.appendChild(unit); });
      });
    });
  }
  var bySuite = function (row) { return [Number(row.dataset.order)]; };
  var byFailures = function (row) {
    return [-Number(row.dataset.failing), -Number(row.dataset.checksFailing), Number(row.dataset.order)];
  };
  function byModel(m) {
    return function (row) { return [Number(row.dataset.ranks.split(",")[m]), Number(row.dataset.order)]; };
  }

  function orderModels(order) {
    each(document.querySelectorAll("#matrix-table tr"), function (tr) {
      var cells = {};
      each(tr.children, function (cell) { if (cell.dataset.m !== undefined) { cells[cell.dataset.m] = cell; } });
      if (Object.keys(cells).length) { order.forEach(function (m) { tr.appendChild(cells[m]); }); }
    });
  }
  var positions = data.models.map(function (_, m) { return m; });
  var modelOrders = {
    given: function () { return positions.slice(); },
    name: function () {
      return positions.slice().sort(function (a, b) { return data.models[a].localeCompare(data.models[b]); });
    },
    failures: function () {
      return positions.slice().sort(function (a, b) { return data.failures[a] - data.failures[b] || a - b; });
    }
  };

  function press(group, button) {
    each(document.querySelectorAll("[" + group + "]"), function (b) { b.classList.toggle("on", b === button); });
  }

  // ---- a cell's checks -----------------------------------------------------------------------
  function number(value) {
    if (value === null || value === undefined) { return "–"; }
    if (value === 0) { return "0"; }
    return Math.abs(value) >= 1e-3 && Math.abs(value) < 1e6 ? String(Number(value.toPrecision(6))) : value.toExponential(4);
  }

  function measurements(check) {
    if (!check.measurements.length) { return ""; }
    var rows = check.measurements.map(function (m) {
      return "<tr" + (m.key === check.key ? " class=\"deciding\" title=\"the deciding number\"" : "") + "><td><code>" +
        esc(m.key) + "</code></td><td>" + esc(m.quantity) + "</td><td class=\"n\">" + number(m.measured) +
        "</td><td class=\"n\">" + number(m.reference) + "</td><td class=\"n\">" + number(m.tolerance) +
        "</td><td>" + esc(m.units) + "</td></tr>";
    }).join("");
    return "<table class=\"numbers\"><thead><tr><th>key</th><th>quantity</th><th>measured</th><th>reference</th>" +
      "<th>tolerance</th><th>units</th></tr></thead><tbody>" + rows + "</tbody></table>";
  }

  function showDetails(cell) {
    var m = Number(cell.dataset.m);
    var indices = cell.dataset.c ? cell.dataset.c.split(",").map(Number) : [];
    var row = cell.parentNode;
    var html = "<button type=\"button\" class=\"close\" aria-label=\"close\">×</button><h3><span class=\"swatch\" " +
      "style=\"background:" + esc(data.colours[m]) + "\"></span>" + esc(data.models[m]) + "</h3><p class=\"row-title\">" +
      esc(row.dataset.title) + "</p>";
    if (!indices.length) { html += "<p>" + esc(cell.title) + "</p>"; }
    indices.forEach(function (i) {
      var check = data.checks[m][i];
      html += "<div class=\"one st-" + check.status.replace(/ /g, "-") + "\"><div class=\"head\"><span class=\"chip st-" +
        check.status.replace(/ /g, "-") + "\">" + esc(check.status) + "</span> <code>" + esc(check.id) + "</code></div>" +
        (check.message ? "<pre class=\"message\">" + esc(check.message) + "</pre>" : "") + measurements(check) + "</div>";
    });
    panel.innerHTML = html;
    panel.hidden = false;
    panel.focus();
  }

  // ---- events --------------------------------------------------------------------------------
  table.addEventListener("click", function (event) {
    var button = event.target.closest("button.fold");
    if (button) {
      var row = button.closest("tr");
      fold(row, !expanded(row));
      applyFilters();
      return;
    }
    var head = event.target.closest("th.model");
    if (head) {
      sortRows(byModel(Number(head.dataset.m)));
      press("data-order-checks", null);
      return;
    }
    var cell = event.target.closest("td.cell");
    if (cell) { showDetails(cell); }
  });
  panel.addEventListener("click", function (event) {
    if (event.target.closest("button.close")) { panel.hidden = true; }
  });
  document.addEventListener("keydown", function (event) { if (event.key === "Escape") { panel.hidden = true; } });
  each(document.querySelectorAll("[data-order-models]"), function (button) {
    button.addEventListener("click", function () {
      orderModels(modelOrders[button.dataset.orderModels]());
      press("data-order-models", button);
    });
  });
  each(document.querySelectorAll("[data-order-checks]"), function (button) {
    button.addEventListener("click", function () {
      sortRows(button.dataset.orderChecks === "failures" ? byFailures : bySuite);
      press("data-order-checks", button);
    });
  });
  document.getElementById("only-failing").addEventListener("change", applyFilters);
  document.getElementById("only-disagree").addEventListener("change", applyFilters);
  document.getElementById("unfold-all").addEventListener("click", function () {
    each(table.querySelectorAll("tr.row"), function (row) { fold(row, true); });
    applyFilters();
  });
  document.getElementById("fold-all").addEventListener("click", function () {
    each(table.querySelectorAll("tr.row"), function (row) { fold(row, false); });
    applyFilters();
  });

  // ---- the summary table: click a column head to sort ----------------------------------------
  each(document.querySelectorAll("table.sortable"), function (sortable) {
    each(sortable.querySelectorAll("th[data-sort]"), function (th) {
      th.addEventListener("click", function () {
        var column = th.cellIndex, numeric = th.dataset.sort === "num";
        var down = th.getAttribute("aria-sort") !== "ascending";
        var body = sortable.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[column].dataset.v, y = b.cells[column].dataset.v;
          var order = numeric ? Number(x) - Number(y) : x.localeCompare(y);
          return down ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
        each(sortable.querySelectorAll("th"), function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", down ? "ascending" : "descending");
      });
    });
  });

  // ---- self-check: what a headless browser reads back (--dump-dom) ---------------------------
  window.addEventListener("load", function () {
    var figures = document.querySelectorAll("figure.curve img");
    var drawn = 0;
    each(figures, function (img) { if (img.complete && img.naturalWidth > 0) { drawn += 1; } });
    document.body.dataset.figuresDrawn = drawn + "/" + figures.length;
    if (location.hash === "#selftest") {
      var steps = [];
      document.querySelector("[data-order-checks=failures]").click();
      steps.push("sorted");
      document.querySelector("[data-order-models=failures]").click();
      steps.push("models ordered");
      var fold1 = table.querySelector("button.fold");
      if (fold1) { fold1.click(); steps.push("unfolded " + units(fold1.closest("tr")).length + " ids"); }
      var cell = table.querySelector("td.cell.st-failed") || table.querySelector("td.cell");
      if (cell) { cell.click(); steps.push("details " + (panel.hidden ? "hidden" : "shown")); }
      document.getElementById("only-failing").click();
      steps.push("filtered to " + table.querySelectorAll("tr.row:not([hidden])").length + " rows");
      document.body.dataset.selftest = steps.join("; ");
    }
    document.body.dataset.ready = "yes";
  });
})();
