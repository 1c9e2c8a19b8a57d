// The plain postMessage echo: every message goes back where it came from, to the page, or through a
// port it was given (the far end of a MessageChannel whose other end a ping worker holds).
onmessage = ({ data, ports }) => {
  if (ports.length === 0) postMessage(data);
  else ports[0].onmessage = (e) => ports[0].postMessage(e.data);
};
