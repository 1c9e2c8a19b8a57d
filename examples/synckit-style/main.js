// A synckit-style project: format code with prettier's async API, synchronously.
// The only change from the synckit version is the import below (it imported synckit).
import { fileURLToPath } from 'node:url';
import { createSyncFn } from 'smpcall/sync';

// the worker path must be absolute
const formatSync = createSyncFn(fileURLToPath(new URL('./worker.js', import.meta.url)));

const ugly = "const answer = {value:42,list:[1,2,3],nested:{ok:true}}\nfunction greet ( name ){return 'hello '+name}\n";
// do whatever you want, you will get the result synchronously!
const pretty = formatSync(ugly, { parser: 'babel' });
process.stdout.write(pretty);
