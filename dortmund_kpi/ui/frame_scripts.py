"""The frame's scripts for our own markup (strings, no Streamlit): page links that change
the page within the session, the page run again after a lost connection, the tiles' "?"
as popups, a detail opened from further down the page brought into view, and tables of
text as tab stops only where they scroll.
``ui.frame`` sends them with every page."""

from __future__ import annotations

import json

from dortmund_kpi.ui import table_markup, tile_markup

MEASURE_DETAIL, TREND_DETAIL = "measure_detail", "trend_detail"  # the details' container keys
MEASURE_CLOSE, TREND_CLOSE = "measure_close", "trend_close"  # their close buttons' keys
DETAIL_KEYS = (MEASURE_DETAIL, TREND_DETAIL)
CLOSE_SELECTOR = ", ".join(f".st-key-{key}" for key in (MEASURE_CLOSE, TREND_CLOSE))
DETAIL_SELECTOR = ", ".join(f".st-key-{key}" for key in DETAIL_KEYS)  # their boxes (CSS)
SAME_VIEW = "dkpi-same-view"  # the event of a page link to the view shown (NAV_JS)


def guarded(*scripts: str) -> str:
    """Scripts for one ``<script>`` element, each on its own: one that throws (a browser
    without ``ResizeObserver``) leaves the others running (``lang="de"`` among them)."""
    return "".join(
        f"try {{\n{js}\n}} catch (error) {{ console.error(error); }}\n" for js in scripts
    )


# Our own page links (``ui.tile_markup``, class dkpi-nav) are plain <a>: a plain click on
# one changes the page the way Streamlit's own links do (address, then Streamlit's history
# handler reruns this session on that page, filters kept; Streamlit's embed parameters are
# carried over, as its own links do); a click for a new tab or window stays an ordinary
# link. Streamlit's reaction to the history event is its own code, not an API: should no
# run start within 5 s, the page is loaded as the link says (the link carries the view,
# so nothing is lost). Streamlit takes the event for "back/forward": widgets bound to query
# parameters (``bind=``, none here) would be reset to the address's values.
# A link to the view already shown (the open measure's own link) runs nothing: Streamlit's
# run would draw the same page, and with nothing changed it could not be told from no
# run (the page was loaded anew after 5 s). It only tells the page (``SAME_VIEW``).
NAV_JS = """(() => {
  if (window.__dkpiNav) return;
  window.__dkpiNav = true;
  const STATE = "data-test-script-state";
  let pending = false;
  const target = (link) => {
    const url = new URL(link.href), here = new URLSearchParams(window.location.search);
    for (const key of ["embed", "embed_options"])
      for (const value of here.getAll(key)) url.searchParams.append(key, value);
    return url.href;
  };
  // The view an address names: its page and its parameters, the keys in any order, a
  // key's values in theirs (the first district chosen is the one profiled).
  const view = (address) => {
    const url = new URL(address, window.location.href);
    const pairs = [...url.searchParams].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return JSON.stringify([url.pathname, pairs]);
  };
  // Only while nothing runs: during a run the address may still name the view before it
  // (a detail being closed), and that link asks for a change.
  const sameView = (href, app) =>
    app.getAttribute(STATE) === "notRunning" && view(href) === view(window.location.href);
  window.document.addEventListener("click", (event) => {
    const link = event.target.closest ? event.target.closest("a.NAV_CLASS") : null;
    const app = window.document.querySelector(`[${STATE}]`);
    if (!link || !app || event.defaultPrevented || event.button !== 0 || event.ctrlKey
        || event.metaKey || event.shiftKey || event.altKey) return;
    if (link.origin !== window.location.origin) return;
    event.preventDefault();
    if (pending) return;  // a double click: one page change
    const href = target(link);
    if (sameView(href, app)) {  // nothing to run: the page shows it (an open detail's link)
      window.__dkpiNavRan = true;
      window.dispatchEvent(new CustomEvent(SAME_VIEW));
      return;
    }
    pending = true;
    window.__dkpiNavRan = false;  // true once the session runs the page (tests wait for it)
    // Streamlit took the event when its script state changes or the page's elements are
    // drawn anew: a quick run's states may reach the page in one drawing, "running" never
    // shown (seen with a warm page), but its elements are replaced all the same.
    const MAIN = '[data-testid="stMain"]';
    const drawn = (r) => r.type === "childList" && r.target.closest && r.target.closest(MAIN);
    const watch = new MutationObserver((records) => {
      if (!records.some((r) => r.attributeName === STATE || drawn(r))) return;
      window.__dkpiNavRan = true;
      pending = false;
      watch.disconnect();
    });
    watch.observe(window.document.body, {subtree: true, childList: true, attributes: true,
                                         attributeFilter: [STATE]});
    window.history.pushState({}, "", href);
    window.dispatchEvent(new PopStateEvent("popstate", {state: {}}));
    window.setTimeout(() => {
      watch.disconnect();
      pending = false;
      if (!window.__dkpiNavRan && app.getAttribute(STATE) !== "running")
        window.location.assign(href);
    }, 5000);
  });
})();""".replace("NAV_CLASS", tile_markup.NAV_CLASS).replace("SAME_VIEW", json.dumps(SAME_VIEW))
# Back from a lost connection, Streamlit runs the page again only when its last run was
# partial (a section's); after a whole run it expects the server to hold the session
# still. Behind ``serve --replicas`` the browser comes back to another replica, or to its
# own one restarted: a new session without the page's downloads. The page looked intact,
# but a download clicked then did nothing until some filter changed. So, unless Streamlit
# starts a run within WAIT_MS of the reconnect, the page is run again (Streamlit's history
# handler, as NAV_JS uses: same address, filters kept; it ignores an address with a "#",
# a heading's anchor, so that goes first). A short break on a server that still holds the
# session costs one run.
RECONNECT_JS = """(() => {
  if (window.__dkpiReconnect) return;
  window.__dkpiReconnect = true;
  const CONNECTION = "data-test-connection-state", STATE = "data-test-script-state";
  const WAIT_MS = 1500;
  const app = () => window.document.querySelector(`[${CONNECTION}]`);
  let lost = false, waiting = null;
  const rerun = () => {
    waiting = null;
    const here = app();
    if (!here || here.getAttribute(CONNECTION) !== "CONNECTED") return;
    if (window.location.hash)
      window.history.replaceState(window.history.state, "",
                                  window.location.pathname + window.location.search);
    window.__dkpiReconnected = (window.__dkpiReconnected || 0) + 1;  // tests count them
    window.dispatchEvent(new PopStateEvent("popstate", {state: window.history.state}));
  };
  new MutationObserver((records) => {
    const here = app();
    if (!here) return;
    if (waiting && records.some((r) => r.attributeName === STATE
                                       && here.getAttribute(STATE) !== "notRunning")) {
      window.clearTimeout(waiting);  // Streamlit runs the page itself
      waiting = null;
    }
    if (here.getAttribute(CONNECTION) !== "CONNECTED") { lost = true; return; }
    if (!lost) return;
    lost = false;
    waiting = window.setTimeout(rerun, WAIT_MS);
  }).observe(window.document.body, {subtree: true, attributes: true,
                                    attributeFilter: [CONNECTION, STATE]});
})();"""
# A tile's "?" explanation (``tile_markup.help_html``, a <details>) behaves as a popup:
# one open at a time, closed by a click elsewhere or by Escape (focus back on its "?").
# Open ones used to stay open, on top of the tiles below them, until their "?" was pressed.
HELP_JS = """(() => {
  if (window.__dkpiHelp) return;
  window.__dkpiHelp = true;
  const doc = window.document, HELP = "details.HELP_CLASS";
  const others = (keep) => [...doc.querySelectorAll(`${HELP}[open]`)].filter((d) => d !== keep);
  doc.addEventListener("click", (event) => {
    if (!event.isTrusted) return;  // a script's click (the sections collapsing on a phone)
    const inside = event.target.closest ? event.target.closest(HELP) : null;
    for (const details of others(inside)) details.open = false;
  });
  doc.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || event.defaultPrevented) return;
    const OWNED = "[role=dialog], [role=listbox], [aria-expanded=true]";
    const active = doc.activeElement;  // Escape for a dialog or an open list is theirs
    if (active && active.closest && active.closest(OWNED)) return;
    for (const details of others(null)) {
      const focused = details.contains(active);
      details.open = false;
      if (focused) details.querySelector("summary").focus();
    }
  });
})();""".replace("HELP_CLASS", tile_markup.HELP_CLASS)

# A measure's or trend's detail opens above the page. Opened by a click further down (a
# measure's link in a list, a trend's measure) it appeared out of sight, and the focus was
# lost with the clicked link: nothing seemed to happen. A detail that was not open (or
# was another) when a person clicked or pressed a key on the drawn page, and appears
# within 15 s, is scrolled into view and its heading takes the focus (read out by a
# screen reader, Tab goes on from there) - unless the person has moved on meanwhile (the
# focus elsewhere, a dialog open). The same detail redrawn (a filter changed) stays where
# it is; a page loading with a detail (a shared link) has it at the top, and a click while
# the page still loads is no request for it: nothing moves, the focus stays put.
# Closed by a person (its close button), a detail that was brought into view gives the
# focus back to what opened it (the measure's link, found again by its address, or the
# keyed widget), scrolled into view: the person is back where they were in the list.
REVEAL_JS = (
    """(() => {
  if (window.__dkpiReveal) return;
  window.__dkpiReveal = true;
  const doc = window.document, DETAILS = SELECTOR, SOON_MS = 15000;
  const STATE = "data-test-script-state";
  const keyOf = (box) => [...box.classList].find((c) => c.startsWith("st-key-"));
  const titleOf = (box) => (box.querySelector("h1, h2, h3") || {}).textContent;
  const shown = () =>
    new Map([...doc.querySelectorAll(DETAILS)].map((box) => [keyOf(box), titleOf(box)]));
  const idle = () => {
    const app = doc.querySelector(`[${STATE}]`);
    return !!app && app.getAttribute(STATE) === "notRunning";
  };
  // What a person's click or key on the drawn page found open, and where the focus was.
  let asked = -Infinity, before = new Map(), where = null, queued = false;
  // How to find again what opened a detail (per detail's key), the detail clicked in.
  let from = null, inside = null;
  const opened = new Map();
  // A selector and which of its matches (a measure may be linked twice on a page).
  const findable = (el) => {
    const link = el && el.closest && el.closest("a[href]");
    const keyed = el && el.closest && el.closest('[class*="st-key-"]');
    const selector = link ? `a[href="${CSS.escape(link.getAttribute("href"))}"]`
      : keyed && !keyed.matches(DETAILS) ? `.${keyOf(keyed)} button, .${keyOf(keyed)} a` : null;
    if (!selector) return null;
    const at = [...doc.querySelectorAll(selector)].indexOf(link || el.closest("button, a"));
    return {selector, index: Math.max(at, 0)};
  };
  const mark = (event) => {
    if (!event.isTrusted) return;
    const target = event.type === "click" ? event.target : doc.activeElement;
    // Only its close button takes a detail away (a link in it goes elsewhere). Closing
    // counts while the page still runs, too (the detail just revealed).
    const button = target && target.closest && target.closest(CLOSERS);
    const box = button && button.closest(DETAILS);
    inside = box ? keyOf(box) : null;
    if (inside) asked = performance.now();
    if (!idle()) return;
    asked = performance.now();
    // A measure's link asks for its detail even when it is open already (far above).
    const opener = event.target.closest && event.target.closest('a[href*="massnahme="]');
    before = opener ? new Map() : shown();
    where = doc.activeElement;
    from = findable(target);
  };
  doc.addEventListener("click", mark, true);
  doc.addEventListener("keydown", mark, true);
  const movedOn = () => {
    const now = doc.activeElement;
    if (doc.querySelector("[role=dialog]")) return true;
    return !!now && now !== where && now !== doc.body && now.isConnected;
  };
  const reveal = () => {
    queued = false;
    for (const box of doc.querySelectorAll(DETAILS)) {
      const heading = box.querySelector("h1, h2, h3"), key = keyOf(box);
      if (!heading || before.get(key) === heading.textContent) continue;
      before.set(key, heading.textContent);  // once
      if (movedOn()) continue;
      const top = box.getBoundingClientRect().top;
      if (top < 0 || top > window.innerHeight / 2) box.scrollIntoView({block: "start"});
      heading.setAttribute("tabindex", "-1");
      heading.focus({preventScroll: true});
      where = heading;
      if (from) opened.set(key, from);
    }
    goBack();
  };
  // A revealed detail closed by its button: the focus goes back to what opened it, for
  // a few seconds found again should the page redraw it (React may replace the node).
  let back = null;
  const goBack = () => {
    if (inside && !doc.querySelector(`.${inside}`) && opened.has(inside)) {
      back = {...opened.get(inside), until: performance.now() + 3000};
      opened.delete(inside);
      inside = null;
    }
    if (!back) return;
    // The page may hold the link twice for a moment (drawn anew, the old one not yet gone).
    const all = doc.querySelectorAll(back.selector);
    const now = doc.activeElement, el = all[back.index] || all[0];
    const there = !!now && now.matches && now.matches(back.selector) && now.isConnected;
    const left = now && now !== doc.body && now.isConnected && !now.closest(DETAILS);
    const late = performance.now() > back.until;
    if (late || (left && !there) || doc.querySelector("[role=dialog]")) {
      back = null;  // the person has moved on
      return;
    }
    if (!el && !there) return;
    const link = there ? now : el;
    if (!there) link.focus({preventScroll: true});
    where = link;
    // in view once the page has settled: the detail's place above is gone meanwhile
    const box = link.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight) link.scrollIntoView({block: "center"});
    if (idle()) back = null;  // settled: the person scrolls on from here undisturbed
  };
  // A link to the view shown (the open measure's own link) runs nothing: look again.
  window.addEventListener(SAME_VIEW, () => {
    if (!queued) { queued = true; window.requestAnimationFrame(reveal); }
  });
  // Idle unless a person asked for something just now. The end of a run counts as well
  // as new nodes: a run that draws only what is there already changes no node.
  new MutationObserver(() => {
    if (queued || performance.now() - asked > SOON_MS) return;
    queued = true;
    window.requestAnimationFrame(reveal);
  }).observe(doc.body, {
    subtree: true, childList: true, attributes: true, attributeFilter: [STATE],
  });
})();""".replace("SELECTOR", json.dumps(DETAIL_SELECTOR))
    .replace("SAME_VIEW", json.dumps(SAME_VIEW))
    .replace("CLOSERS", json.dumps(CLOSE_SELECTOR))
)


# A table of text (``ui.table_markup``) is a region the keyboard can scroll: its box is a
# tab stop. Where it fits (most tables at a desk) there is nothing to scroll, and every
# table was a stop of its own on the way through the page; now a box is a stop only
# while its table is wider than the box (a phone, a narrow window). Without this script
# every box stays a stop, as the markup has it.
TABLE_STOPS_JS = """(() => {
  if (window.__dkpiTableStops) return;
  window.__dkpiTableStops = true;
  const doc = window.document, BOXES = "div.TABLE_CLASS";
  const fit = (box) => {
    if (box.scrollWidth > box.clientWidth + 1) box.setAttribute("tabindex", "0");
    else if (box !== doc.activeElement) box.removeAttribute("tabindex");  // keep its focus
  };
  const sizes = new ResizeObserver((entries) => {
    for (const entry of entries) {
      if (!entry.target.isConnected) { sizes.unobserve(entry.target); continue; }  // redrawn
      const box = entry.target.closest(BOXES);
      if (box) fit(box);
    }
  });
  const watched = new WeakSet();
  let queued = false;
  const scan = () => {
    queued = false;
    for (const box of doc.querySelectorAll(BOXES)) {
      if (watched.has(box)) continue;
      watched.add(box);
      sizes.observe(box);  // the window's width
      if (box.firstElementChild) sizes.observe(box.firstElementChild);  // the table's
    }
  };
  new MutationObserver(() => {
    if (!queued) { queued = true; window.requestAnimationFrame(scan); }
  }).observe(doc.body, {subtree: true, childList: true});
})();""".replace("TABLE_CLASS", table_markup.TABLE_CLASS)
