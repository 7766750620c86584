import { it } from 'vitest';
import { dbContents } from './helpers.js';
it('probe', async () => { console.log(await dbContents('/tmp/rel1')); });
