// The thread that stages title.episode and title.basics' episode lines (stage-aside.ts), for
// the dialect workerData names. It loads the TypeScript through tsx in a namespace of its
// own, whatever the process registered (the CLI registers tsx for its main thread; tests
// run under vitest's own transform).
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

const api = register({ namespace: 'mediacanon-stage-aside' });
const module = workerData.dialect === 'pg' ? './stage-aside.pg.ts' : './stage-aside.sqlite.ts';
const { runStageAside } = await api.import(module, import.meta.url);
await runStageAside(workerData, (message) => parentPort.postMessage(message));
