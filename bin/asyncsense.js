#!/usr/bin/env node
'use strict';
// The AsyncSense command line: `asyncsense check`, `asyncsense rules`, `asyncsense server --stdio`.
const { main } = require('../server/out/cli.js');

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`asyncsense: ${error && error.message ? error.message : error}\n`);
    process.exitCode = 2;
  },
);
