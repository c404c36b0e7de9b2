(function () {
"use strict";
var D = JSON.parse(document.getElementById("data").textContent);
var T = D.total, nodes = D.nodes, crit = D.criteria, opts = D.options;
var nLeaf = crit.length, nNode = nodes.length;
var COLOURS = ["#1f5f99", "#c45c00", "#2e7d32", "#7b1fa2", "#00838f", "#ad1457"];
var agreed = nodes.map(function (n) { return n.weight; });
var g = leafWeights(agreed);          // each criterion's global weight (of T)
var locked = {};                     // node index -> true
var overrides = {};                  // "o,k" -> score
var snaps = [];
var lastLeader = null;

function leafWeights(nodeWeights) {
  var out = new Array(nLeaf);
  nodes.forEach(function (n, k) { if (n.leaf !== null) out[n.leaf] = nodeWeights[k]; });
  return out;
}
function chain(k) { var out = []; while (k >= 0) { out.push(k); k = nodes[k].parent; } return out; }
var chains = nodes.map(function (n, k) { return chain(k); });
var leafNode = new Array(nLeaf);
nodes.forEach(function (n, k) { if (n.leaf !== null) leafNode[n.leaf] = k; });
function under(leaf, k) { return chains[leafNode[leaf]].indexOf(k) >= 0; }
function nodeWeight(w, k) {
  var s = 0;
  for (var c = 0; c < nLeaf; c++) if (under(c, k)) s += w[c];
  return s;
}

// The engine's rescaling (analysis.whatif.rescaled): targets hold their weight, the
// criteria under no target share what is left in proportion, a target group's own
// criteria share its weight likewise.
function rescale(w, targets) {
  var out = w.slice();
  function ancestors(k) { return chains[k]; }
  function shareOut(region, target) {
    var inner = Object.keys(targets).map(Number).filter(function (k) {
      return k !== region && (region < 0 || ancestors(k).indexOf(region) >= 0);
    });
    var top = inner.filter(function (k) {
      return !ancestors(k).slice(1).some(function (a) { return inner.indexOf(a) >= 0; });
    });
    var mine = [];
    for (var c = 0; c < nLeaf; c++) {
      var ch = chains[leafNode[c]];
      if ((region < 0 || ch.indexOf(region) >= 0) &&
          !top.some(function (t) { return ch.indexOf(t) >= 0; })) mine.push(c);
    }
    var taken = 0; top.forEach(function (k) { taken += targets[k]; });
    var left = target - taken, have = 0;
    var basis = mine.map(function (c) { return w[c]; });
    basis.forEach(function (x) { have += x; });
    if (have <= 0 && left > 0) {
      // nothing left to rescale in proportion (the others were moved to 0): share as
      // the agreed weights within the region say, as the engine does
      basis = mine.map(function (c) { return within(c, region); });
      have = 0; basis.forEach(function (x) { have += x; });
    }
    if (left < -1e-9 * T) return false;
    if (have <= 0 && Math.abs(left) > 1e-9 * T) return false;
    mine.forEach(function (c, i) { out[c] = have > 0 ? basis[i] * left / have : 0; });
    for (var i = 0; i < top.length; i++) {
      var k = top[i];
      if (nodes[k].leaf !== null) out[nodes[k].leaf] = targets[k];
      else if (!shareOut(k, targets[k])) return false;
    }
    return true;
  }
  return shareOut(-1, T) ? out : null;
}

// a criterion's share of a region (-1: the whole) as the agreed weights down the tree say
function within(c, region) {
  var ch = chains[leafNode[c]], out = 1;
  for (var i = 0; i < ch.length && ch[i] !== region; i++) out *= nodes[ch[i]].share;
  return out;
}

function setNode(k, value) {
  if (locked[k]) return false;          // a locked weight holds: unlock it to move it
  if (!isFinite(value)) return false;
  var targets = {};
  Object.keys(locked).forEach(function (j) {
    j = Number(j);
    if (j !== k) targets[j] = nodeWeight(g, j);
  });
  targets[k] = Math.max(0, Math.min(T, value));
  var next = rescale(g, targets);
  if (next === null) return false;
  g = next;
  return true;
}

function points(o, c) {
  var key = o + "," + c;
  var s = key in overrides ? overrides[key] : opts[o].scores[c];
  if (s === null) return null;
  var k = crit[c], lo = D.base[0], hi = D.base[1];
  var f = (s - k.low) / (k.high - k.low);
  if (!k.up) f = 1 - f;
  return lo + f * (hi - lo);
}

function totals(w) {
  return opts.map(function (op, o) {
    var t = 0;
    for (var c = 0; c < nLeaf; c++) {
      var p = points(o, c);
      if (p === null) return null;
      t += w[c] * p;
    }
    return t;
  });
}

// ranked and on the frontier: those passing every hurdle (all, with --include-failed)
function compared(o) { return D.include_failed || opts[o].eligible; }

function ranks(t) {
  var f = Math.pow(10, D.tie_decimals);
  var keys = t.map(function (x) { return x === null ? null : Math.round(x * f) / f; });
  return keys.map(function (x, o) {
    if (x === null || !compared(o)) return 0;
    var better = 0;
    keys.forEach(function (y, j) { if (y !== null && compared(j) && y > x) better++; });
    return better + 1;
  });
}

// The engine's frontier (engine.vfm.efficient_frontier): 0 on, 1 dominated, 2 extended.
function frontier(cost, ben) {
  var n = cost.length, status = new Array(n).fill(-1);
  var idx = [];
  for (var i = 0; i < n; i++)
    if (cost[i] !== null && ben[i] !== null && compared(i)) idx.push(i);
  idx.sort(function (a, b) { return cost[a] - cost[b] || ben[b] - ben[a]; });
  var cand = [], bestB = -Infinity, bestC = Infinity;
  idx.forEach(function (i) {
    var b = ben[i], c = cost[i];
    if (b < bestB || (b === bestB && bestC < c)) { status[i] = 1; return; }
    if (b === bestB && bestC === c) { status[i] = 0; return; }
    cand.push(i); bestB = b; bestC = c;
  });
  function ratio(a, b) { return (cost[b] - cost[a]) / (ben[b] - ben[a]); }
  var stack = [];
  cand.forEach(function (i) {
    while (stack.length >= 2 && ratio(stack[stack.length - 2], stack[stack.length - 1]) >
           ratio(stack[stack.length - 1], i)) status[stack.pop()] = 2;
    stack.push(i);
  });
  stack.forEach(function (i) { status[i] = 0; });
  return status;
}

function fmt(x, places) {
  return x === null ? "–" : x.toLocaleString("en-GB",
    {minimumFractionDigits: places, maximumFractionDigits: places});
}
function el(tag, attrs, text) {
  var e = document.createElement(tag);
  Object.keys(attrs || {}).forEach(function (a) { e.setAttribute(a, attrs[a]); });
  if (text !== undefined) e.textContent = text;
  return e;
}

var agreedTotals = totals(leafWeights(agreed));
var inputs = [], values = [], lockBoxes = [];

function buildSliders() {
  var box = document.getElementById("sliders");
  nodes.forEach(function (n, k) {
    var wrap = el("div", {"class": "slider" + (n.parent >= 0 ? " child" : "")});
    var id = "w-" + k;
    var label = el("label", {"for": id, "class": "name"});
    label.appendChild(el("span", {}, n.name + " (" + n.id + ")"));
    var v = el("span", {"class": "value", "id": "v-" + k});
    label.appendChild(v);
    var track = el("div", {"class": "track"});
    var input = el("input", {type: "range", id: id, min: "0", max: String(T), step: "0.01",
      "aria-describedby": "m-" + k, "data-node": n.id});
    input.value = String(nodeWeight(g, k));
    input.addEventListener("input", function () {
      if (!setNode(k, Number(input.value))) input.value = String(nodeWeight(g, k));
      schedule();
    });
    track.appendChild(input);
    var said = n.switches.map(function (s) {
      var m = el("span", {"class": "mark", title: "at " + fmt(s.at, 2) + ": " + s.from + " → " + s.to});
      m.style.left = (100 * s.at / T) + "%";
      track.appendChild(m);
      return fmt(s.at, 2) + " (" + s.from + " to " + s.to + ")";
    });
    var marks = el("span", {"class": "sr", id: "m-" + k},
      said.length ? "Leader changes at " + said.join(", ") : "No weight here changes the leader");
    var lock = el("label", {"class": "lock"});
    var box2 = el("input", {type: "checkbox", "aria-label": "Lock " + n.name});
    box2.addEventListener("change", function () {
      if (box2.checked) locked[k] = true; else delete locked[k];
      wrap.classList.toggle("locked", box2.checked);
    });
    lock.appendChild(box2); lock.appendChild(document.createTextNode(" lock"));
    wrap.appendChild(label); wrap.appendChild(track); wrap.appendChild(marks); wrap.appendChild(lock);
    box.appendChild(wrap);
    inputs.push(input); values.push(v); lockBoxes.push(box2);
  });
}

var pending = false;
function schedule() {
  // a drag fires many input events: draw once per frame, with the latest weights
  if (pending) return;
  pending = true;
  window.requestAnimationFrame(function () { pending = false; update(); });
}

function update() {
  var t = totals(g), r = ranks(t);
  nodes.forEach(function (n, k) {
    var w = nodeWeight(g, k);
    if (document.activeElement !== inputs[k]) inputs[k].value = String(w);
    values[k].textContent = fmt(w, 2);
    inputs[k].setAttribute("aria-valuetext", fmt(w, 2) + " of " + fmt(T, 0));
  });
  var order = opts.map(function (o, i) { return i; }).sort(function (a, b) {
    var ra = r[a] || 1e9, rb = r[b] || 1e9;
    return ra - rb || (t[b] || 0) - (t[a] || 0);
  });
  var body = document.querySelector("#ranking tbody");
  body.textContent = "";
  var max = T * D.base[1];
  order.forEach(function (o) {
    var tr = el("tr", {"data-option": opts[o].id, "class": r[o] === 1 ? "lead" : (r[o] ? "" : "out")});
    var tied = r[o] && r.filter(function (x) { return x === r[o]; }).length > 1;
    tr.appendChild(el("td", {"class": "n rank"}, r[o] ? r[o] + (tied ? "=" : "") : "–"));
    tr.appendChild(el("td", {}, opts[o].name));
    tr.appendChild(el("td", {"class": "n total"},
      t[o] === null ? "not yet scored" : fmt(t[o], D.places)));
    var d = t[o] === null ? null : t[o] - agreedTotals[o];
    tr.appendChild(el("td", {"class": "n"}, d === null ? "–" : (d >= 0 ? "+" : "") + fmt(d, D.places)));
    var cellBar = el("td", {});
    var parts = [];
    var bar = el("div", {"class": "bar", role: "img"});
    // a segment per criterion; past 2,000 segments, one per group (the page stays quick)
    var byGroup = opts.length * nLeaf > 2000, sums = {};
    for (var c = 0; c < nLeaf && t[o] !== null; c++) {
      var p = points(o, c);
      if (byGroup) { sums[crit[c].group] = (sums[crit[c].group] || 0) + g[c] * p; continue; }
      var s = el("span", {title: crit[c].id + ": " + fmt(g[c] * p, 1)});
      s.style.width = (100 * g[c] * p / max) + "%";
      s.style.background = COLOURS[crit[c].group % COLOURS.length];
      s.style.opacity = String(0.75 + 0.25 * ((c % 3) / 2));
      bar.appendChild(s);
      parts.push(crit[c].id + " " + fmt(g[c] * p, 1));
    }
    Object.keys(sums).forEach(function (grp) {
      var name = D.groups[grp], s = el("span", {title: name + ": " + fmt(sums[grp], 1)});
      s.style.width = (100 * sums[grp] / max) + "%";
      s.style.background = COLOURS[grp % COLOURS.length];
      bar.appendChild(s);
      parts.push(name + " " + fmt(sums[grp], 1));
    });
    bar.setAttribute("aria-label", "Contributions to " + opts[o].name + "'s total" +
      (parts.length ? ": " + parts.join(", ") : ": not yet scored"));
    cellBar.appendChild(bar); tr.appendChild(cellBar);
    body.appendChild(tr);
  });
  var leaders = order.filter(function (o) { return r[o] === 1; });
  var names = leaders.map(function (o) { return opts[o].name; }).join(" and ");
  var said = leaders.length ? names + (leaders.length > 1 ? " lead" : " leads") +
    " with these weights (" + fmt(t[leaders[0]], D.places) + ")." : "No option is ranked.";
  document.getElementById("leader").textContent = said;
  // the live region speaks when the leader changes, not at every step of a drag
  var key = leaders.join(",");
  if (key !== lastLeader) document.getElementById("leader-said").textContent = said;
  lastLeader = key;
  drawFrontier(t);
  showYaml();
}

function drawFrontier(t) {
  var box = document.getElementById("frontier");
  var cost = opts.map(function (o) { return o.cost; });
  var have = cost.filter(function (c) { return c !== null; });
  if (!have.length) { box.textContent = "No option has a cost."; return; }
  var st = frontier(cost, t);
  var W = 520, H = 300, m = 40;
  var cs = [], bs = [];
  opts.forEach(function (o, i) { if (cost[i] !== null && t[i] !== null) { cs.push(cost[i]); bs.push(t[i]); } });
  var c0 = Math.min.apply(null, cs), c1 = Math.max.apply(null, cs);
  var b0 = Math.min.apply(null, bs), b1 = Math.max.apply(null, bs);
  if (c1 === c0) c1 = c0 + 1; if (b1 === b0) b1 = b0 + 1;
  function x(c) { return m + (W - 2 * m) * (c - c0) / (c1 - c0); }
  function y(b) { return H - m - (H - 2 * m) * (b - b0) / (b1 - b0); }
  var ns = "http://www.w3.org/2000/svg";
  var svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 " + W + " " + H); svg.setAttribute("width", "100%");
  var on = opts.map(function (o, i) { return i; }).filter(function (i) { return st[i] === 0; })
    .sort(function (a, b) { return cost[a] - cost[b]; });
  var path = document.createElementNS(ns, "polyline");
  path.setAttribute("points", on.map(function (i) { return x(cost[i]) + "," + y(t[i]); }).join(" "));
  path.setAttribute("fill", "none"); path.setAttribute("stroke", "#1f5f99"); path.setAttribute("stroke-width", "2");
  svg.appendChild(path);
  var words = [];
  opts.forEach(function (o, i) {
    if (cost[i] === null || t[i] === null) return;
    var dot = document.createElementNS(ns, "circle");
    dot.setAttribute("cx", x(cost[i])); dot.setAttribute("cy", y(t[i])); dot.setAttribute("r", 5);
    dot.setAttribute("fill", st[i] === 0 ? "#1f5f99" : (st[i] === -1 ? "#fff" : "#c45c00"));
    dot.setAttribute("stroke", "#333");
    svg.appendChild(dot);
    var lab = document.createElementNS(ns, "text");
    lab.setAttribute("x", x(cost[i]) + 7); lab.setAttribute("y", y(t[i]) - 6);
    lab.setAttribute("font-size", "11"); lab.textContent = o.id;
    svg.appendChild(lab);
    if (st[i] === 0) words.push(o.id);
  });
  [[W / 2, H - 6, "Cost (" + D.unit + ")", 0], [12, H / 2, "Benefit points", -90]].forEach(function (a) {
    var tx = document.createElementNS(ns, "text");
    tx.setAttribute("x", a[0]); tx.setAttribute("y", a[1]); tx.setAttribute("font-size", "12");
    tx.setAttribute("text-anchor", "middle");
    if (a[3]) tx.setAttribute("transform", "rotate(" + a[3] + " " + a[0] + " " + a[1] + ")");
    tx.textContent = a[2]; svg.appendChild(tx);
  });
  box.textContent = ""; box.appendChild(svg);
  box.appendChild(el("p", {"class": "key"}, "Blue: on the efficient frontier (the line); " +
    "orange: dominated or extendedly dominated" +
    (D.include_failed ? "." : "; white: fails a hurdle, not compared.")));
  box.setAttribute("aria-label", "Cost (" + D.unit + ") against benefit; on the frontier: " + words.join(", "));
  box.setAttribute("data-frontier", words.join(","));
}

function buildCell() {
  var so = document.getElementById("cell-option"), sc = document.getElementById("cell-criterion");
  opts.forEach(function (o, i) { so.appendChild(el("option", {value: String(i)}, o.id + " " + o.name)); });
  crit.forEach(function (c, k) { sc.appendChild(el("option", {value: String(k)}, c.id + " " + c.name)); });
  function show() {
    var o = Number(so.value), k = Number(sc.value), c = crit[k];
    var input = document.getElementById("cell-score");
    input.min = String(c.low); input.max = String(c.high);
    var agreedScore = opts[o].scores[k];
    if (!input.value) input.value = agreedScore === null ? "" : String(agreedScore);
    var panel = document.getElementById("cell-panel");
    panel.textContent = "";
    var rows = (D.rationale[opts[o].id] || {})[c.id] || [];
    var nums = rows.map(function (r) { return r.score; });
    panel.appendChild(el("p", {}, "Agreed score " + (agreedScore === null ? "none" : agreedScore) +
      " on " + c.low + "–" + c.high + (nums.length ? "; the panel's range " +
      Math.min.apply(null, nums) + "–" + Math.max.apply(null, nums) : "") + "."));
    var ul = el("ul", {});
    rows.forEach(function (r) { ul.appendChild(el("li", {}, r.who + " " + r.score + ": " + r.why)); });
    panel.appendChild(ul);
  }
  so.addEventListener("change", function () { document.getElementById("cell-score").value = ""; show(); });
  sc.addEventListener("change", function () { document.getElementById("cell-score").value = ""; show(); });
  document.getElementById("cell-set").addEventListener("click", function () {
    var o = Number(so.value), k = Number(sc.value), c = crit[k];
    var v = Number(document.getElementById("cell-score").value);
    if (!isFinite(v) || v < c.low || v > c.high) {
      document.getElementById("cell-panel").insertBefore(
        el("p", {role: "alert"}, "A score on " + c.id + " is from " + c.low + " to " + c.high + "."),
        document.getElementById("cell-panel").firstChild);
      return;
    }
    overrides[o + "," + k] = v; update();
  });
  document.getElementById("cell-clear").addEventListener("click", function () { overrides = {}; update(); });
  show();
}

function localWeights() {
  // each node's weight within its level, scaled to the total (what criteria/ files hold)
  return nodes.map(function (n, k) {
    var mine = nodeWeight(g, k), parent = n.parent >= 0 ? nodeWeight(g, n.parent) : T;
    return parent > 0 ? T * mine / parent : 0;
  });
}

// A YAML double-quoted string: JSON's, without the characters appraise refuses in a
// file (C0/C1 controls, DEL, line and paragraph separators, BOM) or cannot read (an
// unpaired surrogate)
function yamlText(s) {
  return JSON.stringify(String(s).replace(
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(^|[^\ud800-\udbff])[\udc00-\udfff]/g,
    function (m, before) { return (before || "") + " "; }));
}
// The set's id: an id's characters, and never one already used (or `tree`, `all`)
function setId() {
  var id = (document.getElementById("set-id").value.trim() || "workshop")
    .replace(/[^A-Za-z0-9_.-]/g, "_").replace(/^[^A-Za-z0-9]+/, "").slice(0, 64) || "workshop";
  var taken = D.weight_sets || [], base = id;
  for (var n = 2; taken.indexOf(id) >= 0; n++) id = base + "_" + n;
  return id;
}
function showYaml() {
  var id = setId();
  var name = document.getElementById("set-name").value.trim() || id;
  var who = document.getElementById("set-who").value.trim();
  var when = document.getElementById("set-when").value.trim();
  var local = localWeights();
  var lines = ["# A weight set tried at the decision conference (appraise workshop): put it",
    "# in criteria/ and `appraise score --weights " + id + "` ranks the options with it.",
    "weight_sets:", "  - id: " + yamlText(id), "    name: " + yamlText(name)];
  var note = "Tried at the decision conference" + (who ? ", proposed by " + who : "") +
    "; each weight moved with the others rescaled in proportion from the agreed ones.";
  lines.push("    description: " + yamlText(note));
  lines.push("    source: " + yamlText("appraise workshop" + (when ? ", " + when : "")));
  lines.push("    weights:");
  nodes.forEach(function (n, k) {
    lines.push("      " + n.id + ": " + Number(local[k].toFixed(10)));
  });
  document.getElementById("set-yaml").textContent = lines.join("\n") + "\n";
}

function download() {
  var text = document.getElementById("set-yaml").textContent;
  var id = setId();
  var a = el("a", {download: "weight-set-" + id + ".yaml"});
  a.href = URL.createObjectURL(new Blob([text], {type: "text/yaml"}));
  document.body.appendChild(a); a.click(); a.remove();
}

function snapshots() {
  var ul = document.getElementById("snaps");
  ul.textContent = "";
  snaps.forEach(function (s) {
    var li = el("li", {});
    var b = el("button", {type: "button"}, "Back to " + s.name);
    b.addEventListener("click", function () { g = s.w.slice(); update(); });
    li.appendChild(b); ul.appendChild(li);
  });
}

buildSliders(); buildCell();
document.getElementById("reset").addEventListener("click", function () {
  g = leafWeights(agreed); locked = {};
  lockBoxes.forEach(function (b) {
    b.checked = false; b.closest(".slider").classList.remove("locked");
  });
  update();
});
document.getElementById("snap-save").addEventListener("click", function () {
  var name = document.getElementById("snap-name");
  snaps.push({name: name.value || ("Snapshot " + (snaps.length + 1)), w: g.slice()});
  name.value = "Snapshot " + (snaps.length + 1);
  snapshots();
});
["set-id", "set-name", "set-who", "set-when"].forEach(function (id) {
  document.getElementById(id).addEventListener("input", showYaml);
});
document.getElementById("set-save").addEventListener("click", download);
var legend = document.getElementById("legend");
D.groups.forEach(function (gid, k) {
  var s = el("span", {}); var i = el("i", {}); i.style.background = COLOURS[k % COLOURS.length];
  s.appendChild(i); s.appendChild(document.createTextNode(nodes.filter(function (n) { return n.id === gid; })[0].name));
  legend.appendChild(s);
});
update();

// For tests and for anyone scripting the page: the exact state.
window.appraiseWorkshop = {
  setWeight: function (id, v) {
    var k = nodes.map(function (n) { return n.id; }).indexOf(id);
    if (k < 0) throw new Error("no node " + id);
    var ok = setNode(k, v); update(); return ok;
  },
  setScore: function (option, criterion, v) {
    var o = opts.map(function (x) { return x.id; }).indexOf(option);
    var k = crit.map(function (x) { return x.id; }).indexOf(criterion);
    overrides[o + "," + k] = v; update();
  },
  lock: function (id, on) {
    var k = nodes.map(function (n) { return n.id; }).indexOf(id);
    if (on) locked[k] = true; else delete locked[k];
    lockBoxes[k].checked = !!on;
    lockBoxes[k].closest(".slider").classList.toggle("locked", !!on);
  },
  state: function () {
    var t = totals(g);
    return {weights: crit.map(function (c, k) { return [c.id, g[k]]; }),
            totals: opts.map(function (o, i) { return [o.id, t[i]]; }),
            ranks: ranks(t), local: localWeights()};
  },
  reset: function () { document.getElementById("reset").click(); }
};
})();
