/**
 * A tiny static server for the browser demo: serves the repository (the page in examples/browser/,
 * the library's plain ESM in dist/) on 127.0.0.1 with the two headers that make a page cross-origin
 * isolated, which SharedArrayBuffer requires:
 *   Cross-Origin-Opener-Policy: same-origin
 *   Cross-Origin-Embedder-Policy: require-corp
 *
 *   npm run build && node dist-test/examples/browser/serve.js [port]   (then open the printed URL)
 */
import { createServer, type Server } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
};

/** The repository root: the nearest folder above this file with a package.json named smpcall. */
async function findRoot(): Promise<string> {
  let dir = fileURLToPath(new URL('.', import.meta.url));
  for (let i = 0; i < 8; i++) {
    try {
      const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'smpcall') return dir;
    } catch {
      // no readable package.json here: look one folder up
    }
    dir = join(dir, '..');
  }
  throw new Error('serve: could not find the smpcall repository root above ' + fileURLToPath(import.meta.url));
}

export interface Served {
  url: string;
  server: Server;
  close(): Promise<void>;
}

const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * Start serving; `port` 0 picks a free one. Resolves with the demo page's URL. `isolated: false`
 * leaves out the isolation headers (to see the error a page without them gets). `root`: serve that
 * folder instead of the repository, at `/` (a project's built page).
 */
export async function serve(port = 0, { isolated = true, root: folder }: { isolated?: boolean; root?: string } = {}): Promise<Served> {
  const root = folder ?? (await findRoot());
  const server = createServer(async (req, res) => {
    const headers = { ...(isolated ? ISOLATION : {}), 'Cache-Control': 'no-store' };
    try {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      if (path === '/' && folder === undefined) {
        res.writeHead(302, { ...headers, Location: '/examples/browser/' }).end();
        return;
      }
      // Only files under the root; no dot-folders (node_modules is fine: nothing there is served by the page).
      const file = normalize(join(root, path.endsWith('/') ? path + 'index.html' : path));
      if (!file.startsWith(root.endsWith(sep) ? root : root + sep) || /[\\/]\./.test(file.slice(root.length))) {
        res.writeHead(403, headers).end('forbidden');
        return;
      }
      if (!(await stat(file)).isFile()) throw new Error('not a file');
      const body = await readFile(file);
      res.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end('not found');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://127.0.0.1:${actual}${folder === undefined ? '/examples/browser/' : '/'}`,
    server,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

// Run as a script: serve until interrupted.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { url } = await serve(Number(process.argv[2] ?? 8080));
  console.log(`smpcall browser demo: ${url}  (Ctrl-C to stop)`);
}
