/**
 * The module every Web Worker agent starts with when the page names its calls module by URL
 * (runtime/browser.ts). The work is in web-serve.ts.
 */
import { initMessage, sayLoaded, serveWebWorker } from './web-serve.js';

sayLoaded();
void initMessage().then((start) => serveWebWorker(start));
