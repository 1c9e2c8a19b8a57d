// One request at a time over a port or a worker: post a message, resolve with the next one that
// comes back. The postMessage contenders and the page's control of self-timed workers use it.
export function asker(port) {
  let answer;
  port.onmessage = (e) => answer(e.data);
  return (message) =>
    new Promise((resolve) => {
      answer = resolve;
      port.postMessage(message);
    });
}
