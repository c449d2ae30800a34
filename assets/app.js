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
    /* Save a chart as SVG with plotly's own exporter. */
    download_svg: function (n_clicks, graph_id, filename) {
      if (!n_clicks) { return window.dash_clientside.no_update; }
      const gd = document.querySelector("#" + CSS.escape(graph_id) + " .js-plotly-plot");
      if (gd && window.Plotly) { window.Plotly.downloadImage(gd, {format: "svg", filename: filename || "chart"}); }
      return n_clicks;
    }
  }
});
