// synckit's own test suite, run against smpcall/sync: `npm run test:synckit`.
//
//   npm run test:synckit                      on this node
//   npm run test:synckit -- --node=20,24      on each listed major (others through `npx -y -p node@N`)
//   npm run test:synckit -- fn ts-runner      only these test files (jest path patterns)
//   npm run test:synckit -- --repo=<path>     clone synckit from a local copy instead of GitHub
//
// What it does:
// 1. Fetches synckit's repository at the pinned release (a shallow git clone of the tag, checked
//    against the pinned commit) into <tmpdir>/smpcall-synckit/<tag>/ (or $SMPCALL_SYNCKIT_CACHE): the published
//    package holds no tests, so the first run needs network access to GitHub (and to npm).
// 2. Builds a work folder there: synckit's test/ folder unchanged; in place of synckit's source, a
//    lib/ whose index.js, index.cjs and index.d.ts re-export smpcall/sync (copied into node_modules), and
//    node_modules/synckit pointing at the work folder (synckit's own `link:.`), so every way the tests
//    and their worker files reach synckit (jest's moduleNameMapper, `import 'synckit'` in a worker,
//    `require('../lib/index.cjs')`) lands on smpcall/sync. synckit's jest settings are kept.
// 3. Installs what the tests need (jest, ts-jest, the TypeScript runners...) at the versions synckit's
//    yarn.lock pins, once (redone when the list changes).
// 4. Runs jest as synckit's CI does (CI=true, SYNCKIT_TIMEOUT=10000), skipping only the tests listed in
//    EXCLUDED below, and type-checks synckit's test/types-d.ts against smpcall/sync's types.
// Exit code 0 when nothing failed.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const TAG = 'v0.11.13';
const COMMIT = '05d6be39b683bec69059cd88c6f4548a02bd0fd2';
// Where to clone from: GitHub, or a copy of the repository (--repo=<url or path>, or SMPCALL_SYNCKIT_REPO).
const repoArg = process.argv.find((a) => a.startsWith('--repo='));
// A workplace mirror of the repository, when there is one, saves the network.
const MIRROR = '/work/.mirror/un-ts+synckit/repo';
const REPO = repoArg?.slice('--repo='.length) || process.env.SMPCALL_SYNCKIT_REPO || (existsSync(MIRROR) ? MIRROR : 'https://github.com/un-ts/synckit.git');

/**
 * What synckit's tests need, at the versions its yarn.lock (at TAG) pins. bun and yarn are for
 * test/fixtures/fixtures.spec.ts, which runs its fixtures with the `bun` and `yarn` commands.
 */
const DEPS = {
  '@jest/globals': '29.7.0',
  '@oxc-node/core': '0.0.27',
  '@pkgr/core': '0.3.6',
  '@swc-node/register': '1.10.10',
  '@swc/core': '1.11.29',
  '@types/jest': '29.5.14',
  '@types/node': '22.15.26',
  bun: '1.2.15',
  esbuild: '0.25.5',
  'esbuild-register': '3.6.0',
  'esbuild-runner': '2.2.2',
  eslint: '9.27.0',
  jest: '29.7.0',
  'ts-expect': '1.3.0',
  'ts-jest': '29.3.4',
  'ts-node': '10.9.2',
  tinyexec: '1.0.1',
  tsx: '4.19.4',
  typescript: '5.8.3',
  yarn: '1.22.22',
};

/**
 * Tests not run, and why: they test synckit's internals (its message transport, mocked through
 * `receiveMessageOnPort` and `Atomics.wait`), or helpers of its own that are not part of what users
 * call. Whole files by name; single tests by file and full name.
 */
const EXCLUDED = [
  { file: 'test/helpers.spec.ts', why: "synckit's internal helpers (setupTsRunner, overrideStdio, extractProperties, md5Hash, dataUrl, has*Flag), not exported by smpcall/sync" },
  { file: 'test/utils.spec.ts', why: "synckit's internal helpers (isFile, encodeImportModule, generateGlobals, extractProperties), not exported by smpcall/sync" },
  ...['handling of outdated message from worker', 'propagation of undefined timeout', 'reduction of waiting time', 'unexpected message from worker'].map((test) => ({
    file: 'test/fn.spec.ts',
    test,
    why: "mocks synckit's message transport (receiveMessageOnPort, Atomics.wait) to feed it stale or foreign messages",
  })),
];

const root = fileURLToPath(new URL('..', import.meta.url));
// Outside node_modules: jest finds no tests under a node_modules folder.
const cache = process.env.SMPCALL_SYNCKIT_CACHE || join(tmpdir(), 'smpcall-synckit', TAG);
const checkout = join(cache, 'checkout');
const work = join(cache, 'work');
const args = process.argv.slice(2);
const nodeArg = args.find((a) => a.startsWith('--node='));
const majors = nodeArg ? nodeArg.slice('--node='.length).split(',') : [process.versions.node.split('.')[0]];
const patterns = args.filter((a) => !a.startsWith('-'));

const run = (cmd, argv, opts = {}) => execFileSync(cmd, argv, { stdio: 'inherit', ...opts });

// 1. synckit at the pinned release.
if (!existsSync(join(checkout, '.git'))) {
  rmSync(checkout, { recursive: true, force: true });
  mkdirSync(cache, { recursive: true });
  console.log(`fetching synckit ${TAG} from ${REPO}`);
  // A local path is cloned through file:// (git ignores --depth otherwise).
  const from = /^[a-z]+:/.test(REPO) || !existsSync(REPO) ? REPO : pathToFileURL(REPO).href;
  run('git', ['clone', '--quiet', '--depth', '1', '--branch', TAG, from, checkout]);
}
const head = execFileSync('git', ['-C', checkout, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
if (head !== COMMIT) {
  console.error(`synckit ${TAG} is ${head} in ${checkout}, expected ${COMMIT}: delete that folder to fetch it again`);
  process.exit(1);
}

// 2. The work folder: synckit's tests, with smpcall/sync in place of synckit.
if (!existsSync(join(root, 'dist', 'sync', 'index.js'))) {
  console.error('dist/sync/index.js is missing: run `npm run setup` first');
  process.exit(1);
}
const pkg = JSON.parse(readFileSync(join(checkout, 'package.json'), 'utf8'));
const jestConfig = {
  ...pkg.jest,
  collectCoverage: false,
  // jest's default 5 s per test is tight for the Yarn PnP fixture on a busy 2-core machine: there
  // smpcall/sync's first call takes ~3.6 s (synckit's ~2.1 s): its 67 modules on the main thread and
  // its two threads (guardian and worker) each go through PnP's loader.
  testTimeout: 30_000,
  moduleNameMapper: { ...pkg.jest.moduleNameMapper, '^synckit$': '<rootDir>/lib/index.js' },
  testPathIgnorePatterns: ['/node_modules/', ...EXCLUDED.filter((x) => !x.test).map((x) => `<rootDir>/${x.file}$`)],
};
mkdirSync(work, { recursive: true });
const depsStamp = JSON.stringify(DEPS);
const stampFile = join(work, 'node_modules', '.smpcall-deps');
const manifest = {
  name: 'synckit',
  version: pkg.version,
  private: true,
  type: 'module',
  exports: { import: { types: './lib/index.d.ts', default: './lib/index.js' }, require: { types: './lib/index.d.cts', default: './lib/index.cjs' } },
  devDependencies: DEPS,
  jest: jestConfig,
};
writeFileSync(join(work, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');

// 3. Dependencies (npm would prune node_modules/synckit and node_modules/smpcall: they are made after).
if (!existsSync(stampFile) || readFileSync(stampFile, 'utf8') !== depsStamp) {
  console.log('installing what synckit\'s tests need (once)');
  rmSync(join(work, 'node_modules', 'synckit'), { force: true, recursive: true });
  run('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error'], { cwd: work });
  writeFileSync(stampFile, depsStamp);
}

rmSync(join(work, 'test'), { recursive: true, force: true });
cpSync(join(checkout, 'test'), join(work, 'test'), { recursive: true });
// smpcall as an installed package (a copy of package.json and dist/, as npm would install it): some
// runners transform every file outside node_modules (oxc lowers class fields with helpers that
// resolve only from the project), which would hit smpcall's own files if they were linked from here.
const smpcall = join(work, 'node_modules', 'smpcall');
rmSync(smpcall, { recursive: true, force: true });
mkdirSync(smpcall, { recursive: true });
cpSync(join(root, 'package.json'), join(smpcall, 'package.json'));
cpSync(join(root, 'dist'), join(smpcall, 'dist'), { recursive: true });
rmSync(join(work, 'lib'), { recursive: true, force: true });
mkdirSync(join(work, 'lib'));
writeFileSync(join(work, 'lib', 'index.js'), "export * from 'smpcall/sync';\n");
writeFileSync(join(work, 'lib', 'index.d.ts'), "export * from 'smpcall/sync';\n");
// CommonJS worker files require '../lib/index.cjs' (synckit's CommonJS build): Node's require of ESM
// (smpcall's exports name no 'require' condition, hence the file).
writeFileSync(join(work, 'lib', 'index.cjs'), "module.exports = require('../node_modules/smpcall/dist/sync/index.js');\n");
writeFileSync(join(work, 'lib', 'index.d.cts'), "export * from 'smpcall/sync';\n");
rmSync(join(work, 'node_modules', 'synckit'), { force: true, recursive: true });
symlinkSync(work, join(work, 'node_modules', 'synckit'), 'dir');
// synckit's tsconfig extends a preset of its own (@1stg/tsconfig); the same settings, standalone, and
// without its `paths` entry for 'synckit' (to its source): 'synckit' resolves through node_modules
// (oxc's resolver follows tsconfig paths, and would load a declaration file).
writeFileSync(
  join(work, 'tsconfig.json'),
  JSON.stringify(
    {
      compilerOptions: {
        target: 'ES2020',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        esModuleInterop: true,
        skipLibCheck: true,
        isolatedModules: true,
        resolveJsonModule: true,
        noEmit: true,
        rootDir: '.',
      },
      include: ['test'],
    },
    null,
    2,
  ) + '\n',
);

// The type tests: synckit's test/types-d.ts alone, against smpcall/sync's declarations.
writeFileSync(
  join(work, 'tsconfig.types.json'),
  JSON.stringify({ extends: './tsconfig.json', compilerOptions: { isolatedModules: false }, include: [], files: ['test/types-d.ts'] }, null, 2) + '\n',
);

/** The node binary of a major version: this one, or one from npm. */
function nodeOf(major) {
  if (process.versions.node.split('.')[0] === major) return process.execPath;
  const out = execFileSync('npx', ['-y', '-p', `node@${major}`, '-c', 'command -v node'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return out.trim().split('\n').pop();
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const excludedTests = EXCLUDED.filter((x) => x.test);
const namePattern = `^(?!(?:${excludedTests.map((x) => escape(x.test)).join('|')})$)`;
/** Tests in the excluded files, counted in their source (they are never loaded). */
const excludedFileTests = EXCLUDED.filter((x) => !x.test).reduce(
  (n, x) => n + (readFileSync(join(work, x.file), 'utf8').match(/^\s*(?:test|it|testIf\(.*\))\(/gm)?.length ?? 0),
  0,
);

const summary = [];
let failed = false;
for (const major of majors) {
  const node = nodeOf(major);
  const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  console.log(`\n## synckit ${TAG}'s tests on smpcall/sync, Node ${version}\n`);
  const out = join(cache, `results-node${major}.json`);
  rmSync(out, { force: true });
  const t0 = Date.now();
  const r = spawnSync(
    node,
    ['--experimental-vm-modules', '--no-warnings=ExperimentalWarning', join(work, 'node_modules', 'jest', 'bin', 'jest.js'), '--ci', '--json', `--outputFile=${out}`, `--testNamePattern=${namePattern}`, ...patterns],
    { cwd: work, stdio: 'inherit', env: { ...process.env, CI: 'true', SYNCKIT_TIMEOUT: '10000', FORCE_COLOR: '0' } },
  );
  const ms = Date.now() - t0;
  let passed = 0;
  let failedN = 0;
  let skipped = 0;
  let excluded = 0;
  if (existsSync(out)) {
    const json = JSON.parse(readFileSync(out, 'utf8'));
    for (const file of json.testResults) {
      for (const t of file.assertionResults) {
        if (t.status === 'passed') passed++;
        else if (t.status === 'failed') failedN++;
        else if (excludedTests.some((x) => file.name.endsWith(x.file) && t.fullName === x.test)) excluded++;
        else skipped++;
      }
      // A file that failed to load has no test results: count it as one failure.
      if (file.assertionResults.length === 0 && file.status === 'failed') failedN++;
    }
  } else failedN++;
  // The type tests: synckit's test/types-d.ts against smpcall/sync's declarations.
  const types = spawnSync(node, [join(work, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.types.json'], { cwd: work, encoding: 'utf8' });
  const typesOk = types.status === 0;
  if (!typesOk) console.log(`types-d.ts does not type-check against smpcall/sync:\n${types.stdout}${types.stderr}`);
  if (r.status !== 0 || failedN > 0 || !typesOk) failed = true;
  summary.push(
    `Node ${version}: ${passed} passed, ${failedN} failed, ${excluded + (patterns.length ? 0 : excludedFileTests)} excluded, ${skipped} skipped by synckit's own conditions; types-d.ts ${typesOk ? 'type-checks' : 'FAILS'} (${Math.round(ms / 1000)} s)`,
  );
}
console.log(`\n## Summary (synckit ${TAG}, ${COMMIT.slice(0, 10)})\n`);
for (const line of summary) console.log(line);
console.log('\nExcluded:');
for (const x of EXCLUDED) console.log(`- ${x.file}${x.test ? ` › ${x.test}` : ''}: ${x.why}`);
process.exit(failed ? 1 : 0);
