/**
 * Composition root of the tray app: the only module that touches Electron's APIs. It runs
 * the same server as `mediacanon serve`, in-process, and quits it gracefully.
 */
import { app, clipboard, Menu, nativeImage, shell, Tray } from 'electron';
import { loadConfig } from '../server/config.ts';
import { createConsoleLogger } from '../server/logger.ts';
import { type RunningServer, startServer } from '../server/start.ts';
import { buildTrayMenu, type TrayState } from './tray-menu.ts';

const log = createConsoleLogger('main');

async function main() {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.dock?.hide();
  await app.whenReady();

  const config = loadConfig(process.env, { dataDir: process.env.MEDIACANON_DATA_DIR ?? app.getPath('userData') });
  const state: TrayState = { server: { status: 'starting', url: null } };
  const tray = new Tray(nativeImage.createEmpty());
  tray.setToolTip('MediaCanon');
  let server: RunningServer | null = null;

  const render = () =>
    tray.setContextMenu(
      Menu.buildFromTemplate(
        buildTrayMenu(state, {
          copyUrl: (url) => clipboard.writeText(url),
          openDashboard: () => state.server.url && shell.openExternal(state.server.url),
          quit: () => app.quit(),
        }),
      ),
    );
  render();
  app.on('second-instance', () => state.server.url && shell.openExternal(state.server.url));

  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting || !server) return;
    event.preventDefault();
    quitting = true;
    server.close().finally(() => app.exit(0));
  });

  server = await startServer({ config, log });
  state.server = { status: 'running', url: server.url };
  render();
  log.info(`MediaCanon serving ${server.url}`);
}

main().catch((error) => {
  log.error('MediaCanon could not start', error);
  app.exit(1);
});
