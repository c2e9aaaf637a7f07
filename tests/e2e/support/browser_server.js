/*
 * A small HTTP server on loopback for tests/e2e/browser_loader_chromium.sh (node, no packages).
 *
 *   node browser_server.js ROOT PORT_FILE REPORT_DIR
 *
 * Serves the files under ROOT (GET, no caching), and takes each page's result as
 * POST /report/<name> (JSON body), written to REPORT_DIR/<name>.json once complete. Listens on a free
 * port of 127.0.0.1, written to PORT_FILE when ready. Logs one line per request on stdout
 * ("GET /auto/engine.wasm 200"), so the test can tell which files a page downloaded.
 */
'use strict';

var fs = require('fs');
var http = require('http');
var path = require('path');

var root = path.resolve(process.argv[2]);
var portFile = process.argv[3];
var reportDir = process.argv[4];

var TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm'
};

function send(req, res, status, type, body) {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', 'Content-Length': body.length });
  res.end(body);
  console.log(req.method + ' ' + req.url + ' ' + status);
}

var server = http.createServer(function (req, res) {
  var url = decodeURIComponent(req.url.split('?')[0]);
  var report = /^\/report\/([a-z0-9-]+)$/.exec(url);
  if (req.method === 'POST' && report) {
    var chunks = [];
    req.on('data', function (c) { chunks.push(c); });
    req.on('end', function () {
      var file = path.join(reportDir, report[1] + '.json');
      fs.writeFileSync(file + '.tmp', Buffer.concat(chunks));
      fs.renameSync(file + '.tmp', file);
      send(req, res, 204, 'text/plain', Buffer.alloc(0));
    });
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(req, res, 405, 'text/plain', Buffer.from('405\n'));
  var file = path.resolve(root, '.' + url);
  if (file !== root && file.indexOf(root + path.sep) !== 0) return send(req, res, 403, 'text/plain', Buffer.from('403\n'));
  fs.readFile(file, function (err, data) {
    if (err) return send(req, res, 404, 'text/plain', Buffer.from('404 ' + url + '\n'));
    send(req, res, 200, TYPES[path.extname(file)] || 'application/octet-stream', data);
  });
});

server.listen(0, '127.0.0.1', function () {
  fs.writeFileSync(portFile + '.tmp', String(server.address().port));
  fs.renameSync(portFile + '.tmp', portFile);
});
