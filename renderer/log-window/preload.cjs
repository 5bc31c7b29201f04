// Preload of the log window. Sandboxed preloads are CommonJS and may require only
// 'electron'; the page gets these three calls and nothing else of Node or Electron.
const { contextBridge, ipcRenderer } = require('electron');

contextBridge.exposeInMainWorld('mediacanonLogs', {
  /** @param {{ text?: string, minLevel?: 'INFO' | 'WARN' | 'ERROR' }} filter */
  read: (filter) => ipcRenderer.invoke('logs:read', filter),
  reveal: () => ipcRenderer.invoke('logs:reveal'),
  /** @param {() => void} listener called when the log has grown */
  onChanged: (listener) => {
    ipcRenderer.on('logs:changed', () => listener());
  },
});
