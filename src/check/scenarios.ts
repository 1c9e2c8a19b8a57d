/**
 * The scenarios the checker runs. Each gives every agent a short program of calls; after it, every
 * agent serves (and parks when idle) until the whole system is quiet.
 */
import type { Scenario } from './world.js';

export const scenarios: Scenario[] = [
  {
    name: 'sync-pair',
    about: 'two agents call each other synchronously at the same moment (express lane)',
    agents: 2,
    slotsPerAgent: 2,
    programs: {
      0: function* (api) {
        yield* api.callSync(1, 'inc', 10);
      },
      1: function* (api) {
        yield* api.callSync(0, 'inc', 20);
      },
    },
  },
  {
    name: 'sync-pair-slots',
    about: 'the same through slots and inboxes (express lane off)',
    agents: 2,
    slotsPerAgent: 2,
    express: false,
    search: { preemptions: 3 },
    programs: {
      0: function* (api) {
        yield* api.callSync(1, 'inc', 10);
      },
      1: function* (api) {
        yield* api.callSync(0, 'inc', 20);
      },
    },
  },
  {
    name: 'post-pair',
    about: 'two agents post to each other at the same moment: both posts run exactly once',
    agents: 2,
    slotsPerAgent: 1,
    programs: {
      0: function* (api) {
        yield* api.post(1, 'note', 1);
      },
      1: function* (api) {
        yield* api.post(0, 'note', 3);
      },
    },
  },
  {
    name: 'nested',
    about: 'A → B → A: agent 0 asks agent 1 to call agent 0 back while 0 waits',
    agents: 2,
    slotsPerAgent: 2,
    search: { preemptions: 3 },
    programs: {
      0: function* (api) {
        yield* api.callSync(1, 'relay', 0 * 1000 + 5);
      },
    },
  },
  {
    name: 'parked-wake',
    about: 'a parked target is woken by a single push, through a slot',
    agents: 2,
    slotsPerAgent: 1,
    express: false,
    programs: {
      0: function* (api) {
        yield* api.post(1, 'note', 7);
      },
    },
  },
  {
    name: 'post-storm',
    about: 'two posts through a pool of one slot: the caller waits for its own slot to come back',
    agents: 2,
    slotsPerAgent: 1,
    express: false,
    search: { preemptions: 3 },
    programs: {
      0: function* (api) {
        yield* api.post(1, 'note', 1);
        yield* api.post(1, 'note', 2);
      },
    },
  },
  {
    name: 'post-order',
    about: 'posts queued together reach the target in the order they were made',
    agents: 2,
    slotsPerAgent: 2,
    express: false,
    programs: {
      0: function* (api) {
        yield* api.post(1, 'note', 1);
        yield* api.post(1, 'note', 2);
      },
    },
  },
  {
    name: 'mixed-order',
    about: 'a post through the express lane, then one through a slot: they run in order',
    agents: 2,
    slotsPerAgent: 1,
    programs: {
      0: function* (api) {
        yield* api.post(1, 'note', 1);
        yield* api.post(1, 'note', 2);
      },
    },
  },
  {
    name: 'event-loop-target',
    about: 'agent 0 runs like a main thread (async call, then its event loop); agent 1 calls it synchronously',
    agents: 2,
    slotsPerAgent: 2,
    search: { preemptions: 3 },
    programs: {
      0: function* (api) {
        yield* api.call(1, 'inc', 1);
        yield* api.settleAll();
      },
      1: function* (api) {
        yield* api.callSync(0, 'inc', 2);
      },
    },
  },
  {
    name: 'cycle-3',
    about: 'three agents in a cycle, each calling the next synchronously at once',
    agents: 3,
    slotsPerAgent: 1,
    programs: {
      0: function* (api) {
        yield* api.callSync(1, 'inc', 1);
      },
      1: function* (api) {
        yield* api.callSync(2, 'inc', 2);
      },
      2: function* (api) {
        yield* api.callSync(0, 'inc', 3);
      },
    },
  },
  {
    name: 'lane-race',
    about: "two callers race for agent 0's express lane (sync and post) while slots carry the losers",
    agents: 3,
    slotsPerAgent: 2,
    programs: {
      1: function* (api) {
        yield* api.post(0, 'note', 1);
        yield* api.callSync(0, 'inc', 2);
      },
      2: function* (api) {
        yield* api.callSync(0, 'inc', 3);
        yield* api.post(0, 'note', 4);
      },
    },
  },
  {
    name: 'many-3',
    about: 'callMany with 3 agents: two agents broadcast to the others at the same moment',
    agents: 3,
    slotsPerAgent: 2,
    programs: {
      0: function* (api) {
        yield* api.callManySync([1, 2], 'inc', 1);
      },
      1: function* (api) {
        yield* api.callManySync([0, 2], 'inc', 2);
      },
    },
  },
  {
    name: 'many-small-pool',
    about: 'callMany to more targets than the caller has slots, while a target calls back',
    agents: 3,
    slotsPerAgent: 1,
    express: false,
    programs: {
      0: function* (api) {
        yield* api.callManySync([1, 2], 'inc', 1);
      },
      2: function* (api) {
        yield* api.callSync(0, 'inc', 9);
      },
    },
  },
  {
    name: 'cancel-vs-start',
    about: 'an async call cancelled while its target may be starting it: it runs once or never, as cancel says',
    agents: 2,
    slotsPerAgent: 1,
    search: { preemptions: 3 },
    programs: {
      0: function* (api) {
        const ref = yield* api.call(1, 'inc', 1, true);
        yield* api.cancel(ref);
        yield* api.callSync(1, 'inc', 2, true);
      },
    },
  },
  {
    name: 'fifo-after-cancel',
    about: 'post, call, cancel that call, then callSync: the callSync may not overtake the queued post',
    agents: 2,
    slotsPerAgent: 3,
    search: { preemptions: 3 },
    programs: {
      0: function* (api) {
        yield* api.post(1, 'note', 1, true);
        const ref = yield* api.call(1, 'inc', 2, true);
        yield* api.cancel(ref);
        yield* api.callSync(1, 'inc', 3);
      },
    },
  },
  {
    name: 'late-result',
    about: 'a call cancelled while it runs, then another through the same single slot: no late result reaches it',
    agents: 2,
    slotsPerAgent: 1,
    search: { preemptions: 3 },
    programs: {
      0: function* (api) {
        const ref = yield* api.call(1, 'inc', 1, true);
        yield* api.cancel(ref);
        yield* api.call(1, 'inc', 5);
        yield* api.settleAll();
      },
    },
  },
  {
    name: 'sync-timeout',
    about: 'callSync with a deadline on a ticking clock, then a second call through the same single slot',
    agents: 2,
    slotsPerAgent: 1,
    clock: 2,
    search: { preemptions: 3 },
    programs: {
      0: function* (api) {
        yield* api.callSyncTimed(1, 'inc', 1, 1);
        yield* api.callSync(1, 'inc', 7, true);
      },
    },
  },
  {
    name: 'death-lane',
    about: 'the target of a blocking lane call dies at any step: the caller gets the result or AGENT_GONE',
    agents: 2,
    slotsPerAgent: 1,
    kill: 1,
    search: { preemptions: 3 },
    programs: {
      0: function* (api) {
        yield* api.callSync(1, 'inc', 1);
      },
    },
  },
  {
    name: 'death-slot',
    about: 'the target dies with a post and a blocking call queued or running in slots',
    agents: 2,
    slotsPerAgent: 2,
    express: false,
    kill: 1,
    search: { preemptions: 3 },
    programs: {
      0: function* (api) {
        yield* api.post(1, 'note', 1);
        yield* api.callSync(1, 'inc', 2);
      },
    },
  },
  {
    name: 'death-of-caller',
    about: "a caller dies holding agent 0's lane (claimed, filled or done); a later caller still gets through",
    agents: 3,
    slotsPerAgent: 1,
    kill: 1,
    programs: {
      1: function* (api) {
        yield* api.callSync(0, 'inc', 1);
      },
      2: function* (api) {
        yield* api.callSync(0, 'inc', 2);
      },
    },
  },
  {
    name: 'death-async',
    about: 'an event-loop caller awaits a call to an agent that dies; a cancel races the death flush',
    agents: 2,
    slotsPerAgent: 2,
    kill: 1,
    search: { preemptions: 3 },
    programs: {
      0: function* (api) {
        const ref = yield* api.call(1, 'inc', 1, true);
        yield* api.call(1, 'inc', 2);
        yield* api.cancel(ref);
        yield* api.settleAll();
      },
    },
  },
  {
    name: 'death-mid-ring',
    about: 'a sender dies at any step of a call to a parked target, its ring included; another caller of that target still gets its result',
    agents: 3,
    slotsPerAgent: 1,
    kill: 1,
    search: { preemptions: 2 },
    programs: {
      1: function* (api) {
        yield* api.post(2, 'note', 1);
      },
      0: function* (api) {
        yield* api.callSync(2, 'inc', 2);
      },
    },
  },
  {
    name: 'death-watched',
    about: "no guardian: agent 0 is the workers' parent; its target dies while it is blocked, and its own wait completes the dead agent's calls",
    agents: 2,
    slotsPerAgent: 2,
    kill: 1,
    watcher: 0,
    search: { preemptions: 3 },
    programs: {
      0: function* (api) {
        yield* api.post(1, 'note', 1);
        yield* api.callSync(1, 'inc', 2, true);
        yield* api.callSync(1, 'inc', 3);
      },
    },
  },
  {
    name: 'death-watched-nested',
    about: "no guardian: agent 0 blocks on agent 1, which blocks on agent 2, which dies; agent 0's wait completes agent 2's calls and both return",
    agents: 3,
    slotsPerAgent: 1,
    kill: 2,
    watcher: 0,
    search: { preemptions: 2, pct: 200 },
    programs: {
      0: function* (api) {
        yield* api.callSync(1, 'relay', 2005);
      },
    },
  },
  {
    name: 'restart',
    about: 'an agent with calls in flight both ways dies and a fresh one takes its id (adopt, revive)',
    agents: 2,
    slotsPerAgent: 2,
    kill: 1,
    restart: true,
    search: { preemptions: 2 },
    programs: {
      0: function* (api) {
        yield* api.callSync(1, 'inc', 1);
        yield* api.callSync(1, 'inc', 2, true);
      },
      1: function* (api) {
        yield* api.call(0, 'inc', 3);
        yield* api.callSync(0, 'inc', 4);
      },
    },
  },
  {
    name: 'restart-orphan-lane',
    about: "an agent dies with a lane call in flight; its restarted successor goes idle while that call finishes, and must still reclaim the lane",
    agents: 2,
    slotsPerAgent: 1,
    kill: 1,
    restart: true,
    search: { preemptions: 2 },
    programs: {
      1: function* (api) {
        yield* api.callSync(0, 'inc', 1);
      },
    },
  },
  {
    name: 'restart-mid-push',
    about: "an agent is killed at any step of sending through its only slot; its successor must learn from the target (a fence) whether that slot was pushed, and then call through it",
    agents: 2,
    slotsPerAgent: 1,
    kill: 1,
    restart: true,
    // Three: the target looks at its inbox before the push and at its lane after the fence (one), the
    // sender is killed between push and mark (two), the successor reuses the slot before the target
    // takes the inbox again (three): the mutant fence-trusts-old-exchange needs all three.
    search: { preemptions: 3 },
    programs: {
      1: function* (api) {
        yield* api.post(0, 'note', 1, true);
      },
    },
    restartProgram: function* (api) {
      yield* api.callSync(0, 'inc', 2, true);
    },
  },
  {
    name: 'restart-mid-push-busy',
    about: "as restart-mid-push, with a sync call, and a third agent keeping the target's inbox busy while the fence waits",
    agents: 3,
    slotsPerAgent: 1,
    kill: 1,
    restart: true,
    search: { preemptions: 0, pct: 20000 },
    programs: {
      1: function* (api) {
        yield* api.callSync(0, 'inc', 1, true);
      },
      2: function* (api) {
        yield* api.post(0, 'note', 3, true);
        yield* api.post(0, 'note', 4, true);
      },
    },
    restartProgram: function* (api) {
      yield* api.callSync(0, 'inc', 2, true);
    },
  },
  {
    name: 'kept-lane',
    about: "a caller keeps agent 0's lane between its sync calls and posts through it, while another caller competes for that lane",
    agents: 3,
    slotsPerAgent: 2,
    search: { preemptions: 1, pct: 20000 },
    programs: {
      1: function* (api) {
        yield* api.callSync(0, 'inc', 1);
        yield* api.callSync(0, 'inc', 2);
        yield* api.post(0, 'note', 3);
      },
      2: function* (api) {
        yield* api.post(0, 'note', 4);
        yield* api.callSync(0, 'inc', 5);
      },
    },
  },
  {
    name: 'kept-slot',
    about: 'a blocking lane call keeps its spill slot for the next call; the next calls of a pool of two must still get a slot each',
    agents: 2,
    slotsPerAgent: 2,
    search: { preemptions: 2 },
    programs: {
      1: function* (api) {
        yield* api.callSync(0, 'inc', 1);
        yield* api.call(0, 'inc', 2, true);
        yield* api.call(0, 'inc', 3, true);
        yield* api.settleAll();
        yield* api.callSync(0, 'inc', 4);
      },
      0: function* (api) {
        yield* api.callSync(1, 'inc', 5);
      },
    },
  },
  {
    name: 'kept-lane-death',
    about: "an agent is killed at any step of two sync calls through a lane it keeps between them; its successor calls there too",
    agents: 2,
    slotsPerAgent: 1,
    kill: 1,
    restart: true,
    search: { preemptions: 2 },
    programs: {
      1: function* (api) {
        yield* api.callSync(0, 'inc', 1);
        yield* api.callSync(0, 'inc', 2);
      },
    },
    restartProgram: function* (api) {
      yield* api.callSync(0, 'inc', 3);
    },
  },
  {
    name: 'kept-lane-fence',
    about: "a restarted agent keeps the lane its own fence needs (the fence must get it, or the slot in doubt is never resolved)",
    agents: 2,
    slotsPerAgent: 2,
    kill: 1,
    restart: true,
    search: { preemptions: 1 },
    programs: {
      1: function* (api) {
        yield* api.post(0, 'note', 1, true);
      },
    },
    restartProgram: function* (api) {
      yield* api.callSync(0, 'inc', 2);
      yield* api.callSync(0, 'inc', 3, true);
    },
  },
  {
    name: 'async-lane-death',
    about: "an awaited call goes through the target's lane (nothing else pending), then one through a slot; the target dies at any step",
    agents: 2,
    slotsPerAgent: 2,
    kill: 1,
    search: { preemptions: 2 },
    programs: {
      0: function* (api) {
        yield* api.call(1, 'inc', 1);
        yield* api.call(1, 'inc', 2);
        yield* api.settleAll();
        yield* api.call(1, 'inc', 3);
        yield* api.settleAll();
      },
    },
  },
  {
    name: 'async-lane-restart',
    about: "an agent is killed while its awaited call is in another agent's lane; its successor awaits one there too",
    agents: 2,
    slotsPerAgent: 1,
    kill: 1,
    restart: true,
    search: { preemptions: 2 },
    programs: {
      1: function* (api) {
        yield* api.call(0, 'inc', 1);
        yield* api.settleAll();
      },
    },
    restartProgram: function* (api) {
      yield* api.call(0, 'inc', 2);
      yield* api.settleAll();
    },
  },
  {
    name: 'core-gate',
    about: 'three agents on two cores: an agent spins only where a core is free, else parks; calls still reach whoever is idle',
    agents: 3,
    slotsPerAgent: 1,
    cores: 2,
    programs: {
      0: function* (api) {
        yield* api.callSync(1, 'inc', 1);
        yield* api.callSync(2, 'inc', 2);
      },
      1: function* (api) {
        yield* api.post(2, 'note', 3);
      },
    },
  },
  {
    name: 'close-queued',
    about: 'close() while calls are queued and another agent still calls: each runs, or its caller is told',
    agents: 3,
    slotsPerAgent: 2,
    closing: true,
    search: { preemptions: 1, pct: 40000 },
    programs: {
      0: function* (api) {
        yield* api.post(1, 'note', 1);
        yield* api.call(1, 'inc', 2);
        yield* api.settleAll();
        yield* api.close();
      },
      2: function* (api) {
        yield* api.callSync(1, 'inc', 5);
      },
    },
  },
  {
    name: 'batch-reuse',
    about: 'three posts through two slots: a slot comes back and is reused while the target is still in its batch',
    agents: 2,
    slotsPerAgent: 2,
    express: false,
    search: { preemptions: 3 },
    programs: {
      0: function* (api) {
        yield* api.post(1, 'note', 1);
        yield* api.post(1, 'note', 2);
        yield* api.post(1, 'note', 3);
      },
    },
  },
  {
    name: 'page-posts',
    about: 'a page that may not block posts three times through two slots to a worker: it spins on its bell, never waits',
    agents: 2,
    slotsPerAgent: 2,
    express: false,
    page: 0,
    search: { preemptions: 2 },
    programs: {
      0: function* (api) {
        yield* api.post(1, 'note', 1);
        yield* api.post(1, 'note', 2);
        yield* api.post(1, 'note', 3);
        yield* api.call(1, 'inc', 4);
        yield* api.settleAll();
      },
    },
  },
  {
    name: 'two-waiters',
    about: "an event loop parked in waitAsync runs a callSync that parks on the same bell: one ring must wake both",
    agents: 2,
    slotsPerAgent: 1,
    programs: {
      0: function* (api) {
        yield* api.parkAsync();
        yield* api.callSync(1, 'inc', 1);
      },
    },
  },
];

/** The 2009 question: the same AB/BA calls through the lock-handoff variant. */
export const variantScenarios: Scenario[] = [
  {
    name: 'abba-sync',
    about: '2009 variant: two agents call each other synchronously at once',
    agents: 2,
    slotsPerAgent: 1,
    variant: 'lock2009',
    programs: {
      0: function* (api) {
        yield* api.callSync(1, 'inc', 10);
      },
      1: function* (api) {
        yield* api.callSync(0, 'inc', 20);
      },
    },
  },
  {
    name: 'abba-post',
    about: '2009 variant: two agents each post twice to the other at once (fire and forget)',
    agents: 2,
    slotsPerAgent: 1,
    variant: 'lock2009',
    programs: {
      0: function* (api) {
        yield* api.post(1, 'note', 1);
        yield* api.post(1, 'note', 2);
      },
      1: function* (api) {
        yield* api.post(0, 'note', 3);
        yield* api.post(0, 'note', 4);
      },
    },
  },
];

export const byName = (name: string) => [...scenarios, ...variantScenarios].find((s) => s.name === name);
