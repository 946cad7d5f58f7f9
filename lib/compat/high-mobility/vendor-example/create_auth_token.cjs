// High Mobility's Node example for a service-account auth token, from
// github.com/highmobility/oauth-server-to-server-api-examples, nodejs/create_auth_token.js
// (commit e2af71e, MIT licence), run by vendor-example.int.test.ts against Latchkey.
//
// What differs from the published file, and nothing else:
// - the config is the key config JSON Latchkey hands over (argv[2]), read under High Mobility's
//   console field names (`id`, `private_key`), and the base URL is Latchkey's (argv[3]) instead
//   of https://sandbox.api.high-mobility.com/v1;
// - the deprecated `request` package (not installable here, and what the example depends on) is
//   replaced by `form-data`, the very library `request` uses for its `formData` option, sending
//   the same multipart/form-data body; argv[4] = "form" sends the published `{form: …}` variant
//   (application/x-www-form-urlencoded) instead;
// - `uuid4()` is node:crypto's randomUUID() (same UUID v4 string).
var fs = require('fs');
var jwt = require('jsonwebtoken');
var uuid4 = require('crypto').randomUUID;
var FormData = require('form-data');

var config = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));

// Get API details
var ACCOUNT_API_CONFIG = {
  version: 2,
  base_url: process.argv[3],
  api_key: config.id,
  private_key: config.private_key,
};
var iat = Math.round(Date.now() / 1000);

var priv = Buffer.from(ACCOUNT_API_CONFIG.private_key, 'utf8');

var payload = {
  ver: ACCOUNT_API_CONFIG.version,
  iss: ACCOUNT_API_CONFIG.api_key,
  aud: ACCOUNT_API_CONFIG.base_url,
  iat: iat,
  jti: uuid4(),
};
var token = jwt.sign(payload, priv, { algorithm: 'ES256' });

function done(error, response, body) {
  console.log(
    JSON.stringify({ error: error ? String(error) : null, statusCode: response && response.statusCode, body: body }),
  );
}

if (process.argv[4] === 'form') {
  // request.post(url, {form: {assertion: token}}): an application/x-www-form-urlencoded body.
  var body = new URLSearchParams({ assertion: token }).toString();
  var url = new URL(ACCOUNT_API_CONFIG.base_url + '/auth_tokens');
  var req = require('http').request(
    url,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) },
    },
    function (res) {
      var chunks = [];
      res.on('data', function (c) {
        chunks.push(c);
      });
      res.on('end', function () {
        done(null, res, Buffer.concat(chunks).toString('utf8'));
      });
    },
  );
  req.on('error', function (e) {
    done(e);
  });
  req.end(body);
} else {
  // request.post(url, {formData: {assertion: token}}): request hands formData to form-data.
  var form = new FormData();
  form.append('assertion', token);
  form.submit(ACCOUNT_API_CONFIG.base_url + '/auth_tokens', function (error, res) {
    if (error) return done(error);
    var chunks = [];
    res.on('data', function (c) {
      chunks.push(c);
    });
    res.on('end', function () {
      done(null, res, Buffer.concat(chunks).toString('utf8'));
    });
  });
}
