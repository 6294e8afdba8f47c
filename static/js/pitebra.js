/* PiteBra's small enhancements. Every page works without them (links and forms do the same
   on the server); nothing here is inline, so a strict Content-Security-Policy holds. */
(function () {
  "use strict";

  function each(selector, fn, root) {
    Array.prototype.forEach.call((root || document).querySelectorAll(selector), fn);
  }

  // A form that only carries an answer on (<form data-auto-submit>, the SAML answer posted
  // again from our own page): sent at once; without JavaScript its button does it.
  function autoSubmit() {
    each("form[data-auto-submit]", function (form) { form.submit(); });
  }

  // Print buttons (<button data-print hidden>): shown only when they can work.
  function printButtons() {
    each("[data-print]", function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
    // Collapsed sections are printed open.
    window.addEventListener("beforeprint", function () {
      each("details:not([open])", function (d) { d.setAttribute("open", ""); d.dataset.printOpened = "1"; });
    });
    window.addEventListener("afterprint", function () {
      each("details[data-print-opened]", function (d) { d.removeAttribute("open"); delete d.dataset.printOpened; });
    });
  }

  // Filter chips (<a data-filter="reason">) over a table whose rows carry data-reasons.
  function filterChips() {
    var table = document.querySelector("[data-filter-table]");
    if (!table) { return; }
    var chips = document.querySelectorAll("[data-filter]");
    each("[data-filter]", function (chip) {
      chip.addEventListener("click", function (event) {
        event.preventDefault();
        var reason = chip.dataset.filter;
        each("tbody tr", function (row) {
          row.hidden = reason !== "" && (" " + row.dataset.reasons + " ").indexOf(" " + reason + " ") < 0;
        }, table);
        Array.prototype.forEach.call(chips, function (other) {
          var on = other === chip;
          if (on) { other.setAttribute("aria-current", "true"); } else { other.removeAttribute("aria-current"); }
        });
        history.replaceState(null, "", chip.getAttribute("href"));
      });
    });
  }

  // Sortable columns: <th data-sort="text|number|date"> in a table with data-sortable; the
  // header's text becomes a button; rows sort by the cell's data-value or its text.
  function sortableTables() {
    each("table[data-sortable]", function (table) {
      each("thead th[data-sort]", function (th) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "sort-button";
        while (th.firstChild) { button.appendChild(th.firstChild); }
        th.appendChild(button);
        button.addEventListener("click", function () {
          var index = Array.prototype.indexOf.call(th.parentNode.children, th);
          var ascending = th.getAttribute("aria-sort") !== "ascending";
          each("thead th[aria-sort]", function (other) { other.removeAttribute("aria-sort"); }, table);
          th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
          var kind = th.dataset.sort;
          function key(row) {
            var cell = row.children[index];
            var value = cell ? (cell.dataset.value || cell.textContent.trim()) : "";
            return kind === "number" ? parseFloat(value) || 0 : value.toLocaleLowerCase("sv");
          }
          // Each <tbody> (a strategy) sorts on its own; its heading row stays first.
          Array.prototype.forEach.call(table.tBodies, function (body) {
            var rows = Array.prototype.filter.call(body.rows, function (r) { return !r.hasAttribute("data-fixed"); });
            rows.sort(function (a, b) {
              var x = key(a), y = key(b);
              var order = kind === "number" ? x - y : String(x).localeCompare(String(y), "sv");
              return ascending ? order : -order;
            });
            rows.forEach(function (row) { body.appendChild(row); });
          });
        });
      }, table);
    });
  }

  // A filter box above a long checkbox list (<div class="checkbox-list" data-filterable>).
  function checkboxFilters() {
    each(".checkbox-list[data-filterable]", function (list) {
      var input = document.createElement("input");
      input.type = "search";
      input.className = "form-control form-control-sm checkbox-list-filter";
      input.setAttribute("aria-label", list.dataset.filterLabel || "Filter");
      input.placeholder = list.dataset.filterLabel || "";
      list.parentNode.insertBefore(input, list);
      input.addEventListener("input", function () {
        var needle = input.value.trim().toLocaleLowerCase("sv");
        each(".form-check", function (item) {
          item.hidden = needle !== "" && item.textContent.toLocaleLowerCase("sv").indexOf(needle) < 0;
        }, list);
      });
    });
  }

  // "Add another" for Django formsets: <div data-formset="prefix"> holding rows marked
  // data-formset-row and a <template data-formset-empty> with __prefix__ in it.
  function formsets() {
    each("[data-formset]", function (box) {
      var prefix = box.dataset.formset;
      var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
      var template = box.querySelector("template[data-formset-empty]");
      var button = box.querySelector("[data-formset-add]");
      if (!total || !template || !button) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        var index = parseInt(total.value, 10);
        var html = template.innerHTML.replace(/__prefix__/g, String(index));
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var rows = box.querySelector("[data-formset-rows]") || box;
        while (holder.firstChild) { rows.appendChild(holder.firstChild); }
        total.value = String(index + 1);
        var first = rows.lastElementChild && rows.lastElementChild.querySelector("input, select, textarea");
        if (first) { first.focus(); }
      });
    });
  }

  // Drag and drop to reorder a plan's activities within a strategy: a shortcut over the
  // "Move up" / "Move down" buttons in each row's menu (which stay the keyboard's way). The
  // row's move form is posted once per step, then the page reloads in its new order.
  function reorderRows() {
    var moveForm = document.getElementById("move-form");
    if (!moveForm) { return; }
    each("tbody[data-reorder]", function (body) {
      var dragged = null;
      var from = -1;
      function movable() { return Array.prototype.slice.call(body.querySelectorAll("tr[id^='activity-']")); }
      movable().forEach(function (row) {
        row.draggable = true;
        row.addEventListener("dragstart", function (event) {
          dragged = row;
          from = movable().indexOf(row);
          row.classList.add("dragging");
          event.dataTransfer.effectAllowed = "move";
          event.dataTransfer.setData("text/plain", row.id);
        });
        row.addEventListener("dragend", function () { row.classList.remove("dragging"); });
      });
      body.addEventListener("dragover", function (event) {
        if (!dragged) { return; }
        event.preventDefault();
        var target = event.target.closest("tr[id^='activity-']");
        if (!target || target === dragged || target.parentNode !== body) { return; }
        var box = target.getBoundingClientRect();
        var after = event.clientY > box.top + box.height / 2;
        body.insertBefore(dragged, after ? target.nextSibling : target);
      });
      body.addEventListener("drop", function (event) {
        if (!dragged) { return; }
        event.preventDefault();
        var row = dragged;
        dragged = null;
        var steps = movable().indexOf(row) - from;
        if (steps === 0) { return; }
        var token = document.querySelector("#move-form input[name=csrfmiddlewaretoken]");
        var direction = steps < 0 ? "up" : "down";
        var chain = Promise.resolve();
        for (var i = 0; i < Math.abs(steps); i++) {
          chain = chain.then(function () {
            var data = new FormData();
            data.append("csrfmiddlewaretoken", token ? token.value : "");
            data.append("direction", direction);
            var url = moveForm.dataset.action.replace("{pk}", row.id.replace("activity-", ""));
            return fetch(url, { method: "POST", body: data, credentials: "same-origin" });
          });
        }
        chain.then(function () { window.location.hash = row.id; window.location.reload(); });
      });
    });
  }

  // "Change status" in a plan row (<a data-status-dialog="light" href=".../followup/#status">)
  // opens the page's one status form in a dialog, set to that row; without JavaScript the
  // link leads to the activity's follow-up page and its status form.
  function statusDialog() {
    var dialog = document.getElementById("status-dialog");
    if (!dialog || typeof dialog.showModal !== "function") { return; }
    var form = dialog.querySelector("form");
    var opener = null;
    each("[data-status-dialog]", function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        var row = link.closest("tr");
        opener = link;
        form.action = link.pathname.replace(/followup\/$/, "status/");
        form.elements.next.value = window.location.pathname + window.location.search + "#" + row.id;
        form.elements.status.value = link.closest("td").dataset.value;
        form.elements.traffic_light.value = link.dataset.statusDialog;
        form.elements.comment.value = "";
        dialog.querySelector("[data-activity-title]").textContent = row.querySelector("th a").textContent;
        dialog.showModal();
        form.elements.status.focus();
      });
    });
    each("[data-dialog-close]", function (button) {
      button.addEventListener("click", function () { dialog.close(); });
    }, dialog);
    dialog.addEventListener("close", function () { if (opener) { opener.focus(); } });
  }

  // A plan row's "Actions" (<a data-row-menu href="activity page">): one shared menu, shown
  // under the row's button as a disclosure (Tab walks into it, Escape closes it). Without
  // JavaScript the link leads to the activity's page, which offers the same actions.
  function rowMenu() {
    var menu = document.getElementById("row-menu");
    if (!menu) { return; }
    var current = null;
    function close(refocus) {
      if (!current) { return; }
      current.setAttribute("aria-expanded", "false");
      menu.hidden = true;
      if (refocus) { current.focus(); }
      current = null;
    }
    function open(button) {
      var pk = button.closest("tr").id.replace("activity-", "");
      each("[data-href]", function (a) { a.href = a.dataset.href.replace("{pk}", pk); }, menu);
      each("[data-formaction]", function (b) { b.formAction = b.dataset.formaction.replace("{pk}", pk); }, menu);
      button.after(menu);
      menu.hidden = false;
      button.setAttribute("aria-expanded", "true");
      current = button;
    }
    each("[data-row-menu]", function (button) {
      button.setAttribute("role", "button");
      button.setAttribute("aria-expanded", "false");
      button.setAttribute("aria-controls", "row-menu");
      button.addEventListener("click", function (event) {
        event.preventDefault();
        var same = current === button;
        close(false);
        if (!same) { open(button); }
      });
      button.addEventListener("keydown", function (event) {
        if (event.key === " ") { event.preventDefault(); button.click(); }
      });
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && current) { close(true); }
    });
    document.addEventListener("click", function (event) {
      if (current && !menu.contains(event.target) && event.target !== current) { close(false); }
    });
  }

  function copyButtons() {
    // "Copy": the secret to paste into the authenticator app on the same phone.
    each("[data-copy]", function (button) {
      if (!navigator.clipboard) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(button.dataset.copy.replace(/ /g, "")).then(function () {
          button.textContent = button.dataset.copied;
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    copyButtons();
    rowMenu();
    statusDialog();
    reorderRows();
    printButtons();
    filterChips();
    sortableTables();
    checkboxFilters();
    formsets();
    autoSubmit();
  });
})();
