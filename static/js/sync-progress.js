// Live progress on the sync page: the job supervisor's server-sent events update each job's
// progress bar in place; when a job starts or finishes the page reloads, so the buttons and
// the history are the server's. Without JavaScript the page shows the state when it loaded.
const section = document.querySelector('[data-events-url]');
if (section && 'EventSource' in window) {
  const source = new EventSource(section.dataset.eventsUrl);
  const number = (n) => Number(n).toLocaleString('en');

  const showProgress = (job) => {
    const article = section.querySelector(`[data-kind="${CSS.escape(job.kind)}"]`);
    if (!article) return;
    const slot = article.querySelector('[data-field="progress"]');
    let bar = slot.querySelector('progress');
    if (!bar) {
      slot.replaceChildren();
      const line = document.createElement('p');
      const stage = document.createElement('strong');
      stage.setAttribute('data-field', 'stage');
      const amount = document.createElement('span');
      amount.className = 'muted';
      amount.setAttribute('data-field', 'amount');
      line.append(stage, ' ', amount);
      bar = document.createElement('progress');
      bar.max = 100;
      bar.setAttribute('aria-label', `${job.kind} progress`);
      slot.append(line, bar);
    }
    // textContent only: event data is never parsed as markup.
    slot.querySelector('[data-field="stage"]').textContent = job.stage ?? '';
    const total = job.total ? ` of ${number(job.total)}` : '';
    const rate = job.rate ? ` · ${number(Math.round(job.rate))} ${job.unit}/s` : '';
    // Nothing counted yet (a job starting): the stage says enough.
    const counted = job.done > 0 || job.total;
    slot.querySelector('[data-field="amount"]').textContent = counted
      ? `${number(job.done ?? 0)}${total} ${job.unit ?? ''}${rate}`
      : '';
    if (typeof job.percent === 'number') bar.value = job.percent;
    else bar.removeAttribute('value');
  };

  const handle = (type, raw) => {
    let event;
    try {
      event = JSON.parse(raw);
    } catch {
      return;
    }
    const kind = type === 'snapshot' ? 'snapshot' : (event.type ?? type);
    if (kind === 'snapshot') for (const job of event.running ?? []) showProgress(job);
    else if (kind === 'progress' && event.job) showProgress(event.job);
    else if (kind === 'started' || kind === 'finished') {
      // Only a change from what the page shows reloads it (a stream may replay the state on connect).
      const jobKind = event.job?.kind ?? event.kind;
      const state = section.querySelector(`[data-kind="${CSS.escape(String(jobKind))}"] [data-field="state"]`);
      const shown = state?.textContent.trim();
      if ((kind === 'started' && shown === 'idle') || (kind === 'finished' && shown === 'running')) {
        source.close();
        window.location.reload();
      }
    }
  };

  source.addEventListener('message', (e) => handle('message', e.data));
  for (const type of ['snapshot', 'started', 'progress', 'finished'])
    source.addEventListener(type, (e) => handle(type, e.data));
  window.addEventListener('pagehide', () => source.close());
}
