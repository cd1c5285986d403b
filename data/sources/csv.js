// Minimal CSV reader for the authored tables: header row, '#' comment lines,
// double-quoted fields with "" escapes. Returns an array of objects.
'use strict';
const fs = require('fs');
function parseLine(line) {
  const out = [];
  let cur = '', q = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (q) {
      if (c === '"' && line[i + 1] === '"') { cur += '"'; i++; }
      else if (c === '"') q = false;
      else cur += c;
    } else if (c === '"') q = true;
    else if (c === ',') { out.push(cur); cur = ''; }
    else cur += c;
  }
  out.push(cur);
  return out;
}
function readCsv(file) {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  let header = null;
  const rows = [];
  lines.forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (!line.trim() || line.startsWith('#')) return;
    const f = parseLine(line);
    if (!header) { header = f; return; }
    if (f.length !== header.length)
      throw new Error(`${file}:${i + 1}: ${f.length} fields, expected ${header.length}`);
    const o = { _line: i + 1 };
    header.forEach((h, k) => { o[h] = f[k]; });
    rows.push(o);
  });
  return rows;
}
module.exports = { readCsv };
