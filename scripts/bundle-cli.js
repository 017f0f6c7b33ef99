// Bundles the compiled CLI into one file: one module to load instead of ~80 makes every
// `berth` invocation start faster (the CLI runs once per command, so start-up is its cost).
const { buildSync } = require('esbuild');
const { rmSync } = require('node:fs');
buildSync({
  entryPoints: ['dist/src/cli/main.js'],
  bundle: true,
  platform: 'node',
  target: 'node20',
  outfile: 'dist/berth-cli.js',
  logLevel: 'warning',
});
// bin/berth keeps V8's code cache beside the bundle; a new bundle starts without one.
rmSync('dist/berth-cli.js.cache', { force: true });
