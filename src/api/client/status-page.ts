/**
 * The status page in the browser (bundled to /assets/status-page.js). The server renders everything;
 * this swaps in the panel it renders again (its URL is the panel's data-src) every 5 s, submits the
 * account picker on change, and asks the question a button carries (data-confirm) in a dialog.
 */

const refreshMs = 5000;
const panel = document.getElementById('status-panel');
const refreshError = document.getElementById('refresh-error');

async function refresh(): Promise<void> {
  if (!panel?.dataset.src) return;
  try {
    const res = await fetch(panel.dataset.src, { headers: { Accept: 'text/html' }, cache: 'no-store' });
    // An error of the status (unknown account, ...) comes as a panel saying so; anything else is no panel.
    if (!res.headers.get('content-type')?.startsWith('text/html')) throw new Error(`HTTP ${res.status}`);
    const html = await res.text();
    const focused = document.activeElement?.id;
    panel.innerHTML = html;
    if (focused) document.getElementById(focused)?.focus();
    if (refreshError) refreshError.hidden = true;
  } catch {
    if (refreshError) refreshError.hidden = false;
  } finally {
    setTimeout(() => void refresh(), refreshMs);
  }
}

document.addEventListener('submit', (event) => {
  const button = event.submitter;
  if (!(button instanceof HTMLButtonElement) || button.dataset.confirm === undefined) return;
  if (confirm(button.dataset.confirm)) button.value = 'yes';
  else event.preventDefault();
});

const picker = document.getElementById('account-picker');
if (picker instanceof HTMLSelectElement) picker.addEventListener('change', () => picker.form?.requestSubmit());

setTimeout(() => void refresh(), refreshMs);
