// Bundles the compiled CLI into one file: one module to load instead of ~80 makes every
// `berth` invocation start faster (the CLI runs once per command, so start-up is its cost).
const { buildSync } = require('esbuild');
buildSync({
  entryPoints: ['dist/src/cli/main.js'],
  bundle: true,
  platform: 'node',
  target: 'node20',
  outfile: 'dist/berth-cli.js',
  logLevel: 'warning',
});
