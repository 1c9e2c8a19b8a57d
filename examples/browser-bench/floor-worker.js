// The hardware floor: one Int32 of a SharedArrayBuffer ping-ponged between two spinning workers
// (src/bench/floors.ts in the browser). The caller stores an odd number, the echo answers with the
// next even one: one cache line crosses each way. Started with { buffer, role }; the caller then
// answers { n } with the milliseconds of `n` round trips.
const WORD = 0;
// The echo's "I am parked" flag, on its own 64-byte line.
const PARKED = 16;
// An idle echo parks after this long, so that it does not hold a core while the others are measured.
const SPIN_MS = 0.2;

function echo(w) {
  let last = 0;
  for (;;) {
    let v;
    let spins = 0;
    let since = performance.now();
    while ((v = Atomics.load(w, WORD)) === last) {
      if ((++spins & 1023) === 0 && performance.now() - since > SPIN_MS) {
        // Announced before the re-check inside wait: a caller that stores WORD after this store sees
        // PARKED and notifies (sequentially consistent Atomics: no lost wake-up).
        Atomics.store(w, PARKED, 1);
        Atomics.wait(w, WORD, last, 100);
        Atomics.store(w, PARKED, 0);
        since = performance.now();
      }
    }
    last = v + 1;
    Atomics.store(w, WORD, last);
  }
}

function caller(w) {
  let seq = 0;
  onmessage = ({ data }) => {
    const t0 = performance.now();
    for (let i = 0; i < data.n; i++) {
      const ask = (seq += 2) - 1;
      Atomics.store(w, WORD, ask);
      if (Atomics.load(w, PARKED) === 1) Atomics.notify(w, WORD);
      while (Atomics.load(w, WORD) === ask);
    }
    postMessage(performance.now() - t0);
  };
}

onmessage = ({ data }) => (data.role === 'echo' ? echo : caller)(new Int32Array(data.buffer));
