/* Client-side helpers (served from assets/, so the Content-Security-Policy needs no inline code). */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  la_variation: {
    /* Keep the page's selections in the query string (shareable links; back button works).
       Arguments: the control values..., then the list of their query keys, then the release. */
    sync_url: function () {
      const args = Array.prototype.slice.call(arguments);
      const release = args.pop();
      const keys = args.pop() || [];
      const params = new URLSearchParams();
      keys.forEach(function (key, i) {
        const v = args[i];
        if (v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0)) { return; }
        params.set(key, Array.isArray(v) ? v.join(",") : String(v));
      });
      if (release) { params.set("release", release); }
      const search = "?" + params.toString();
      if (window.location.search !== search) {
        const url = window.location.pathname + search + window.location.hash;
        if (window.location.search === "" ) { window.history.replaceState(null, "", url); }
        else { window.history.pushState(null, "", url); }
      }
      return search;
    },
    /* Draw a table from figures.tables.table_payload into the element `target_id` (a Dash
       Div whose children Dash never sets). Built with DOM calls and textContent only, so text
       from the data can never run as markup; one table of a few hundred rows takes
       milliseconds, where the same table as Dash components took seconds to mount.
       Row headers with an address (data.links) become links that open their page inside the
       app (see the click handler at the end of this file).
       Returns the number of rows drawn ("" when cleared), written to the Div's data-rows. */
    draw_table: function (data, target_id) {
      const target = document.getElementById(target_id);
      if (!target) { return window.dash_clientside.no_update; }
      const cell = function (tag, text, column) {
        const el = document.createElement(tag);
        el.textContent = text;
        if (column && column.num) { el.className = "num"; }
        return el;
      };
      if (!data) { target.replaceChildren(); return ""; }
      if (!data.rows.length) { target.replaceChildren(cell("p", data.empty)); return "0"; }
      const table = document.createElement("table");
      table.className = "data";
      table.appendChild(cell("caption", data.caption));
      const head = document.createElement("tr");
      data.columns.forEach(function (column) {
        const th = cell("th", column.name, column);
        th.scope = "col";
        head.appendChild(th);
      });
      table.appendChild(document.createElement("thead")).appendChild(head);
      const marked = new Set(data.selected || []);
      const body = document.createElement("tbody");
      data.rows.forEach(function (row, i) {
        const tr = document.createElement("tr");
        if (marked.has(i)) { tr.className = "selected"; }
        row.forEach(function (text, j) {
          if (j === data.row_header) {
            const href = data.links && data.links[i];
            const th = cell("th", href ? "" : text, data.columns[j]);
            th.scope = "row";
            if (href) {
              const a = document.createElement("a");
              a.setAttribute("href", href);
              a.setAttribute("data-app-link", "");
              a.textContent = text;
              th.appendChild(a);
            }
            tr.appendChild(th);
          } else {
            tr.appendChild(cell("td", text, data.columns[j]));
          }
        });
        body.appendChild(tr);
      });
      table.appendChild(body);
      target.replaceChildren(table);
      return String(data.rows.length);
    },
    /* Save a chart as SVG with plotly's own exporter. */
    download_svg: function (n_clicks, graph_id, filename) {
      if (!n_clicks) { return window.dash_clientside.no_update; }
      const gd = document.querySelector("#" + CSS.escape(graph_id) + " .js-plotly-plot");
      if (gd && window.Plotly) { window.Plotly.downloadImage(gd, {format: "svg", filename: filename || "chart"}); }
      return n_clicks;
    }
  }
});

/* Links drawn by draw_table (a[data-app-link]) open their page inside the app, as dcc.Link
   does: no reload. A click with a modifier key or another button keeps the browser's own
   behaviour (open in a new tab or window). */
document.addEventListener("click", function (event) {
  const link = event.target && event.target.closest ? event.target.closest("a[data-app-link]") : null;
  if (!link || event.defaultPrevented || event.button !== 0) { return; }
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) { return; }
  event.preventDefault();
  window.history.pushState({}, "", link.getAttribute("href"));
  window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
  window.scrollTo(0, 0);
});
