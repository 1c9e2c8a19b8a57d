// The torture's order check, on a hand-made ledger: calls from one caller to one target that begin
// out of order are counted as order violations (an error category of their own), not as lost calls;
// the exceptions (self calls, calls made during an earlier call's send, faults) are not counted.
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { A_EPOCH, createLedger, Ledger, P_FENCE, R_AFTER, R_STATUS, ST_MASK, ST_OVERTAKEN } from '#internal/torture/ledger.js';
import { checkPosted, issue, mark, retire, takeSeq, ST_OK, ST_POSTED } from '#internal/torture/records.js';
import { beginOn } from '#internal/torture/execute.js';
import { ranInOrder, sendBegins, sendEnds, sendsInProgress } from '#internal/torture/order.js';
import { ERROR_METRICS, KINDS, K_MANY, K_SINGLE, K_SINGLE_WAIT, METRICS, M_LOST, M_OK, M_ORDER, type Kind } from '#internal/torture/kinds.js';
import { seen, setErrorSink } from '#internal/torture/errors-seen.js';
import { categories, errorSummary, table, type Counts } from '#internal/torture/report.js';

let L: Ledger;
let lines: string[];
const bit = (a: number): number => 1 << a;
const order = (kind: Kind): number => L.counter(kind, M_ORDER);
const totalOrder = (): number => KINDS.reduce((n, _k, kind) => n + L.counter(kind, M_ORDER), 0);
const totalLost = (): number => KINDS.reduce((n, _k, kind) => n + L.counter(kind, M_LOST), 0);

beforeEach(() => {
  L = new Ledger(createLedger({ agents: 4, ringSize: 1024 }));
  lines = [];
  seen.length = 0;
  setErrorSink((l) => void lines.push(l));
});
afterEach(() => {
  setErrorSink(undefined);
  assert.equal(sendsInProgress(), 0, 'every send bracket was closed');
});

test('a call that begins on its target after a later call from the same caller is an order violation', () => {
  const x = issue(L, 1, K_SINGLE, bit(2), bit(2)); // post(2, x)
  const y = issue(L, 1, K_SINGLE_WAIT, bit(2), bit(2)); // then callSync(2, y)
  assert.ok(beginOn(L, 2, 1, y.seq) >= 0);
  assert.ok(beginOn(L, 2, 1, x.seq) >= 0, 'x still runs: its record is live');
  assert.equal(order(K_SINGLE), 1, 'x is counted as out of order');
  assert.equal(order(K_SINGLE_WAIT), 0, 'y ran in order');
  assert.equal(L.load(x.rec + R_AFTER), y.seq + 1, 'x names the call it ran after');
  assert.match(
    lines.join('\n'),
    new RegExp(`order violation: call ${x.seq} \\(single\\) from agent 1 to agent 2 ran after a later call ${y.seq} \\(single-wait\\)`),
  );
  // Both ran and both were answered: nothing is lost, and x is not "ok".
  mark(L, x.rec, ST_POSTED);
  mark(L, y.rec, ST_OK);
  retire(L, x.rec);
  retire(L, y.rec);
  assert.equal(totalLost(), 0, 'an order violation is not a lost call');
  assert.equal(L.counter(K_SINGLE, M_OK), 0, 'the call that ran out of order is not counted ok');
  assert.equal(L.counter(K_SINGLE_WAIT, M_OK), 1);
  assert.equal(totalOrder(), 1, 'retiring does not count it twice');
});

test('calls in order, to other targets, or to self are no violation; each pair (caller, target) is checked on its own', () => {
  const a = issue(L, 1, K_MANY, bit(0) | bit(2), bit(0) | bit(2)); // callMany([0, 2], a)
  const b = issue(L, 1, K_SINGLE, bit(2), bit(2)); // post(2, b)
  const c = issue(L, 1, K_SINGLE, bit(0), bit(0)); // post(0, c)
  const s1 = issue(L, 3, K_SINGLE, bit(3), bit(3)); // calls to self
  const s2 = issue(L, 3, K_SINGLE, bit(3), bit(3));
  beginOn(L, 2, 1, a.seq);
  beginOn(L, 2, 1, b.seq);
  beginOn(L, 0, 1, a.seq); // a's part on agent 0 may begin after b began on agent 2
  beginOn(L, 0, 1, c.seq);
  beginOn(L, 3, 3, s2.seq); // a call to self runs inline: ordered trivially, not checked
  beginOn(L, 3, 3, s1.seq);
  assert.equal(totalOrder(), 0, lines.join('\n'));
  // The part of a callMany that begins after a later call to the same target is out of order.
  const d = issue(L, 2, K_MANY, bit(0) | bit(1), bit(0) | bit(1));
  const e = issue(L, 2, K_SINGLE, bit(1), bit(1));
  beginOn(L, 0, 2, d.seq);
  beginOn(L, 1, 2, e.seq);
  beginOn(L, 1, 2, d.seq);
  assert.equal(order(K_MANY), 1, lines.join('\n'));
  assert.match(lines.join('\n'), /call \d+ \(many\) from agent 2 to agent 1 ran after a later call \d+ \(single\)/);
});

test('a call made while an earlier send was still in progress (served during its wait) is not ordered after it', () => {
  const x = issue(L, 1, K_SINGLE, bit(2), bit(2));
  sendBegins(x.rec, x.seq); // post(2, x) waits for a slot and serves a call that makes y
  const y = issue(L, 1, K_SINGLE_WAIT, bit(2), bit(2));
  sendBegins(y.rec, y.seq);
  beginOn(L, 2, 1, y.seq); // y is sent and runs first
  sendEnds();
  sendEnds(); // x is sent now
  const z = issue(L, 1, K_SINGLE_WAIT, bit(2), bit(2)); // made after post(2, x) returned
  beginOn(L, 2, 1, x.seq);
  assert.equal(totalOrder(), 0, `x may run after y: ${lines.join('\n')}`);
  // But a call made after x's send returned must not run before x.
  const w = issue(L, 1, K_SINGLE, bit(2), bit(2));
  sendBegins(w.rec, w.seq);
  sendEnds();
  beginOn(L, 2, 1, w.seq); // w runs before z
  beginOn(L, 2, 1, z.seq);
  assert.equal(order(K_SINGLE_WAIT), 1, lines.join('\n'));
});

test('a post overtaken by a later fence is an order violation when it runs, and lost only if it never runs', () => {
  const fence = (caller: number, target: number): number => {
    const seq = takeSeq(L, caller);
    L.store(L.pairWord(P_FENCE, caller, target), seq + 1);
    assert.equal(ranInOrder(L, caller, target, seq, -1), true, 'a fence is never itself the late one');
    return seq;
  };
  // Overtaken: the fence returned before p ran; p runs later.
  const p = issue(L, 1, K_SINGLE, bit(2), bit(2));
  mark(L, p.rec, ST_POSTED);
  const f = fence(1, 2);
  checkPosted(L, p.rec, p.seq);
  assert.equal(totalLost(), 0, 'not called lost while it may still run');
  assert.equal(L.load(p.rec + R_STATUS) & ST_MASK, ST_OVERTAKEN);
  beginOn(L, 2, 1, p.seq);
  assert.equal(order(K_SINGLE), 1);
  assert.match(lines.join('\n'), new RegExp(`order violation: call ${p.seq} \\(single\\) from agent 1 to agent 2 ran after a later call ${f} \\(fence\\)`));
  retire(L, p.rec);
  assert.equal(totalLost(), 0);
  assert.equal(totalOrder(), 1);
  // Lost: q never runs.
  const q = issue(L, 3, K_SINGLE, bit(0), bit(0));
  mark(L, q.rec, ST_POSTED);
  fence(3, 0);
  checkPosted(L, q.rec, q.seq);
  retire(L, q.rec);
  assert.equal(totalLost(), 1, lines.join('\n'));
  assert.equal(totalOrder(), 1);
  assert.match(lines.join('\n'), new RegExp(`lost: post id ${q.seq} from agent 3 never ran`));
});

test('a call out of order whose agents were hit by an injected fault is excused', () => {
  const x = issue(L, 1, K_SINGLE, bit(2), bit(2));
  const y = issue(L, 1, K_SINGLE, bit(2), bit(2));
  L.add(L.agentWord(2, A_EPOCH), 2); // agent 2 was killed and restarted meanwhile
  beginOn(L, 2, 1, y.seq);
  beginOn(L, 2, 1, x.seq);
  assert.equal(totalOrder(), 0);
});

test('order violations are an error category of their own in the counts and the report', () => {
  assert.ok(ERROR_METRICS.map((m) => METRICS[m]).includes('order'), 'an order violation fails the run');
  const x = issue(L, 1, K_SINGLE, bit(2), bit(2));
  const y = issue(L, 1, K_SINGLE, bit(2), bit(2));
  beginOn(L, 2, 1, y.seq);
  beginOn(L, 2, 1, x.seq);
  const perKind = {} as Counts;
  const totals: Record<string, number> = {};
  KINDS.forEach((k, kind) => {
    perKind[k] = {};
    METRICS.forEach((m, metric) => {
      perKind[k][m] = L.counter(kind, metric);
      totals[m] = (totals[m] ?? 0) + L.counter(kind, metric);
    });
  });
  assert.equal(totals.order, 1);
  assert.equal(totals.lost, 0);
  assert.match(table(perKind, totals).split('\n')[0]!, /\blost\s+order\b/);
  assert.match(categories(totals), /errors: lost 0, order 1,/);
  assert.equal(errorSummary(totals), 'order violations 1');
});
