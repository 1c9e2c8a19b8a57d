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
