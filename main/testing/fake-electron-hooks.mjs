// Module resolution hooks for register-fake-electron.mjs.
const fakes = {
  electron: new URL('./fake-electron.mjs', import.meta.url).href,
  'electron-log/main': new URL('./fake-electron-log.mjs', import.meta.url).href,
};

export async function resolve(specifier, context, nextResolve) {
  if (specifier in fakes) return { url: fakes[specifier], shortCircuit: true };
  return nextResolve(specifier, context);
}
