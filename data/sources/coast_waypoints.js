#!/usr/bin/env node
// Authoring aid (not run by build.sh): prints rail_stations.csv rows of
// waypoints for a railway that is known to run along a coast, between two
// stations A and B. It walks the country's outline (Natural Earth 1:10m via
// npm world-atlas, i.e. data/shapefiles/countries) from the vertex nearest A
// to the vertex nearest B (the shorter way round), moves each vertex OFFSET_KM
// inland along the local normal, keeps a vertex every STEP_KM, smooths with a
// 1-2-1 kernel and drops the points within 0.7 STEP_KM of A or B. The rows
// were pasted into rail_stations.csv, whose `source` column says so; the build
// then checks that every vertex is on land in its country. Used for the DPRK
// east coast (Hungnam-Hongwon-Sinpukchong-Riwon-Tanchon-Kimchaek,
// Chongjin-Rajin), where the Pyongra Line follows the shore.
// Usage: ogr2ogr -f GeoJSON /tmp/c.geojson data/shapefiles/countries.shp
//        node coast_waypoints.js /tmp/c.geojson ISO3 LON,LAT LON,LAT OFFSET_KM STEP_KM ID_PREFIX
'use strict';
const fs = require('fs');
const [cfile, iso, sa, sb, soff, sstep, prefix] = process.argv.slice(2);
const a = sa.split(',').map(Number), b = sb.split(',').map(Number);
const off = Number(soff), step = Number(sstep);
const R = 6371.0088, rad = (d) => (d * Math.PI) / 180;
const D = (p, q) => {
  const h = Math.sin(rad(q[1] - p[1]) / 2) ** 2 +
    Math.cos(rad(p[1])) * Math.cos(rad(q[1])) * Math.sin(rad(q[0] - p[0]) / 2) ** 2;
  return 2 * R * Math.asin(Math.sqrt(h));
};
const rings = [];
for (const f of JSON.parse(fs.readFileSync(cfile, 'utf8')).features) {
  if (f.properties.ISO_A3 !== iso) continue;
  const g = f.geometry;
  for (const p of g.type === 'Polygon' ? [g.coordinates] : g.coordinates) rings.push(p[0]);
}
function inRing(x, y, ring) {
  let ins = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) ins = !ins;
  }
  return ins;
}
const inside = (p) => rings.some((r) => inRing(p[0], p[1], r));
let best = null;
for (const r of rings) {
  let ia = 0, ib = 0;
  for (let i = 0; i < r.length; i++) {
    if (D(r[i], a) < D(r[ia], a)) ia = i;
    if (D(r[i], b) < D(r[ib], b)) ib = i;
  }
  const s = D(r[ia], a) + D(r[ib], b);
  if (!best || s < best.s) best = { r, ia, ib, s };
}
const { r, ia, ib } = best, n = r.length - 1;
function walk(dir) {
  const out = [];
  for (let i = ia; ; i = (i + dir + n) % n) {
    out.push(r[i]);
    if (i === ib || out.length > n) break;
  }
  return out;
}
const len = (w) => w.reduce((s, p, i) => (i ? s + D(w[i - 1], p) : 0), 0);
const w1 = walk(1), w2 = walk(-1);
const w = len(w1) < len(w2) ? w1 : w2;
const kx = Math.cos(rad(a[1])) * 111.32, ky = 110.57;
const o = w.map((p, i) => {
  const q0 = w[Math.max(0, i - 2)], q1 = w[Math.min(w.length - 1, i + 2)];
  let tx = (q1[0] - q0[0]) * kx, ty = (q1[1] - q0[1]) * ky;
  const L = Math.hypot(tx, ty) || 1;
  tx /= L; ty /= L;
  let c = [p[0] - (ty * off) / kx, p[1] + (tx * off) / ky];
  if (!inside(c)) c = [p[0] + (ty * off) / kx, p[1] - (tx * off) / ky];
  return c;
});
const res = [o[0]];
for (let i = 1, acc = 0; i < o.length; i++) {
  acc += D(o[i - 1], o[i]);
  if (acc >= step) { res.push(o[i]); acc = 0; }
}
const sm = res.map((p, i) => (i === 0 || i === res.length - 1 ? p :
  [(res[i - 1][0] + 2 * p[0] + res[i + 1][0]) / 4, (res[i - 1][1] + 2 * p[1] + res[i + 1][1]) / 4]))
  .slice(1, -1).filter((p) => D(p, a) > step * 0.7 && D(p, b) > step * 0.7);
sm.forEach((p, k) => console.log(`${prefix}_${k + 1},,${iso},${p[0].toFixed(4)},${p[1].toFixed(4)},` +
  `coast-following waypoint (sources/coast_waypoints.js ${off} km inland of the world-atlas 10m coast; step ${step} km)`));
