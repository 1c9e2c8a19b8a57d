// A plain postMessage echo worker: the page measures a postMessage round trip against it, side by side
// with smpcall's call().
onmessage = (e) => postMessage(e.data);
