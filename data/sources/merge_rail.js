#!/usr/bin/env node
// Merges Natural Earth 1:10m railroads (clipped by shpclip) with the authored
// lines (build_rail.js) into the shipped rail layer.
//
// Rules (documented in data/README.md):
// - Every NE line is kept. It is split where it enters another country (the
//   country of each vertex is the shipped countries polygon that holds it;
//   a vertex in no polygon — sea, bridge — takes its neighbour's), so each
//   piece has one COUNTRY.
// - An NE piece that runs along an authored line (at least 60 % of its
//   vertices within NAME_KM of that line) takes that line's NAME, GAUGE_MM and
//   NOTE. Otherwise GAUGE_MM is the country's standard gauge where there is
//   one (CHN, PRK, KOR 1435; RUS, MNG, KAZ 1520), else 0 (unknown), and NAME
//   is empty.
// - CLASS is the main-line class from NE's scalerank: 1 trunk (scalerank
//   <= 4), 2 main (5–7), 3 secondary (8–10); authored-only stretches get the
//   class of their line from MAIN_LINES (1) or 2.
// - An authored line is shipped only where NE lacks it: the runs of
//   consecutive authored vertices farther than COVER_KM from every NE line.
//   A run is extended at each end to the nearest point on the NE line next to
//   it; that point is inserted into the NE line as a vertex, so the two share
//   a node. Runs whose farthest vertex is within MIN_DETOUR_KM of NE are
//   noise (the authored line is approximate) and dropped. Lines in
//   FORCE_KEEP are shipped whole (NE has a gap there).
// - SOURCE says "NE" or "authored".
// Usage: node merge_rail.js NE.geojson AUTHORED.geojson COUNTRIES.geojson OUT.geojson
'use strict';
const fs = require('fs');

const COVER_KM = 2.5;
const MIN_DETOUR_KM = 4;
const NAME_KM = 6;
// The authored lines NE lacks. Everywhere else the authored runs farther than
// COVER_KM from NE (up to 17 km on the Beijing–Guangzhou and Hunan–Guangxi
// lines) lie beside an NE line that takes the same way: the authored line is
// the approximate one there, and shipping it would draw a parallel duplicate.
const ADD_LINES = new Set(['Tumangang-Khasan Line', 'Vostochny Cosmodrome Branch']);
const FORCE_KEEP = new Set(['Tumangang-Khasan Line']);
const MAIN_LINES = new Set(['Trans-Siberian Railway', 'Pyongra Line', 'Pyongui Line',
  'Beijing-Guangzhou Railway', 'Beijing-Harbin Railway', 'Harbin-Dalian Railway']);
const GAUGE = { CHN: 1435, PRK: 1435, KOR: 1435, RUS: 1520, MNG: 1520, KAZ: 1520 };

const [neFile, auFile, ctFile, outFile] = process.argv.slice(2);
if (!outFile) throw new Error('usage: node merge_rail.js NE.geojson AUTHORED.geojson COUNTRIES.geojson OUT.geojson');
const read = (f) => JSON.parse(fs.readFileSync(f, 'utf8')).features;
const parts = (g) => (g.type === 'LineString' ? [g.coordinates] : g.coordinates);

// ---- geometry helpers (local flat frame, km) ----
const KX = (lat) => 111.32 * Math.cos((lat * Math.PI) / 180);
const KY = 110.57;
function segDist(p, a, b) { // km from p to segment a-b, and t along it
  const kx = KX(p[1]);
  const ax = (a[0] - p[0]) * kx, ay = (a[1] - p[1]) * KY;
  const bx = (b[0] - p[0]) * kx, by = (b[1] - p[1]) * KY;
  const dx = bx - ax, dy = by - ay, L = dx * dx + dy * dy;
  let t = L > 0 ? -(ax * dx + ay * dy) / L : 0;
  t = Math.max(0, Math.min(1, t));
  return { d: Math.hypot(ax + t * dx, ay + t * dy), t };
}
function lenKm(c) {
  let s = 0;
  for (let i = 1; i < c.length; i++) {
    const kx = KX((c[i][1] + c[i - 1][1]) / 2);
    s += Math.hypot((c[i][0] - c[i - 1][0]) * kx, (c[i][1] - c[i - 1][1]) * KY);
  }
  return s;
}
// Segment grid: 0.1 degree cells.
const CELL = 0.1;
function makeGrid() { return new Map(); }
function gridAdd(g, a, b, item) {
  const x0 = Math.floor(Math.min(a[0], b[0]) / CELL), x1 = Math.floor(Math.max(a[0], b[0]) / CELL);
  const y0 = Math.floor(Math.min(a[1], b[1]) / CELL), y1 = Math.floor(Math.max(a[1], b[1]) / CELL);
  for (let x = x0; x <= x1; x++)
    for (let y = y0; y <= y1; y++) {
      const k = x * 100000 + y;
      let l = g.get(k);
      if (!l) g.set(k, (l = []));
      l.push(item);
    }
}
function gridNear(g, p, km) { // items of the cells within km of p
  const dx = km / KX(p[1]) + 1e-9, dy = km / KY;
  const x0 = Math.floor((p[0] - dx) / CELL), x1 = Math.floor((p[0] + dx) / CELL);
  const y0 = Math.floor((p[1] - dy) / CELL), y1 = Math.floor((p[1] + dy) / CELL);
  const seen = new Set();
  for (let x = x0; x <= x1; x++)
    for (let y = y0; y <= y1; y++) for (const it of g.get(x * 100000 + y) || []) seen.add(it);
  return seen;
}

// ---- countries ----
const countries = read(ctFile).map((f) => {
  const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
  let bb = [Infinity, Infinity, -Infinity, -Infinity];
  for (const poly of polys) for (const r of poly) for (const q of r) {
    bb = [Math.min(bb[0], q[0]), Math.min(bb[1], q[1]), Math.max(bb[2], q[0]), Math.max(bb[3], q[1])];
  }
  return { iso: f.properties.ISO_A3 || f.properties.NAME, polys, bb };
});
function inRing(r, x, y) {
  let c = false;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
    const [xi, yi] = r[i], [xj, yj] = r[j];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) c = !c;
  }
  return c;
}
function countryOf(p) {
  for (const c of countries) {
    if (p[0] < c.bb[0] || p[0] > c.bb[2] || p[1] < c.bb[1] || p[1] > c.bb[3]) continue;
    for (const poly of c.polys) {
      if (!inRing(poly[0], p[0], p[1])) continue;
      let hole = false;
      for (let k = 1; k < poly.length && !hole; k++) hole = inRing(poly[k], p[0], p[1]);
      if (!hole) return c.iso;
    }
  }
  return '';
}

// ---- inputs ----
const ne = [];
for (const f of read(neFile)) {
  if (f.properties.featurecla !== 'Railroad') continue; // ferries are not track
  for (const c of parts(f.geometry)) if (c.length >= 2) ne.push({ coords: c.slice(), props: f.properties, ins: [] });
}
const au = read(auFile);
const neGrid = makeGrid();
ne.forEach((l, li) => { for (let i = 1; i < l.coords.length; i++) gridAdd(neGrid, l.coords[i - 1], l.coords[i], li * 1e6 + i - 1); });
function nearestNe(p, km) {
  let best = null;
  for (const it of gridNear(neGrid, p, km)) {
    const li = Math.floor(it / 1e6), si = it % 1e6, c = ne[li].coords;
    const r = segDist(p, c[si], c[si + 1]);
    if (r.d <= km && (!best || r.d < best.d)) best = { d: r.d, li, si, t: r.t };
  }
  return best;
}

// ---- authored runs NE lacks ----
// Is p an end of its authored line (shared with no other piece of it)?
function lineEnd(name, p) {
  let n = 0;
  for (const f of au) {
    if (f.properties.NAME !== name) continue;
    const c = f.geometry.coordinates;
    for (const q of [c[0], c[c.length - 1]]) if (q[0] === p[0] && q[1] === p[1]) n++;
  }
  return n === 1;
}
// the pieces of each added line, joined into chains (pieces come in line
// order and share their end vertices)
const chains = [];
for (const f of au) {
  if (!ADD_LINES.has(f.properties.NAME)) continue;
  const c = f.geometry.coordinates, last = chains[chains.length - 1];
  const end = last && last.coords[last.coords.length - 1];
  if (last && last.props.NAME === f.properties.NAME && last.props.COUNTRY === f.properties.COUNTRY &&
      end[0] === c[0][0] && end[1] === c[0][1])
    last.coords.push(...c.slice(1));
  else chains.push({ coords: c.slice(), props: f.properties });
}
const kept = [];
for (const ch of chains) {
  const c = ch.coords, P = ch.props;
  const near = c.map((p) => nearestNe(p, 50));
  const far = near.map((n) => FORCE_KEEP.has(P.NAME) || !n || n.d > COVER_KM);
  for (let i = 0; i < c.length; ) {
    if (!far[i]) { i++; continue; }
    let j = i;
    while (j + 1 < c.length && far[j + 1]) j++;
    let maxd = 0;
    for (let k = i; k <= j; k++) maxd = Math.max(maxd, near[k] ? near[k].d : 50);
    if (maxd >= MIN_DETOUR_KM || FORCE_KEEP.has(P.NAME)) {
      const run = [];
      const link = (k) => { // the NE point next to vertex k, inserted into NE
        const n = near[k], l = ne[n.li], a = l.coords[n.si], b = l.coords[n.si + 1];
        const q = [+(a[0] + n.t * (b[0] - a[0])).toFixed(7), +(a[1] + n.t * (b[1] - a[1])).toFixed(7)];
        l.ins.push({ si: n.si, t: n.t, q });
        return q;
      };
      if (i > 0) run.push(link(i - 1));
      else if (lineEnd(P.NAME, c[0]) && near[0] && near[0].d <= COVER_KM) run.push(link(0));
      for (let k = i; k <= j; k++) run.push(c[k]);
      if (j + 1 < c.length) run.push(link(j + 1));
      else if (lineEnd(P.NAME, c[j]) && near[j] && near[j].d <= COVER_KM) run.push(link(j));
      kept.push({ coords: run, props: P, maxd });
    }
    i = j + 1;
  }
}
// insert the link points into the NE lines
for (const l of ne) {
  if (!l.ins.length) continue;
  l.ins.sort((x, y) => x.si - y.si || x.t - y.t);
  const out = [];
  let k = 0;
  for (let i = 0; i < l.coords.length; i++) {
    out.push(l.coords[i]);
    while (k < l.ins.length && l.ins[k].si === i) {
      const q = l.ins[k++].q, last = out[out.length - 1];
      if (q[0] !== last[0] || q[1] !== last[1]) out.push(q);
    }
  }
  l.coords = out;
}

// ---- names from the authored lines ----
const auGrid = makeGrid();
au.forEach((f, fi) => { const c = f.geometry.coordinates; for (let i = 1; i < c.length; i++) gridAdd(auGrid, c[i - 1], c[i], fi * 1e6 + i - 1); });
function nearAuthored(p) {
  let best = null;
  for (const it of gridNear(auGrid, p, NAME_KM)) {
    const fi = Math.floor(it / 1e6), si = it % 1e6, c = au[fi].geometry.coordinates;
    const r = segDist(p, c[si], c[si + 1]);
    if (r.d <= NAME_KM && (!best || r.d < best.d)) best = { d: r.d, name: au[fi].properties.NAME, fi };
  }
  return best;
}
// A piece none of whose vertices is in a country polygon (a small island the
// 1:10m polygons simplify away, a causeway) takes the country found nearest
// its middle vertex, on rings of 2, 5, 10 and 20 km; with none, it is dropped.
function countryNear(p) {
  for (const km of [2, 5, 10, 20])
    for (let k = 0; k < 16; k++) {
      const a = (k * Math.PI) / 8;
      const c = countryOf([p[0] + (km * Math.cos(a)) / KX(p[1]), p[1] + (km * Math.sin(a)) / KY]);
      if (c) return c;
    }
  return '';
}
let dropped = 0;
const cls = (sr) => (sr <= 4 ? 1 : sr <= 7 ? 2 : 3);

const features = [];
for (const l of ne) {
  const c = l.coords;
  const iso = c.map(countryOf);
  for (let i = 0; i < iso.length; i++) if (!iso[i]) iso[i] = i > 0 ? iso[i - 1] : '';
  for (let i = iso.length - 1; i >= 0; i--) if (!iso[i] && i + 1 < iso.length) iso[i] = iso[i + 1];
  if (!iso[0]) {
    const c0 = countryNear(c[Math.floor(c.length / 2)]);
    if (!c0) { dropped++; continue; }
    iso.fill(c0);
  }
  let s = 0;
  for (let i = 1; i <= c.length; i++) {
    if (i < c.length && iso[i] === iso[s]) continue;
    // piece s..i (shares vertex i with the next piece when i < length)
    const piece = c.slice(s, Math.min(i + 1, c.length));
    if (piece.length >= 2) {
      const votes = new Map();
      for (const p of piece) { const n = nearAuthored(p); if (n) votes.set(n.fi, (votes.get(n.fi) || 0) + 1); }
      let name = '', gauge = GAUGE[iso[s]] || 0, note = '';
      let bestFi = -1, bestV = 0;
      for (const [fi, v] of votes) if (v > bestV || (v === bestV && fi < bestFi)) { bestFi = fi; bestV = v; }
      if (bestFi >= 0 && bestV >= 0.6 * piece.length) {
        const P = au[bestFi].properties;
        name = P.NAME; gauge = P.GAUGE_MM; note = P.NOTE;
      }
      features.push({ type: 'Feature', properties: { NAME: name, COUNTRY: iso[s], GAUGE_MM: gauge,
        CLASS: cls(l.props.scalerank), NOTE: note, SOURCE: 'NE' },
      geometry: { type: 'LineString', coordinates: piece } });
    }
    s = i;
  }
}
let auKm = 0;
for (const k of kept) {
  auKm += lenKm(k.coords);
  features.push({ type: 'Feature', properties: { NAME: k.props.NAME, COUNTRY: k.props.COUNTRY,
    GAUGE_MM: k.props.GAUGE_MM, CLASS: MAIN_LINES.has(k.props.NAME) ? 1 : 2, NOTE: k.props.NOTE,
    SOURCE: 'authored' }, geometry: { type: 'LineString', coordinates: k.coords } });
}
fs.writeFileSync(outFile, JSON.stringify({ type: 'FeatureCollection', features }) + '\n');
const neKm = features.filter((f) => f.properties.SOURCE === 'NE').reduce((s, f) => s + lenKm(f.geometry.coordinates), 0);
console.error(`merge_rail: ${features.length} pieces (${dropped} NE lines in no country dropped); NE ${neKm.toFixed(0)} km, authored ${kept.length} runs ${auKm.toFixed(0)} km`);
for (const k of kept) console.error(`  authored: ${k.props.NAME} ${k.props.FROM}-${k.props.TO} ${lenKm(k.coords).toFixed(1)} km max ${(k.maxd||0).toFixed(1)}`);
