/**
 * berth's import rules: DESIGN.md "Where code lives", checked in CI (`npm run lint:imports`).
 * Each layer lists what it MAY import; anything else under src/ is forbidden.
 * Node built-ins and npm packages are outside these rules (except dev dependencies).
 */

/** Regex matching src/<folder>/ for any of the given top-level folders. */
const within = (...folders) => `^src/(${folders.join('|')})/`;
const TEST = '\\.test\\.ts$';

/** A rule: code in `folder` may import only `allowed` folders (and itself). */
const onlyImports = (folder, allowed, comment, extra = {}) => ({
  name: `${folder}-imports-only-${allowed.length ? allowed.join('-') : 'itself'}`,
  comment,
  severity: 'error',
  from: { path: within(folder), ...(extra.from || {}) },
  to: { path: '^src/', pathNot: within(folder, ...allowed, ...(extra.alsoAllowed || [])) },
});

module.exports = {
  forbidden: [
    onlyImports('lib', [], 'lib/ imports nothing internal.'),
    onlyImports('errdefs', [], 'errdefs/ imports nothing.'),
    onlyImports('engine-api', [], 'engine-api/ (wire types, version negotiation) imports nothing internal.'),
    onlyImports('sys', ['lib', 'errdefs'], 'sys/ (binaries, privileged changes) imports only lib and errdefs.'),
    onlyImports('core', ['lib', 'errdefs'], 'core/ (contracts, pure logic) imports only lib and errdefs.'),
    onlyImports('plugins', ['core', 'sys', 'lib', 'errdefs'], 'plugins/ implement core contracts over sys.'),
    {
      name: 'plugin-imports-another-plugin',
      comment: 'A plugin never imports another plugin: they meet through core contracts, wired in daemon/.',
      severity: 'error',
      from: { path: '^src/plugins/([^/]+)/' },
      to: { path: '^src/plugins/', pathNot: '^src/plugins/$1/' },
    },
    {
      name: 'dockerfile-parser-is-pure',
      comment: 'builder/dockerfile/ is a pure parser: it imports only lib and errdefs.',
      severity: 'error',
      from: { path: '^src/builder/dockerfile/' },
      to: { path: '^src/', pathNot: [within('lib', 'errdefs'), '^src/builder/dockerfile/'] },
    },
    onlyImports(
      'builder',
      ['core', 'lib', 'errdefs'],
      'builder/ runs steps through core contracts.',
      { alsoAllowed: ['plugins', 'sys'] }, // discouraged: see builder-uses-implementations
    ),
    onlyImports(
      'services',
      ['core', 'builder', 'lib', 'errdefs'],
      'services/ are use cases over core contracts; no HTTP or wire types (engine-api) here.',
      { alsoAllowed: ['plugins', 'sys'] }, // discouraged: see services-use-implementations
    ),
    {
      name: 'services-use-implementations',
      comment: 'services/ should reach plugins and sys through core contracts injected by daemon/. Tolerated for now.',
      severity: 'warn',
      from: { path: within('services'), pathNot: TEST },
      to: { path: within('plugins', 'sys') },
    },
    {
      name: 'builder-uses-implementations',
      comment: 'builder/ should reach plugins and sys through core contracts injected by daemon/. Tolerated for now.',
      severity: 'warn',
      from: { path: within('builder'), pathNot: TEST },
      to: { path: within('plugins', 'sys') },
    },
    onlyImports(
      'server',
      ['services', 'engine-api', 'core', 'lib', 'errdefs'],
      'server/ maps HTTP to services; it never reaches plugins, sys or daemon.',
      { alsoAllowed: ['sys'] }, // only its unit tests, for recording fakes: see server-imports-no-sys
    ),
    {
      name: 'server-imports-no-sys',
      comment: 'server/ never reaches sys/; only its unit tests may, to wire services with recording fakes.',
      severity: 'error',
      from: { path: within('server'), pathNot: TEST },
      to: { path: within('sys') },
    },
    onlyImports('client', ['engine-api', 'lib', 'errdefs'], 'client/ is a typed Engine API client.'),
    onlyImports(
      'compose',
      ['client', 'engine-api', 'lib', 'errdefs'],
      'compose/ talks to the engine only through client/.',
    ),
    onlyImports(
      'cli',
      ['client', 'engine-api', 'lib', 'errdefs'],
      'cli/ is a client of the Engine API; `berth compose` reaches compose/, itself client-only.',
      { alsoAllowed: ['compose'] },
    ),
    {
      name: 'nothing-imports-daemon',
      comment: 'daemon/ is the composition root: it may import anything, nothing imports it.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/daemon/' },
      to: { path: '^src/daemon/' },
    },
    {
      name: 'src-imports-no-tests',
      comment: 'Production code never imports test files or test/ helpers.',
      severity: 'error',
      from: { path: '^src/', pathNot: TEST },
      to: { path: ['\\.test\\.ts$', '^test/'] },
    },
    {
      name: 'not-to-dev-dep',
      comment: 'Production code must not depend on devDependencies: they are absent in a production install.',
      severity: 'error',
      from: { path: '^src/', pathNot: TEST },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'], pathNot: 'node_modules/@types/' },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'Every import resolves.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-circular',
      comment: 'Cycles make load order fragile and layers meaningless.',
      severity: 'warn',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^dist/', '\\.d\\.ts$'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.json'],
    },
  },
};
