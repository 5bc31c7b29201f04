// Runs the bundled main process (out/main/index.js) under plain Node for the smoke test:
// `node --import ./register-fake-electron.mjs out/main/index.js`. 'electron' and
// 'electron-log/main' resolve to the small fakes beside this file.
import { register } from 'node:module';

register(new URL('./fake-electron-hooks.mjs', import.meta.url));
