/**
 * Round trip against payload size: the same value echoed by smpcall (callSync and call) and by
 * postMessage, for strings, byte arrays and JSON-like objects from 8 B to 1 MiB.
 */
import { asyncCase, syncCase, type Case, type Session } from './cases.js';
import { startPostMessage } from './peers/post-message.js';
import type { SessionDef } from './scenarios.js';
import { startBenchDomain } from './smpcall-cases.js';

export const PAYLOAD_TYPES = ['string', 'bytes', 'object'] as const;
export type PayloadType = (typeof PAYLOAD_TYPES)[number];

/** A value of this type whose natural size (UTF-8 length, byte length, JSON length) is about `bytes`. */
export function payload(type: PayloadType, bytes: number): unknown {
  if (type === 'string') return 'x'.repeat(bytes);
  if (type === 'bytes') return new Uint8Array(bytes).fill(7);
  if (bytes < 160) return { s: 'x'.repeat(Math.max(0, bytes - 8)) };
  // About 80 bytes of JSON per item: the shape of a typical API response.
  const items = Array.from({ length: Math.round(bytes / 80) }, (_, i) => ({ id: i, name: `item-${i}`, tags: ['a', 'b'], score: i / 3, ok: i % 2 === 0 }));
  return { items };
}

export const sizeLabel = (b: number): string => (b >= 1 << 20 ? `${b >> 20} MiB` : b >= 1024 ? `${b >> 10} KiB` : `${b} B`);

export function payloadSession(sizes: number[]): SessionDef {
  return {
    name: 'payload',
    title: 'Round trip of echo(x) against the size of x (main thread → one worker)',
    async start(): Promise<Session> {
      const biggest = Math.max(...sizes);
      // Room for the argument and the result of the biggest payload, with headroom for the codec.
      const d = await startBenchDomain(1, Math.max(4 << 20, 4 * biggest + (1 << 20)));
      const pm = await startPostMessage(1);
      const cases: Case[] = [];
      for (const type of PAYLOAD_TYPES) {
        for (const bytes of sizes) {
          const x = payload(type, bytes);
          const key = `${type}.${bytes}`;
          const p = { type, bytes };
          const pmId = `postMessage.echo.${key}`;
          cases.push(
            asyncCase({ id: pmId, label: `postMessage echo ${type} ${sizeLabel(bytes)}`, system: 'postMessage', kind: 'payload', payload: p }, () => pm.to(0, x)),
            syncCase({ id: `smpcall.callSync.echo.${key}`, label: `smpcall callSync echo ${type} ${sizeLabel(bytes)}`, system: 'smpcall callSync', kind: 'payload', ref: pmId, payload: p }, () =>
              d.callSync(1, 'echo', x),
            ),
            asyncCase({ id: `smpcall.call.echo.${key}`, label: `smpcall call echo ${type} ${sizeLabel(bytes)}`, system: 'smpcall call', kind: 'payload', ref: pmId, payload: p }, () =>
              d.call(1, 'echo', x),
            ),
          );
        }
      }
      return {
        cases,
        skipped: [],
        agents: d.size,
        threads: d.workers + 1,
        close: async () => {
          await pm.close();
          await d.close();
        },
      };
    },
  };
}
