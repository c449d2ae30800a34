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
    /* Save a chart as SVG or PNG with plotly's own exporter: a copy of the figure that carries
       its title, period, source and licence (layout.meta.export, set by figures.style.
       with_export; else the block's heading and the page's address), named after the LA,
       indicator and period. The chart on the page is not changed. */
    download_svg: function (n_clicks, graph_id, title) {
      return la_variation_export(n_clicks, graph_id, title, "svg");
    },
    download_png: function (n_clicks, graph_id, title) {
      return la_variation_export(n_clicks, graph_id, title, "png");
    }
  }
});

/* Links drawn by draw_table (a[data-app-link]) open their page inside the app, as dcc.Link
   does: no reload (through the browser's history, which dcc.Location follows). A click with a
   modifier key or another button keeps the browser's own behaviour (open in a new tab or
   window). */
document.addEventListener("click", function (event) {
  const link = event.target && event.target.closest ? event.target.closest("a[data-app-link]") : null;
  if (!link || event.defaultPrevented || event.button !== 0) { return; }
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) { return; }
  const url = new URL(link.getAttribute("href"), window.location.href);
  if (url.origin !== window.location.origin) { return; }
  event.preventDefault();
  /* The address goes into the browser's history, and the page's dcc.Location is told as when
     the reader goes back or forward (a popstate event): it takes the address, and Dash's
     router draws the page. */
  window.history.pushState({}, "", url.pathname + url.search);
  window.dispatchEvent(new PopStateEvent("popstate", {state: {}}));
  window.scrollTo(0, 0);
});

const OGL_LINE = "Contains public sector information licensed under the Open Government Licence v3.0.";

/* Text for plotly's label renderer, which reads a few tags: no markup from the data. */
function plain_text(text) {
  return String(text || "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/* A file name from the page's LA, indicator and period when the figure names none. */
function export_filename(title) {
  const params = new URLSearchParams(window.location.search);
  const parts = [params.get("la"), params.get("indicator"), params.get("period"), title];
  const text = parts.filter(Boolean).join("-").replace(/[^A-Za-z0-9_-]+/g, "_");
  return text.slice(0, 150) || "chart";
}

function la_variation_export(n_clicks, graph_id, heading, format) {
  if (!n_clicks) { return window.dash_clientside.no_update; }
  const waiting = window.la_variation_charts.pending(document.getElementById(graph_id));
  if (waiting) {  /* not drawn yet (below the fold) or not come yet: draw it, then save it */
    window.la_variation_charts.drawNow(waiting).then(function () {
      la_variation_export(n_clicks, graph_id, heading, format);
    });
    return n_clicks;
  }
  const gd = document.querySelector("#" + CSS.escape(graph_id) + " .js-plotly-plot");
  if (!gd || !window.Plotly || !gd.data) { return n_clicks; }
  const full = gd._fullLayout || {};
  const meta = (gd.layout.meta && gd.layout.meta.export) || {};
  const title = meta.title || heading || document.title;
  const period = meta.period || "";
  const source = meta.source || "Source: Department for Education and ONS statistics, via la-variation";
  const layout = JSON.parse(JSON.stringify(gd.layout));
  const margin = Object.assign({l: 60, r: 20, t: 60, b: 50}, layout.margin || {});
  const width = Math.max(full.width || 900, 700);
  const height = (full.height || layout.height || 440) + 110;
  layout.title = {
    text: "<b>" + plain_text(title) + "</b>" + (period ? "<br><span style='font-size:12px'>" + plain_text(period) + "</span>" : ""),
    x: 0.01, xanchor: "left", y: 0.985, yanchor: "top", font: {size: 15}
  };
  layout.margin = Object.assign({}, margin, {t: margin.t + 40, b: margin.b + 70});
  layout.annotations = (layout.annotations || []).concat([{
    text: plain_text(source) + "<br>" + plain_text(meta.licence || OGL_LINE),
    xref: "paper", yref: "paper", x: 0, y: 0, xanchor: "left", yanchor: "top",
    yshift: -(margin.b + 10), showarrow: false, align: "left", font: {size: 11, color: "#505a5f"}
  }]);
  layout.width = width;
  layout.height = height;
  window.Plotly.downloadImage(
    {data: gd.data, layout: layout},
    {format: format, filename: meta.filename || export_filename(title), width: width, height: height}
  );
  return n_clicks;
}

/* Keyboard on a native <select>: the arrow keys (and typing) only browse; the choice is made
   with Enter, or by leaving the control (Tab). Without this every arrow press is a change, and
   every change reloads the page's charts (5 s for the LA picker). A change made with the
   mouse or a touch screen is passed on at once, as before. */
(function () {
  const PASS = {Tab: true, Enter: true, Escape: true, Shift: true, Control: true, Alt: true, Meta: true};
  const commit = function (select) {
    if (!select.dataset.pendingChange) { return; }
    delete select.dataset.pendingChange;
    delete select.dataset.browsing;
    select.dispatchEvent(new Event("change", {bubbles: true}));
  };
  window.addEventListener("keydown", function (event) {
    const select = event.target;
    if (!select || select.tagName !== "SELECT") { return; }
    if (event.key === "Enter" && select.dataset.pendingChange) {
      event.preventDefault();
      commit(select);
    } else if (!PASS[event.key] && event.key !== " " && !event.altKey) {
      select.dataset.browsing = "1";
    }
  }, true);
  window.addEventListener("change", function (event) {
    const select = event.target;
    if (!select || select.tagName !== "SELECT" || !event.isTrusted || !select.dataset.browsing) { return; }
    event.stopImmediatePropagation();
    select.dataset.pendingChange = "1";
  }, true);
  window.addEventListener("focusout", function (event) {
    const select = event.target;
    if (select && select.tagName === "SELECT") { commit(select); delete select.dataset.browsing; }
  }, true);
  window.addEventListener("mousedown", function (event) {
    const select = event.target && event.target.closest ? event.target.closest("select") : null;
    if (select) { delete select.dataset.browsing; }
  }, true);
})();

/* Plotly's toolbar buttons are for the mouse: out of the tab order (each chart's own buttons,
   "Download data", "Save chart as SVG/PNG" and its table, are what the keyboard reaches). */
new MutationObserver(function () {
  document.querySelectorAll(".modebar-btn:not([tabindex='-1'])").forEach(function (button) {
    button.setAttribute("tabindex", "-1");
  });
}).observe(document.documentElement, {childList: true, subtree: true});

/* plotly.js on the pages that draw charts: the page preloads it (dash_app.PublicDash) and this
   runs it just after Dash's renderer has asked for the layout (which carries the page and its
   charts: layouts.first_page), so that evaluating it overlaps the server's work instead of
   delaying the request. dcc.Graph uses window.Plotly when it exists,
   else it adds its own plotly.js script; here window.Plotly, until the bundle has run, is the
   promise of it (dcc.Graph waits on it: Promise.resolve adopts it), so the bundle is run once
   whichever asks first. The bundle's own "var Plotly" then sets the real one (and the chart
   drawing below wraps it). A page without the preload (no charts) leaves window.Plotly unset:
   dcc.Graph loads plotly.js itself if a chart page is opened from it. */
(function () {
  const link = document.querySelector("link[rel=preload][data-plotly-bundle]");
  let plotly;
  let loading = null;
  const run = function () {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        const script = document.createElement("script");
        script.src = link.href;
        script.setAttribute("data-plotly-bundle", "");
        script.onload = function () { resolve(plotly); };
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return loading;
  };
  Object.defineProperty(window, "Plotly", {
    configurable: true,
    get: function () { return plotly || (link ? run() : undefined); },
    set: function (value) {
      plotly = value;
      if (window.la_variation_charts) { window.la_variation_charts.wrap(value); }
    }
  });
  if (!link) { return; }
  const fetch = window.fetch;
  window.fetch = function (resource) {
    const answer = fetch.apply(this, arguments);
    if (String((resource && resource.url) || resource).indexOf("_dash-layout") !== -1) {
      window.fetch = fetch;  /* the renderer's first request: the page is being answered */
      setTimeout(run, 0);
    }
    return answer;
  };
})();

/* Charts below the fold are drawn when they come near the window, not with the page: plotly
   draws every chart of a page in one go (60-100 ms each here), so the first chart and the
   controls waited for all of them. dcc.Graph draws through window.Plotly.react; this wraps it
   when plotly.js defines window.Plotly. A first draw is put off (its graph marked
   data-chart-waiting, dcc.Graph's promise left pending, so its later changes queue behind
   it) unless the graph is within a screen and a bit of the window or is the page's first
   chart; it runs as soon as the graph scrolls within LAZY_MARGIN of the window, before the
   page is printed, before the chart is saved (la_variation_export), or when
   window.la_variation_charts.drawAll() is called. A graph already drawn is redrawn at once.
   (window.Plotly's setter, above, calls wrap.)
   The server computes only a page's first chart with it (callbacks.initial): the block of
   every other chart carries data-chart-put-off, naming its "wanted" flag (a dcc.Store). Such
   a chart is asked for (the flag set with dash_clientside.set_props, which runs its callback;
   the block is then marked data-chart-asked until its figure comes) when it comes near the
   window, when it is to be drawn as above, or IDLE_MS after the page showed it (so that the
   charts are there when scrolled to, or printed); its figure is drawn when it comes, if the
   graph is near the window or was to be drawn, else when it comes near.
   Without IntersectionObserver every chart is drawn with the page, as before, and the put-off
   ones are asked for at once. */
window.la_variation_charts = (function () {
  const LAZY_MARGIN = 300;  /* pixels above and below the window */
  const IDLE_MS = 1000;  /* put-off charts are asked for this long after the page shows them */
  const waiting = new Map();  /* graph div -> its put-off draw */
  const coming = new Map();  /* graph div of a chart asked for -> its arrival, until drawn */
  const lazy = typeof window.IntersectionObserver === "function";
  let observer = null;
  let idle = null;
  const blockOf = function (gd, mark) { return gd.closest ? gd.closest("[" + mark + "]") : null; };
  const near = function (gd) {
    const box = gd.getBoundingClientRect();
    return box.bottom > -LAZY_MARGIN && box.top < window.innerHeight + LAZY_MARGIN;
  };
  const first = function (gd) {
    const graph = document.querySelector(".dash-graph");
    return !graph || graph.contains(gd);
  };
  const draw = function (gd, call) {  /* run a put-off draw now */
    waiting.delete(gd);
    if (observer) { observer.unobserve(gd); }
    gd.removeAttribute("data-chart-waiting");
    Promise.resolve(call.react.apply(call.plotly, call.args)).then(call.resolve, call.reject);
    return call.promise;
  };
  const later = function (gd, plotly, react, args, empty) {  /* put a draw off */
    const call = {plotly: plotly, react: react, args: args, empty: empty};
    call.promise = new Promise(function (resolve, reject) { call.resolve = resolve; call.reject = reject; });
    waiting.set(gd, call);
    gd.setAttribute("data-chart-waiting", "");
    observer.observe(gd);
    return call.promise;
  };
  const expect = function (gd) {  /* a put-off chart asked for: its figure is coming */
    if (coming.has(gd)) { return; }
    const arrival = {now: false};
    arrival.promise = new Promise(function (resolve) { arrival.resolve = resolve; });
    coming.set(gd, arrival);
  };
  /* Ask for a put-off chart: its "wanted" flag set (its callback computes it). Its graph,
     waiting with no figure, is drawn empty at once: dcc.Graph draws a new figure only after
     its previous draw is done. */
  const ask = function (block) {
    const wanted = block.getAttribute("data-chart-put-off");
    if (!wanted || !window.dash_clientside.set_props) { return; }
    block.removeAttribute("data-chart-put-off");
    block.setAttribute("data-chart-asked", "");
    waiting.forEach(function (call, gd) {
      if (call.empty && block.contains(gd)) {
        const shown = call.args[1] || {};  /* no axes: an empty box, not an empty chart */
        const hidden = {xaxis: {visible: false}, yaxis: {visible: false}};
        call.args[1] = Object.assign({}, shown, {layout: Object.assign({}, shown.layout, hidden)});
        expect(gd);
        draw(gd, call);
      }
    });
    window.dash_clientside.set_props(wanted, {data: true});
  };
  const askAll = function () { document.querySelectorAll("[data-chart-put-off]").forEach(ask); };
  /* Draw a graph now; a put-off chart is asked for and drawn when it comes. */
  const drawNow = function (gd) {
    const call = waiting.get(gd);
    if (call && call.empty && blockOf(gd, "data-chart-put-off")) {
      ask(blockOf(gd, "data-chart-put-off"));
    }
    const arrival = coming.get(gd);
    if (arrival) { arrival.now = true; return arrival.promise; }
    return waiting.has(gd) ? draw(gd, waiting.get(gd)) : Promise.resolve(gd);
  };
  const drawAll = function () {
    askAll();
    Array.from(waiting.keys()).forEach(drawNow);
    coming.forEach(function (arrival) { arrival.now = true; });
  };
  /* The graph under `element` that is waiting to be drawn or for its chart, if any. */
  const pending = function (element) {
    const graphs = Array.from(waiting.keys()).concat(Array.from(coming.keys()));
    return graphs.find(function (gd) { return element && element.contains(gd); }) || null;
  };
  const wrap = function (plotly) {
    if (!plotly || plotly.__laVariationLazy || typeof plotly.react !== "function") { return; }
    if (!lazy) { return; }
    plotly.__laVariationLazy = true;
    const react = plotly.react;
    observer = observer || new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) { if (entry.isIntersecting) { drawNow(entry.target); } });
    }, {rootMargin: LAZY_MARGIN + "px 0px"});
    plotly.react = function (gd) {
      const args = Array.prototype.slice.call(arguments);
      const call = waiting.get(gd);
      if (call) {  /* a newer figure before the first was drawn: draw the newer */
        call.args = args;
        return call.promise;
      }
      if (!(gd instanceof Element)) { return react.apply(plotly, args); }
      const arrival = coming.get(gd);
      if (arrival) {  /* the chart asked for has come */
        coming.delete(gd);
        const asked = blockOf(gd, "data-chart-asked");
        if (asked) { asked.removeAttribute("data-chart-asked"); }
        const drawn = arrival.now || near(gd)
          ? Promise.resolve(react.apply(plotly, args))
          : later(gd, plotly, react, args, false);
        drawn.then(arrival.resolve, arrival.resolve);
        return drawn;
      }
      if (gd._fullLayout) { return react.apply(plotly, args); }
      /* A first draw. A put-off chart's graph has no figure yet (dcc.Graph's default). */
      const putOff = blockOf(gd, "data-chart-put-off");
      if (blockOf(gd, "data-chart-asked")) {  /* asked for before it was drawn */
        const drawn = react.apply(plotly, args);
        expect(gd);
        return drawn;
      }
      if (!putOff && (first(gd) || near(gd))) { return react.apply(plotly, args); }
      return later(gd, plotly, react, args, Boolean(putOff));
    };
  };
  new MutationObserver(function () {
    if (idle === null && document.querySelector("[data-chart-put-off]")) {
      idle = setTimeout(function () { idle = null; askAll(); }, lazy ? IDLE_MS : 0);
    }
  }).observe(document.documentElement, {childList: true, subtree: true});
  window.addEventListener("beforeprint", drawAll);
  return {drawNow: drawNow, drawAll: drawAll, pending: pending, wrap: wrap};
})();
