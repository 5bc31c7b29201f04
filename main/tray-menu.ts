/**
 * The tray menu as data: a pure function of the app's state, so every state can be
 * checked under plain Node. index.ts turns the template into a real Menu.
 */
export interface TrayState {
  server: { status: 'starting' | 'running' | 'stopped'; url: string | null };
}

export interface TrayActions {
  copyUrl(url: string): void;
  openDashboard(): void;
  quit(): void;
}

/** The subset of Electron's MenuItemConstructorOptions the tray uses. */
export interface TrayMenuItem {
  label?: string;
  type?: 'separator' | 'normal';
  enabled?: boolean;
  click?: () => void;
}

export function buildTrayMenu(state: TrayState, actions: TrayActions): TrayMenuItem[] {
  const { url, status } = state.server;
  const serverLine: TrayMenuItem =
    status === 'running' && url
      ? { label: `Server: ${url} (click to copy)`, click: () => actions.copyUrl(url) }
      : { label: status === 'starting' ? 'Server starting…' : 'Server stopped', enabled: false };
  return [
    serverLine,
    { type: 'separator' },
    { label: 'Open Dashboard', enabled: status === 'running', click: () => actions.openDashboard() },
    { type: 'separator' },
    { label: 'Quit MediaCanon', click: () => actions.quit() },
  ];
}
