// electron-log/main, faked for the smoke test: the transports main/index.ts configures,
// writing lines to the file its resolvePathFn names in its format's shape.
import fs from 'node:fs';
import path from 'node:path';

const transports = {
  file: { resolvePathFn: null, format: '', maxSize: 0 },
  console: { format: '' },
};

function write(level, message, details) {
  const file = transports.file.resolvePathFn?.();
  if (!file) return;
  const text = [message, ...details.map((detail) => (detail instanceof Error ? detail.message : String(detail)))].join(
    ' ',
  );
  const line = transports.file.format
    .replace('{iso}', new Date().toISOString())
    .replace('{level}', level)
    .replace('{text}', text);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.appendFileSync(file, `${line}\n`);
}

export default {
  transports,
  errorHandler: { startCatching: () => {} },
  info: (message, ...details) => write('info', message, details),
  warn: (message, ...details) => write('warn', message, details),
  error: (message, ...details) => write('error', message, details),
};
