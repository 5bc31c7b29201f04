#!/usr/bin/env node
// The `mediacanon` command: runs server/cli.ts through tsx, so no build step is needed.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../server/cli.ts');
process.exitCode = await runCli(process.argv.slice(2), process.env);
