#!/usr/bin/env node
// Checks that every vertex of rail.geojson and every point of places.geojson
// lies inside a country polygon (countries.geojson, i.e. on land) whose
// ISO_A3 matches the feature's COUNTRY. A rail vertex may lie up to 1 km from
// its country's outline, or up to 3 km near (within 3 km of) a border crossing
// station of rail_stations.csv: bridges span border rivers and the 1:10m
// borders are generalised. (tests/test_data.c applies the same rule.)
// Usage: node check_points.js COUNTRIES.geojson RAIL.geojson [PLACES.geojson]
// Places may also lie within PLACE_TOL_KM of their country's polygon (1:10m
// polygons miss small islands such as Sentosa and generalise the Korean
// Military Demarcation Line at Panmunjom); such places are listed as notes.
// Exits 1 and lists the offending points when any is found.
'use strict';
const fs = require('fs');
const path = require('path');
const { readCsv } = require('./csv');
const TOL_KM = 3.0;
const PLACE_TOL_KM = 2.5;
const [cfile, rfile, pfile] = process.argv.slice(2);
const countries = JSON.parse(fs.readFileSync(cfile, 'utf8')).features;
const polys = [];
function addPoly(iso, rings) {
  const b = [Infinity, Infinity, -Infinity, -Infinity];
  for (const c of rings[0]) { b[0] = Math.min(b[0], c[0]); b[1] = Math.min(b[1], c[1]); b[2] = Math.max(b[2], c[0]); b[3] = Math.max(b[3], c[1]); }
  polys.push({ iso, rings, b });
}
function addGeom(iso, g) {
  if (g.type === 'Polygon') addPoly(iso, g.coordinates);
  else if (g.type === 'MultiPolygon') g.coordinates.forEach((p) => addPoly(iso, p));
  else if (g.type === 'GeometryCollection') g.geometries.forEach((x) => addGeom(iso, x));
}
countries.forEach((f) => addGeom(f.properties.ISO_A3, f.geometry));
function inRing(x, y, ring) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
function countryAt(x, y) {
  for (const p of polys) {
    if (x < p.b[0] || x > p.b[2] || y < p.b[1] || y > p.b[3]) continue;
    if (!inRing(x, y, p.rings[0])) continue;
    let hole = false;
    for (let k = 1; k < p.rings.length; k++) if (inRing(x, y, p.rings[k])) { hole = true; break; }
    if (!hole) return p.iso;
  }
  return null;
}
const R = 6371.0088, rad = (d) => (d * Math.PI) / 180;
function distKm(a, b) {
  const dl = rad(b[1] - a[1]), dn = rad(b[0] - a[0]);
  const h = Math.sin(dl / 2) ** 2 + Math.cos(rad(a[1])) * Math.cos(rad(b[1])) * Math.sin(dn / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}
const borders = readCsv(path.join(__dirname, 'rail_stations.csv'))
  .filter((s) => s.country.includes('|')).map((s) => [Number(s.lon), Number(s.lat)]);
const nearBorder = (c) => borders.some((b) => distKm(b, c) <= TOL_KM);
let bad = 0, total = 0;
// Distance (km) from c to the outline of the polygons of country iso.
function distToCountry(c, iso) {
  let best = Infinity;
  const kx = Math.cos(rad(c[1])) * R * Math.PI / 180, ky = R * Math.PI / 180;
  for (const p of polys) {
    if (p.iso !== iso || c[0] < p.b[0] - 0.2 || c[0] > p.b[2] + 0.2 || c[1] < p.b[1] - 0.2 || c[1] > p.b[3] + 0.2) continue;
    for (const ring of p.rings)
      for (let i = 1; i < ring.length; i++) {
        const ax = (ring[i - 1][0] - c[0]) * kx, ay = (ring[i - 1][1] - c[1]) * ky;
        const bx = (ring[i][0] - c[0]) * kx, by = (ring[i][1] - c[1]) * ky;
        const dx = bx - ax, dy = by - ay, L = dx * dx + dy * dy;
        const t = L ? Math.max(0, Math.min(1, -(ax * dx + ay * dy) / L)) : 0;
        best = Math.min(best, Math.hypot(ax + t * dx, ay + t * dy));
      }
  }
  return best;
}
function check(label, c, want, tolKm) {
  total++;
  const got = countryAt(c[0], c[1]);
  if (got === want) return;
  if (!tolKm) {
    const d = distToCountry(c, want);
    if (d <= 1.0 || (nearBorder(c) && d <= 3.0)) return;
  }
  if (tolKm) {
    const d = distToCountry(c, want);
    if (d <= tolKm) {
      console.error(`note: ${label} is in ${got || 'the sea'}, ${d.toFixed(2)} km from ${want}`);
      return;
    }
  }
  bad++;
  console.log(`${label}: ${c[0].toFixed(4)},${c[1].toFixed(4)} is in ${got || 'the sea'}, not ${want}`);
}
for (const f of JSON.parse(fs.readFileSync(rfile, 'utf8')).features)
  f.geometry.coordinates.forEach((c, i) => check(`rail ${f.properties.NAME} (${f.properties.FROM}-${f.properties.TO}) vertex ${i}`, c, f.properties.COUNTRY));
if (pfile)
  for (const f of JSON.parse(fs.readFileSync(pfile, 'utf8')).features)
    check(`place ${f.properties.NAME}`, f.geometry.coordinates, f.properties.COUNTRY, PLACE_TOL_KM);
console.error(`check_points: ${total} points, ${bad} off land or in the wrong country`);
process.exit(bad ? 1 : 0);
