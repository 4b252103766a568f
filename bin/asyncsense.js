#!/usr/bin/env node
'use strict';
// The AsyncSense command line: `asyncsense check`, `asyncsense rules`, `asyncsense server --stdio`.
// The exit code is set through process.exitCode (never process.exit), so piped output is flushed
// and the language server keeps running until its client ends it.
const { main } = require('../server/out/cli.js');

const args = process.argv.slice(2);
if (args[0] !== 'server') {
  // `asyncsense check | head`: a closed pipe ends the run quietly instead of a stack trace.
  process.stdout.on('error', (error) => {
    if (error && error.code === 'EPIPE') process.exit(process.exitCode === undefined ? 0 : process.exitCode);
    throw error;
  });
}

main(args).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`asyncsense: internal error: ${error && error.message ? error.message : error}\n`);
    process.exitCode = 2;
  },
);
