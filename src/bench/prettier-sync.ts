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
    // Two inputs: one statement (the call's own cost shows) and this very module, compiled (a few KB).
    const inputs: [string, string][] = [
      ['one line', 'const answer = {value:42,list:[1,2,3]}'],
      ['a 3 KB file', readFileSync(fileURLToPath(import.meta.url), 'utf8')],
    ];
    const casesFor = (id: string, system: string, format: (code: string) => string, ref?: string): Case[] =>
      inputs.map(([what, code], k) =>
        syncCase({ id: `${id}.${k}`, label: `${system}: prettier.format, ${what}`, system, kind: 'sync', ...(ref ? { ref: `${ref}.${k}` } : {}) }, () => format(code)),
      );
    const cases: Case[] = [];
    const skipped: Session['skipped'] = [];
    let threads = 0;
    try {
      const { createSyncFn } = await importPeer<{ createSyncFn: CreateSyncFn }>('synckit');
      const format = createSyncFn(workerUrl('prettier-synckit'));
      format(inputs[0]![1]);
      threads++;
      cases.push(...casesFor('synckit.prettier', 'synckit', format));
    } catch (e) {
      skipped.push({ label: 'synckit', why: firstLine(e) });
    }
    if (!existsSync(fileURLToPath(smpcallSyncUrl))) {
      skipped.push({ label: 'smpcall/sync', why: 'not built here (dist/sync/index.js is missing)' });
    } else {
      try {
        const { createSyncFn } = (await import(smpcallSyncUrl.href)) as { createSyncFn: CreateSyncFn };
        const format = createSyncFn(workerUrl('prettier-smpcall'));
        format(inputs[0]![1]);
        threads++;
        cases.push(...casesFor('smpcall-sync.prettier', 'smpcall/sync', format, cases.length ? 'synckit.prettier' : undefined));
      } catch (e) {
        skipped.push({ label: 'smpcall/sync', why: firstLine(e) });
      }
    }
    return { cases, skipped, agents: 1, threads, refLabel: 'synckit', close: async () => {} };
  },
};
