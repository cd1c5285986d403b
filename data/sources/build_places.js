#!/usr/bin/env node
// Builds places.geojson (points: NAME, ALIASES, COUNTRY, KIND) from places.csv.
// Usage: node build_places.js OUT.geojson
'use strict';
const fs = require('fs');
const path = require('path');
const { readCsv } = require('./csv');
const KINDS = new Set(['capital', 'city', 'station', 'border crossing', 'site']);
const seen = new Set();
const features = readCsv(path.join(__dirname, 'places.csv')).map((p) => {
  const lon = Number(p.lon), lat = Number(p.lat);
  if (!isFinite(lon) || !isFinite(lat)) throw new Error(`places.csv:${p._line}: bad coordinates`);
  if (!KINDS.has(p.kind)) throw new Error(`places.csv:${p._line}: unknown kind ${p.kind}`);
  if (!/^[A-Z]{3}$/.test(p.country)) throw new Error(`places.csv:${p._line}: bad country ${p.country}`);
  if (seen.has(p.name)) throw new Error(`places.csv:${p._line}: duplicate name ${p.name}`);
  seen.add(p.name);
  return { type: 'Feature',
           properties: { NAME: p.name, ALIASES: p.aliases, COUNTRY: p.country, KIND: p.kind },
           geometry: { type: 'Point', coordinates: [lon, lat] } };
});
fs.writeFileSync(process.argv[2], JSON.stringify({ type: 'FeatureCollection', features }) + '\n');
console.error(`build_places: ${features.length} places`);
