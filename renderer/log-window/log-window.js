// The log window's page: asks main for the filtered lines (main owns the tail and the
// filter, see main/log-tail.ts) and shows them, following the end while Follow is on.
// Lines are inserted as text nodes, never as HTML: a log line is untrusted input.
const logs = window.mediacanonLogs;
const filterInput = document.getElementById('filter');
const levelSelect = document.getElementById('level');
const follow = document.getElementById('follow');
const list = document.getElementById('lines');
const status = document.getElementById('status');

function render(lines) {
  const fragment = document.createDocumentFragment();
  for (const line of lines) {
    const row = document.createElement('div');
    row.className = `line ${line.level ?? ''}`;
    if (line.time) {
      const time = document.createElement('span');
      time.className = 'time';
      time.textContent = `${line.time.slice(11, 19)} `;
      row.append(time);
    }
    row.append(document.createTextNode(line.source ? `[${line.source}] ${line.text}` : line.text));
    fragment.append(row);
  }
  list.replaceChildren(fragment);
  status.textContent = `${lines.length} line${lines.length === 1 ? '' : 's'}`;
  if (follow.checked) list.scrollTop = list.scrollHeight;
}

let pending = null;
async function refresh() {
  const lines = await logs.read({ text: filterInput.value, minLevel: levelSelect.value });
  render(lines);
}
function refreshSoon() {
  clearTimeout(pending);
  pending = setTimeout(refresh, 120);
}

filterInput.addEventListener('input', refreshSoon);
levelSelect.addEventListener('change', refresh);
document.getElementById('reveal').addEventListener('click', () => logs.reveal());
logs.onChanged(refreshSoon);
refresh();
filterInput.focus();
