/* Stacked rows on a phone (docs/persian-style.md, "Phones"): a table of class "stack-table" shows each
   row as a block, each cell labelled with its column's header. Templates may set data-label
   themselves; this fills in the rest from the <thead>. Served from the site itself (CSP script-src 'self'). */
document.querySelectorAll("table.stack-table").forEach(function (table) {
  var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
    return th.textContent.trim();
  });
  table.querySelectorAll("tbody tr").forEach(function (tr) {
    Array.prototype.forEach.call(tr.children, function (cell, i) {
      if (!cell.hasAttribute("data-label") && heads[i]) { cell.setAttribute("data-label", heads[i]); }
    });
  });
});
