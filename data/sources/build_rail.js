#!/usr/bin/env node
// Builds rail.geojson from the authored tables rail_stations.csv and
// rail_lines.csv. Each line is a list of station ids; consecutive stations
// are joined along the great circle with a vertex at least every STEP_KM.
// A station whose country is "A|B" is a border crossing: the line is split
// there into pieces, each with the one country of its other stations, and
// the crossing point is the shared end vertex of both pieces. Lines are also
// split at every named station (waypoints have no name), so that each station
// is a node of a routing graph built from the shared end vertices; FROM and
// TO name the two ends of each piece. Lines that share a station id share that
// exact vertex (junctions).
// Usage: node build_rail.js OUT.geojson
'use strict';
const fs = require('fs');
const path = require('path');
const { readCsv } = require('./csv');

const STEP_KM = 5;
const R = 6371.0088;
const here = __dirname;
const stations = new Map();
for (const s of readCsv(path.join(here, 'rail_stations.csv'))) {
  if (stations.has(s.id)) throw new Error(`rail_stations.csv:${s._line}: duplicate id ${s.id}`);
  const lon = Number(s.lon), lat = Number(s.lat);
  if (!isFinite(lon) || !isFinite(lat)) throw new Error(`rail_stations.csv:${s._line}: bad coordinates`);
  stations.set(s.id, { ...s, lon, lat });
}
const rad = (d) => (d * Math.PI) / 180;
const deg = (r) => (r * 180) / Math.PI;
function distKm(a, b) {
  const dl = rad(b.lat - a.lat), dn = rad(b.lon - a.lon);
  const h = Math.sin(dl / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dn / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}
// Points strictly between a and b on the great circle, every <= STEP_KM.
function interpolate(a, b) {
  const d = distKm(a, b);
  const n = Math.ceil(d / STEP_KM);
  const out = [];
  if (n <= 1) return out;
  const p1 = [rad(a.lat), rad(a.lon)], p2 = [rad(b.lat), rad(b.lon)];
  const delta = d / R;
  for (let i = 1; i < n; i++) {
    const f = i / n;
    const A = Math.sin((1 - f) * delta) / Math.sin(delta), B = Math.sin(f * delta) / Math.sin(delta);
    const x = A * Math.cos(p1[0]) * Math.cos(p1[1]) + B * Math.cos(p2[0]) * Math.cos(p2[1]);
    const y = A * Math.cos(p1[0]) * Math.sin(p1[1]) + B * Math.cos(p2[0]) * Math.sin(p2[1]);
    const z = A * Math.sin(p1[0]) + B * Math.sin(p2[0]);
    out.push([+deg(Math.atan2(y, x)).toFixed(6), +deg(Math.atan2(z, Math.sqrt(x * x + y * y))).toFixed(6)]);
  }
  return out;
}

const features = [];
for (const line of readCsv(path.join(here, 'rail_lines.csv'))) {
  const ids = line.stations.trim().split(/\s+/);
  const gauge = parseInt(line.gauge_mm, 10);
  if (!(gauge > 0)) throw new Error(`rail_lines.csv:${line._line}: bad gauge`);
  const seq = ids.map((id) => {
    const s = stations.get(id);
    if (!s) throw new Error(`rail_lines.csv:${line._line}: unknown station ${id}`);
    return s;
  });
  // split at border crossings and named stations (not at the ends)
  let piece = [seq[0]];
  const pieces = [];
  for (let i = 1; i < seq.length; i++) {
    piece.push(seq[i]);
    if ((seq[i].country.includes('|') || seq[i].name) && i < seq.length - 1) {
      pieces.push(piece);
      piece = [seq[i]];
    }
  }
  pieces.push(piece);
  for (const p of pieces) {
    const countries = new Set(p.filter((s) => !s.country.includes('|')).map((s) => s.country));
    if (countries.size !== 1)
      throw new Error(`rail_lines.csv:${line._line}: piece ${p[0].id}..${p[p.length - 1].id} has countries ${[...countries]}`);
    const coords = [[p[0].lon, p[0].lat]];
    for (let i = 1; i < p.length; i++) {
      coords.push(...interpolate(p[i - 1], p[i]));
      coords.push([p[i].lon, p[i].lat]);
    }
    features.push({
      type: 'Feature',
      properties: { NAME: line.name, COUNTRY: [...countries][0], GAUGE_MM: gauge, NOTE: line.note,
                    FROM: p[0].name || p[0].id, TO: p[p.length - 1].name || p[p.length - 1].id },
      geometry: { type: 'LineString', coordinates: coords },
    });
  }
}
fs.writeFileSync(process.argv[2], JSON.stringify({ type: 'FeatureCollection', features }) + '\n');
console.error(`build_rail: ${features.length} line pieces`);
