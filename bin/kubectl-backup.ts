import path from 'node:path';
import { exitWhenFlushed } from '../src/cli/exit-when-flushed.js';
import { main } from '../src/cli/main.js';

// The build sets OCLIF_DISABLE_ENGINE_WARNING in a banner, before oclif loads: inside the single
// executable there is no package.json beside it for oclif to read.
void main(process.argv.slice(2), path.dirname(process.argv[1] ?? process.execPath)).then(() => exitWhenFlushed());
