/**
 * A real synchronous workload: format a JavaScript file with prettier (which is async) from
 * synchronous code, through synckit and through smpcall/sync (its synckit-compatible createSyncFn).
 * The smpcall/sync side runs only when dist/sync/index.js has been built.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { syncCase, type Case, type Session } from './cases.js';
import { importPeer, workerUrl } from './peers/peer.js';
import { firstLine } from './rounds.js';
import type { SessionDef } from './scenarios.js';

export const smpcallSyncUrl = new URL('../sync/index.js', import.meta.url);

type CreateSyncFn = (worker: URL | string) => (code: string) => string;

export const prettierSession: SessionDef = {
  name: 'prettier-sync',
  title: 'Format code with prettier synchronously: synckit vs smpcall/sync',
  async start(): Promise<Session> {
    // The code to format: this very module, compiled (about 2 KB of JavaScript).
    const code = readFileSync(fileURLToPath(import.meta.url), 'utf8');
    const cases: Case[] = [];
    const skipped: Session['skipped'] = [];
    let threads = 0;
    try {
      const { createSyncFn } = await importPeer<{ createSyncFn: CreateSyncFn }>('synckit');
      const format = createSyncFn(workerUrl('prettier-synckit'));
      format(code);
      threads++;
      cases.push(syncCase({ id: 'synckit.prettier', label: 'synckit: prettier.format', system: 'synckit', kind: 'sync' }, () => format(code)));
    } catch (e) {
      skipped.push({ label: 'synckit', why: firstLine(e) });
    }
    if (!existsSync(fileURLToPath(smpcallSyncUrl))) {
      skipped.push({ label: 'smpcall/sync', why: 'not built here (dist/sync/index.js is missing)' });
    } else {
      try {
        const { createSyncFn } = (await import(smpcallSyncUrl.href)) as { createSyncFn: CreateSyncFn };
        const format = createSyncFn(workerUrl('prettier-smpcall'));
        format(code);
        threads++;
        const ref = cases.length ? { ref: 'synckit.prettier' } : {};
        cases.push(syncCase({ id: 'smpcall-sync.prettier', label: 'smpcall/sync: prettier.format', system: 'smpcall/sync', kind: 'sync', ...ref }, () => format(code)));
      } catch (e) {
        skipped.push({ label: 'smpcall/sync', why: firstLine(e) });
      }
    }
    return { cases, skipped, agents: 1, threads, refLabel: 'synckit', close: async () => {} };
  },
};
