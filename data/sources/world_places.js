#!/usr/bin/env node
// Natural Earth 1:10m populated places (clipped by shpclip, whole world)
// -> the world gazetteer layer world_places: NAME, ALIASES (NAMEASCII and
// NAME_EN where they differ from NAME, '|'-separated), COUNTRY (ADM0_A3),
// KIND (capital for NE's "Admin-0 capital" and "Admin-0 capital alt", site
// for stations and historic places, else city), POP (POP_MAX). Ordered by
// population, largest first (the gazetteer prefers the earlier of two places
// with the same name), then by name.
// Usage: node world_places.js IN.geojson OUT.geojson
'use strict';
const fs = require('fs');
const [inp, out] = process.argv.slice(2);
const f = JSON.parse(fs.readFileSync(inp, 'utf8')).features;
const kind = (c) => (/^Admin-0 capital/.test(c) ? 'capital'
  : /station|Historic/i.test(c) ? 'site' : 'city');
const rows = f.map((x) => {
  const p = x.properties;
  const al = [...new Set([p.NAMEASCII, p.NAME_EN].filter((s) => s && s !== p.NAME))];
  return { type: 'Feature', geometry: x.geometry,
    properties: { NAME: p.NAME, ALIASES: al.join('|'), COUNTRY: p.ADM0_A3, KIND: kind(p.FEATURECLA),
                  POP: Math.max(0, Math.round(p.POP_MAX || 0)) } };
}).filter((x) => x.properties.NAME);
rows.sort((a, b) => b.properties.POP - a.properties.POP ||
  (a.properties.NAME < b.properties.NAME ? -1 : a.properties.NAME > b.properties.NAME ? 1 : 0));
fs.writeFileSync(out, JSON.stringify({ type: 'FeatureCollection', features: rows }) + '\n');
console.error(`world_places: ${rows.length} places`);
