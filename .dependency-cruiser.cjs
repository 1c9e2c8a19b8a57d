// Architecture rules for src/: `npm run arch` (dependency-cruiser).
//
// The rules describe the target layout of src/:
//   index.ts            public exports only
//   layout.ts           every offset; imports nothing
//   mem.ts              the Mem interface + Atomics implementation
//   errors.ts
//   protocol/           every shared-memory state change
//   codec/              encoding
//   agent/              per-thread runtime
//   domain/             start(), Domain, supervisor
//   worker/             worker boot and entry files (above agent/)
//   runtime/            platform adapters
//   sync/ check/ torture/ bench/ demo/ variants/ cli.ts   tools and entry points
//
// A folder that does not exist yet simply matches nothing. Where today's tree still has the single
// file (src/agent.ts, src/domain.ts), the same rule covers it: `mod('agent')` matches both src/agent.ts
// and src/agent/**.
//
// Type-only imports count (tsPreCompilationDeps): a layer that needs another layer's types depends
// on it as much as one that needs its values.

/** Matches src/NAME.ts and everything under src/NAME/. */
const mod = (name) => `^src/${name}(?:\\.ts$|/)`;
/** Matches any of the named modules (see `mod`). */
const anyOf = (...names) => `^src/(?:${names.join('|')})(?:\\.ts$|/)`;

/** The library: what the published package's runtime is made of. */
const LIBRARY = anyOf('protocol', 'codec', 'agent', 'domain', 'worker', 'runtime', 'layout', 'mem', 'errors');
/** Tools and entry points that the library must never depend on. */
const TOOLS = anyOf('check', 'torture', 'bench', 'demo', 'cli');

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles anywhere in src/ (type-only imports included). Break the cycle by moving the shared piece down a layer.',
      from: { path: '^src/' },
      // Strict on purpose: a cycle closed only by `import type` counts too. To let those pass, add
      // `viaOnly: { dependencyTypesNot: ['type-only'] }` here (dependency-cruiser reports one cycle per
      // edge, so that relaxation can in rare graphs also hide a runtime cycle behind a type-only one).
      to: { circular: true },
    },
    {
      name: 'layout-imports-nothing',
      severity: 'error',
      comment: 'src/layout.ts holds every offset of the shared buffer and is the bottom of the stack: it imports nothing, not even node builtins.',
      from: { path: '^src/layout\\.ts$' },
      to: {},
    },
    {
      name: 'protocol-imports-only-layout-mem-errors-protocol',
      severity: 'error',
      comment:
        'src/protocol/ is every shared-memory state change and must stay checkable on its own: it may import only src/layout.ts, src/mem.ts, src/errors.ts and other protocol files (no node builtins, no packages).',
      from: { path: mod('protocol') },
      to: { pathNot: [mod('protocol'), '^src/layout\\.ts$', '^src/mem\\.ts$', '^src/errors\\.ts$'] },
    },
    {
      name: 'codec-not-to-protocol',
      severity: 'error',
      comment: 'src/codec/ is encoding only; it must not import the shared-memory protocol (src/protocol/).',
      from: { path: mod('codec') },
      to: { path: mod('protocol') },
    },
    {
      name: 'agent-not-to-higher-layers',
      severity: 'error',
      comment:
        'src/agent/ is the per-thread runtime; it must not import what sits above it (domain, worker) or any tool (check, torture, bench, demo).',
      from: { path: mod('agent') },
      to: { path: anyOf('domain', 'worker', 'check', 'torture', 'bench', 'demo') },
    },
    {
      name: 'worker-not-from-agent-or-protocol',
      severity: 'error',
      comment: 'src/worker/ (worker boot and entry files) sits above src/agent/: nothing under src/agent/ or src/protocol/ imports it.',
      from: { path: anyOf('agent', 'protocol') },
      to: { path: mod('worker') },
    },
    {
      name: 'runtime-not-to-agent-domain-worker',
      severity: 'error',
      comment: 'src/runtime/ holds platform adapters, below the agent: it must not import src/agent/, src/domain/ or src/worker/.',
      from: { path: mod('runtime') },
      to: { path: anyOf('agent', 'domain', 'worker') },
    },
    {
      name: 'library-not-to-tools',
      severity: 'error',
      comment:
        'No library module (protocol, codec, agent, domain, worker, runtime, layout, mem, errors) imports a tool or entry point (check, torture, bench, demo, cli).',
      from: { path: LIBRARY },
      to: { path: TOOLS },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve (a typo, or a `.js` specifier whose `.ts` source is missing) would hide edges from every rule above.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Only src/ is cruised (see the `arch` script); packages and node builtins stay in the graph as
    // leaves, so the two "imports nothing / only X" rules see them too.
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    // NodeNext: tsconfig.json drives resolution; a `./x.js` specifier whose file does not exist falls
    // back to `./x.ts` (dependency-cruiser does that by itself; `not-to-unresolvable` proves it did).
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.d.ts'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
