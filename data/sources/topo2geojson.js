#!/usr/bin/env node
// Converts the Natural Earth 1:10m TopoJSON shipped in npm world-atlas into
// GeoJSON layers for data/shapefiles (before clipping to the map box):
//   countries.geojson  polygons, NAME (English, from world-atlas) and
//                      ISO_A3 (ISO 3166 alpha-3 from i18n-iso-countries)
//   borders.geojson    land borders: arcs shared by two different countries
//                      (topojson mesh, filter a !== b), one feature per
//                      country pair with ISO_A3_1 / ISO_A3_2 (sorted)
//   coastline.geojson  arcs used by one country only (filter a === b)
//   land.geojson       land-10m polygons, one feature per polygon
// Usage: node topo2geojson.js OUTDIR MINLON MINLAT MAXLON MAXLAT
// Features whose bounding box misses the box are dropped; the clipping itself
// is done afterwards by ogr2ogr (build.sh). Output order is stable: input
// order of world-atlas, and pairs sorted by code.
'use strict';
const fs = require('fs');
const path = require('path');
const tc = require('topojson-client');
const iso = require('i18n-iso-countries');

const [outdir, ...box] = process.argv.slice(2);
if (!outdir || box.length !== 4) {
  console.error('usage: node topo2geojson.js OUTDIR MINLON MINLAT MAXLON MAXLAT');
  process.exit(2);
}
const [minx, miny, maxx, maxy] = box.map(Number);
const here = __dirname;
const countriesTopo = JSON.parse(
  fs.readFileSync(path.join(here, 'node_modules/world-atlas/countries-10m.json'), 'utf8'));
const landTopo = JSON.parse(
  fs.readFileSync(path.join(here, 'node_modules/world-atlas/land-10m.json'), 'utf8'));

function bboxOf(coords) {
  const b = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (c) => {
    if (typeof c[0] === 'number') {
      if (c[0] < b[0]) b[0] = c[0];
      if (c[1] < b[1]) b[1] = c[1];
      if (c[0] > b[2]) b[2] = c[0];
      if (c[1] > b[3]) b[3] = c[1];
    } else c.forEach(walk);
  };
  walk(coords);
  return b;
}
function meets(coords) {
  const b = bboxOf(coords);
  return !(b[2] < minx || b[0] > maxx || b[3] < miny || b[1] > maxy);
}
function alpha3(geom) {
  if (geom.id === undefined) return '';
  return iso.numericToAlpha3(geom.id) || '';
}
function write(name, features) {
  const fc = { type: 'FeatureCollection', features };
  fs.writeFileSync(path.join(outdir, name), JSON.stringify(fc) + '\n');
}

// countries
const countries = tc.feature(countriesTopo, countriesTopo.objects.countries);
const cfeat = [];
for (const f of countries.features) {
  if (!meets(f.geometry.coordinates)) continue;
  cfeat.push({
    type: 'Feature',
    properties: { NAME: f.properties.name, ISO_A3: alpha3({ id: f.id }) },
    geometry: f.geometry,
  });
}
write('countries.geojson', cfeat);

// borders, one mesh per pair of countries
const obj = countriesTopo.objects.countries;
const keyOf = (g) => alpha3(g) || g.properties.name;
const pairs = new Map();
tc.mesh(countriesTopo, obj, (a, b) => {
  if (a !== b) {
    const k = [keyOf(a), keyOf(b)].sort();
    pairs.set(k.join('\t'), k);
  }
  return false;
});
const bfeat = [];
for (const key of [...pairs.keys()].sort()) {
  const [k1, k2] = pairs.get(key);
  const m = tc.mesh(countriesTopo, obj, (a, b) => {
    if (a === b) return false;
    const k = [keyOf(a), keyOf(b)].sort();
    return k[0] === k1 && k[1] === k2;
  });
  for (const line of m.coordinates) {
    if (!meets(line)) continue;
    bfeat.push({ type: 'Feature', properties: { ISO_A3_1: k1, ISO_A3_2: k2 },
                 geometry: { type: 'LineString', coordinates: line } });
  }
}
write('borders.geojson', bfeat);

// coastline: arcs of one country only
const coast = tc.mesh(countriesTopo, obj, (a, b) => a === b);
const kfeat = [];
for (const line of coast.coordinates) {
  if (!meets(line)) continue;
  kfeat.push({ type: 'Feature', properties: {},
               geometry: { type: 'LineString', coordinates: line } });
}
write('coastline.geojson', kfeat);

// land
const land = tc.feature(landTopo, landTopo.objects.land);
const lfeat = [];
const lands = land.type === 'FeatureCollection' ? land.features : [land];
for (const f of lands) {
  const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
  for (const p of polys) {
    if (!meets(p)) continue;
    lfeat.push({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: p } });
  }
}
write('land.geojson', lfeat);
console.error(`topo2geojson: ${cfeat.length} countries, ${bfeat.length} border lines, ` +
              `${kfeat.length} coast lines, ${lfeat.length} land polygons`);
