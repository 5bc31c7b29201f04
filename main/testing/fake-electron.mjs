// The Electron APIs main/index.ts uses, faked for a smoke test under plain Node. Each
// observable call is printed to stdout as one JSON line ({"event": …}) for the test to read.
import { EventEmitter } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const report = (event, details = {}) => process.stdout.write(`${JSON.stringify({ event, ...details })}\n`);
const repoRoot = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));

class FakeApp extends EventEmitter {
  isPackaged = false;
  enableSandbox = () => report('sandbox-enabled');
  dock = { hide: () => report('dock-hidden') };
  getAppPath = () => repoRoot;
  getPath = (name) => path.join(process.env.FAKE_ELECTRON_HOME ?? os.tmpdir(), name);
  requestSingleInstanceLock = () => process.env.FAKE_ELECTRON_SECOND_INSTANCE !== '1';
  whenReady = async () => {};
  getLoginItemSettings = () => ({ openAtLogin: false });
  setLoginItemSettings = (settings) => report('login-item', settings);
  quit = () => {
    const event = { defaultPrevented: false, preventDefault: () => (event.defaultPrevented = true) };
    this.emit('before-quit', event);
    if (!event.defaultPrevented) this.exit(0);
  };
  exit = (code) => {
    report('exit', { code });
    process.exit(code);
  };
}

export const app = new FakeApp();

export class Tray {
  constructor() {
    report('tray-created');
  }
  setImage = (image) => report('tray-image', { file: image.file ?? null });
  setToolTip = (text) => report('tray-tooltip', { text });
  setContextMenu = (menu) => report('tray-menu', { labels: menu.items.map((item) => item.label ?? '---') });
  destroy = () => report('tray-destroyed');
}

export const Menu = { buildFromTemplate: (items) => ({ items }) };
export const nativeImage = {
  createEmpty: () => ({ file: null }),
  createFromPath: (file) => ({ file, setTemplateImage: () => {} }),
};
export const nativeTheme = Object.assign(new EventEmitter(), { shouldUseDarkColors: false });
export const clipboard = { writeText: (text) => report('clipboard', { text }) };
export const shell = {
  openExternal: async (url) => report('open-external', { url }),
  showItemInFolder: (file) => report('show-item-in-folder', { file }),
};
export const dialog = { showErrorBox: (title, content) => report('error-box', { title, content }) };
export const ipcMain = { handle: (channel) => report('ipc-handle', { channel }) };
export class Notification {
  static isSupported = () => true;
  constructor(options) {
    this.options = options;
  }
  show() {
    report('notification', this.options);
  }
}
export class BrowserWindow extends EventEmitter {
  constructor(options) {
    super();
    report('browser-window', { webPreferences: options.webPreferences });
  }
}
