import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/create-app.js';
import type { AccountStatus } from '../../src/api/schemas.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { insertAccount, insertSyncState, testConfig, unreachableTemporal } from './fixtures.js';

/**
 * The status page as served: rendered with the status the API answers (readable without JavaScript),
 * its one script loaded from /assets/ under the nonce and integrity the page names, a CSP that allows
 * nothing inline, the panel its script swaps in, and its buttons as plain forms. The browser tests
 * drive the live page.
 */

let testDb: TestDatabase;
const config = testConfig();
const app = (env: Record<string, string> = {}) => createApp({ db: testDb.db, config: Object.keys(env).length > 0 ? testConfig(env) : config, temporal: unreachableTemporal });

beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => {
  await testDb?.drop();
});
beforeEach(async () => {
  await testDb.db('history_imports').del();
  await testDb.db('sync_state').del();
  await testDb.db('accounts').del();
});

/** The opening tag of the element with this id. */
function tagOf(html: string, id: string): string {
  const tag = new RegExp(`<[a-z]+ [^>]*\\bid="${id}"[^>]*>`).exec(html)?.[0];
  if (!tag) throw new Error(`no #${id} in the page`);
  return tag;
}
const attr = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
const isHidden = (html: string, id: string) => /\shidden=""/.test(tagOf(html, id));
/** The text of a leaf element (entities decoded the way the page writes them). */
function textOf(html: string, id: string): string {
  const match = new RegExp(`\\s(?:id|data-testid)="${id}"[^>]*>([^<]*)<`).exec(html);
  if (!match) throw new Error(`no text for #${id}`);
  return match[1]!
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");
}

async function getPage(path: string, env: Record<string, string> = {}, headers: Record<string, string> = {}) {
  const res = await app(env).request(path, { headers });
  return { res, html: await res.text(), csp: res.headers.get('content-security-policy') ?? '' };
}

describe('GET /sync-status', () => {
  it('is rendered with the status the API answers, the bars at their widths, before any script runs', async () => {
    await insertAccount(testDb.db, 'acc-1', { display_name: 'Ada <Lovelace>', sync_state: 'running', sync_phase: 'artists' });
    await insertSyncState(testDb.db, 'acc-1', 'tracks', { synced_count: 700, total_estimated: 700 });
    await insertSyncState(testDb.db, 'acc-1', 'artists', { synced_count: 120, total_estimated: 480 });

    const api = (await (await app().request('/api/sync/status?accountId=acc-1')).json()) as AccountStatus;
    const { res, html } = await getPage('/sync-status?accountId=acc-1');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<title>Spotify sync status</title>');
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1"/>');

    expect(isHidden(html, 'status')).toBe(false);
    expect(textOf(html, 'account-name')).toBe('Ada <Lovelace> (acc-1)');
    expect(html).not.toContain('Ada <Lovelace>');
    expect(attr(tagOf(html, 'state'), 'data-state')).toBe(api.state);
    expect(textOf(html, 'state')).toBe(api.state.replace('_', ' '));
    expect(textOf(html, 'phase')).toBe(api.phase);
    expect(textOf(html, 'overall-percent')).toBe(`${api.overallPercent}%`);
    for (const p of api.phases) {
      const tag = tagOf(html, `phase-${p.entity}`);
      expect(attr(tag, 'data-testid')).toBe(`phase-${p.entity}`);
      expect(attr(tag, 'data-synced'), p.entity).toBe(String(p.synced));
      expect(attr(tag, 'data-total'), p.entity).toBe(p.total === null ? '' : String(p.total));
      expect(attr(tag, 'data-percent'), p.entity).toBe(String(p.percent));
      expect(attr(tag, 'data-complete'), p.entity).toBe(String(p.complete));
      // The bar is a <progress> drawn at the phase's percent (no inline style, no script needed).
      const row = new RegExp(`id="phase-${p.entity}"[\\s\\S]*?</progress>`).exec(html)![0];
      expect(attr(/<progress [^>]*>/.exec(row)![0], 'value')).toBe(String(p.percent));
      expect(attr(/<progress [^>]*>/.exec(row)![0], 'max')).toBe('100');
    }
    const artists = api.phases.find((p) => p.entity === 'artists')!;
    expect(artists).toMatchObject({ synced: 120, total: 480, percent: 25 });
    expect(textOf(html, 'phase-artists-count')).toBe('120 / 480 · 25%');
    expect(textOf(html, 'phase-tracks-count')).toMatch(/^700 \/ 700 · [\d.]+%$/);
    // Paused or not decides which button is live; the banners that do not apply are hidden.
    expect(tagOf(html, 'pause')).not.toContain('disabled');
    expect(tagOf(html, 'resume')).toContain('disabled');
    for (const id of ['error-banner', 'no-accounts-banner', 'rate-limit-banner', 'login-banner', 'account-picker-wrap']) expect(isHidden(html, id), id).toBe(true);
    expect(attr(tagOf(html, 'login-banner'), 'data-login-state')).toBe(api.login.state);
    expect(textOf(html, 'playback')).toMatch(/^0 plays recorded by polling · 0 gaps · last poll not yet$/);
    expect(attr(tagOf(html, 'temporal-link'), 'href')).toBe(api.temporalUiUrl);
    for (const id of ['eta', 'incremental', 'playback', 'updated-at', 'action-message', 'reset', 'reauth-login']) expect(() => tagOf(html, id)).not.toThrow();
  });

  it('loads its one script from /assets/ under the nonce and integrity it names, and allows no inline code', async () => {
    await insertAccount(testDb.db, 'acc-1', { sync_state: 'running', sync_phase: 'tracks' });
    await insertSyncState(testDb.db, 'acc-1', 'tracks', { synced_count: 250, total_estimated: 1000 });
    const { html, csp } = await getPage('/sync-status');

    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts).toHaveLength(1);
    const [, attrs, body] = scripts[0]!;
    expect(body).toBe('');
    expect(attr(attrs!, 'nonce')).toBe(nonce);
    const src = attr(attrs!, 'src')!;
    expect(src).toMatch(/^\/assets\/status-page\.js\?v=/);

    const script = await app().request(src);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    const code = await script.text();
    expect(attr(attrs!, 'integrity')).toBe(`sha384-${createHash('sha384').update(code).digest('base64')}`);
    expect(() => new Function(code)).not.toThrow();
    for (const fragment of ['status-panel', 'refresh-error', 'account-picker', 'confirm']) expect(code).toContain(fragment);

    // No inline style either: the bars are <progress> elements, and the CSP allows stylesheets from this origin only.
    expect([...html.matchAll(/\sstyle="([^"]*)"/g)]).toEqual([]);
    expect(csp).toMatch(/style-src 'self';/);
    expect(csp).not.toContain('unsafe-hashes');
    const css = await app().request('/assets/status-page.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    expect(html).toContain('href="/assets/library.css"');
  });

  it('shows the latest history import, with a link to its page', async () => {
    await insertAccount(testDb.db, 'acc-1');
    const before = await getPage('/sync-status');
    expect(textOf(before.html, 'history-import')).toBe('None yet.');
    expect(attr(tagOf(before.html, 'history-import-link'), 'href')).toBe('/history/import');

    const importId = '0b7e4f4e-3a51-4c1e-9c55-1f2d3e4a5b6c';
    await testDb.db('history_imports').insert({ id: importId, account_id: 'acc-1', state: 'running', phase: 'plays', source_dir: '/tmp', plays: 1234, duplicates: 56 });
    const file = { import_id: importId, kind: 'extended_audio' as const, path: '/tmp/x.zip', size_bytes: 10 };
    await testDb.db('history_import_files').insert([
      { ...file, position: 0, name: 'Streaming_History_Audio_2024.json', is_complete: true },
      { ...file, position: 1, name: 'Streaming_History_Audio_2025.json' },
    ]);
    const api = (await (await app().request('/api/sync/status')).json()) as AccountStatus;
    expect(api.import).toMatchObject({ importId, files: { done: 1, total: 2 }, plays: 1234 });
    const during = await getPage('/sync-status');
    expect(textOf(during.html, 'history-import')).toBe('Latest import: plays phase · 1 of 2 files · 1,234 plays stored · 56 already known');
    expect(attr(tagOf(during.html, 'history-import-link'), 'href')).toBe(`/history/import/${importId}`);
  });

  it('says so when no account is connected yet', async () => {
    const { res, html, csp } = await getPage('/sync-status');
    expect(res.status).toBe(200);
    expect(isHidden(html, 'no-accounts-banner')).toBe(false);
    expect(isHidden(html, 'status')).toBe(true);
    expect(html).toContain('href="/auth/login"');
    expect(csp).toMatch(/style-src 'self';/);
  });

  it('answers an unknown account with a 404 and a malformed id with a 400, saying why on the page', async () => {
    await insertAccount(testDb.db, 'acc-1');
    const unknown = await getPage('/sync-status?accountId=nobody');
    expect(unknown.res.status).toBe(404);
    expect(isHidden(unknown.html, 'error-banner')).toBe(false);
    expect(textOf(unknown.html, 'error-banner')).toContain('No account with id "nobody"');
    expect(isHidden(unknown.html, 'status')).toBe(true);

    const malformed = await getPage('/sync-status?accountId=%00');
    expect(malformed.res.status).toBe(400);
    expect(textOf(malformed.html, 'error-banner')).toMatch(/^Could not load the status: Invalid query parameter accountId/);
  });

  it('with several accounts offers the picker, to the holder of the API token only', async () => {
    await insertAccount(testDb.db, 'acc-1', { display_name: 'First', connected_at: new Date('2026-01-01T00:00:00Z') });
    await insertAccount(testDb.db, 'acc-2', { display_name: 'Second', connected_at: new Date('2026-01-02T00:00:00Z') });
    const open = await getPage('/sync-status');
    expect(open.res.status).toBe(200);
    expect(isHidden(open.html, 'account-picker-wrap')).toBe(false);
    expect([...open.html.matchAll(/<option value="([^"]+)"/g)].map((m) => m[1])).toEqual(['acc-1', 'acc-2']);
    expect(textOf(open.html, 'account-name')).toBe('First (acc-1)');
    // Without JavaScript the picker is a GET form of this page, and the page reloads itself.
    expect(open.html).toMatch(/<form class="picker-form" method="get" action="\/sync-status">[\s\S]*name="accountId"[\s\S]*<noscript><button type="submit">/);
    expect(open.html).toContain('<noscript><meta http-equiv="refresh" content="5"/></noscript>');

    // With API_TOKEN set the page needs it (or a session): without, the sign-in page, naming no account.
    const gated = await getPage('/sync-status', { API_TOKEN: 'status-page-token-of-32-characters-at-least' });
    expect(gated.res.status).toBe(303);
    expect(gated.res.headers.get('location')).toBe('/sign-in?next=%2Fsync-status');
    expect(gated.html).not.toContain('acc-2');
    const named = await getPage(
      '/sync-status?accountId=acc-2',
      { API_TOKEN: 'status-page-token-of-32-characters-at-least' },
      { Authorization: `Bearer ${'status-page-token-of-32-characters-at-least'}` },
    );
    expect(named.res.status).toBe(200);
    expect(textOf(named.html, 'account-name')).toBe('Second (acc-2)');
  });
});

describe('the account picker', () => {
  it('stays on the page once an account is chosen, with that account selected, but not for a caller who may not list them', async () => {
    await insertAccount(testDb.db, 'acc-1', { display_name: 'First', connected_at: new Date('2026-01-01T00:00:00Z') });
    await insertAccount(testDb.db, 'acc-2', { display_name: 'Second', connected_at: new Date('2026-01-02T00:00:00Z') });
    const chosen = await getPage('/sync-status?accountId=acc-2');
    expect(isHidden(chosen.html, 'account-picker-wrap')).toBe(false);
    expect([...chosen.html.matchAll(/<option value="([^"]+)"( selected="")?/g)].map((m) => [m[1], Boolean(m[2])])).toEqual([
      ['acc-1', false],
      ['acc-2', true],
    ]);
    expect(textOf(chosen.html, 'account-name')).toBe('Second (acc-2)');
    const gated = await getPage('/sync-status?accountId=acc-2', { API_TOKEN: 'status-page-token-of-32-characters-at-least' });
    expect(gated.res.status).toBe(303);
    expect(gated.html).not.toContain('acc-1');
  });
});

describe('GET /sync-status/panel', () => {
  it('answers the page’s panel alone, as the page renders it, under the same account rules', async () => {
    await insertAccount(testDb.db, 'acc-1', { display_name: 'First', sync_state: 'paused', sync_phase: 'artists', connected_at: new Date('2026-01-01T00:00:00Z') });
    await insertSyncState(testDb.db, 'acc-1', 'artists', { synced_count: 120, total_estimated: 480 });
    const page = await getPage('/sync-status');
    expect(attr(tagOf(page.html, 'status-panel'), 'data-src')).toBe('/sync-status/panel');

    const res = await app().request('/sync-status/panel');
    const panel = await res.text();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(panel.startsWith('<!doctype')).toBe(false);
    expect(panel).not.toContain('<html');
    expect(panel).not.toContain('<script');
    for (const id of ['state', 'phase', 'overall-percent', 'eta', 'incremental', 'playback', 'updated-at']) expect(textOf(panel, id), id).toBe(textOf(page.html, id));
    expect(attr(tagOf(panel, 'state'), 'data-state')).toBe('paused');
    expect(attr(tagOf(panel, 'phase-artists'), 'data-percent')).toBe('25');
    expect(tagOf(panel, 'pause')).toContain('disabled');
    expect(tagOf(panel, 'resume')).not.toContain('disabled');

    // With API_TOKEN set the panel needs it (or a session), as the page does.
    await insertAccount(testDb.db, 'acc-2', { display_name: 'Second', connected_at: new Date('2026-01-02T00:00:00Z') });
    const gated = await app({ API_TOKEN: 'status-page-token-of-32-characters-at-least' }).request('/sync-status/panel');
    expect(gated.status).toBe(303);
    expect(await gated.text()).not.toContain('acc-2');
    const named = await app({ API_TOKEN: 'status-page-token-of-32-characters-at-least' }).request('/sync-status/panel?accountId=acc-2', {
      headers: { Authorization: `Bearer ${'status-page-token-of-32-characters-at-least'}` },
    });
    expect(named.status).toBe(200);
    expect(textOf(await named.text(), 'account-name')).toBe('Second (acc-2)');
    const unknown = await app().request('/sync-status/panel?accountId=nobody');
    expect(unknown.status).toBe(404);
    expect(textOf(await unknown.text(), 'error-banner')).toContain('No account with id "nobody"');
  });
});

describe('the buttons, as forms', () => {
  const post = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}, env: Record<string, string> = {}) =>
    app(env).request(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(fields).toString() });

  it('are one form posting to /sync-status/{pause,resume,reset} with the account shown', async () => {
    await insertAccount(testDb.db, 'acc-1', { sync_state: 'running', sync_phase: 'tracks' });
    const { html } = await getPage('/sync-status');
    const form = /<form class="controls" method="post"[^>]*>[\s\S]*?<\/form>/.exec(html)![0];
    expect(form).toContain('<input type="hidden" name="accountId" value="acc-1"/>');
    for (const action of ['pause', 'resume', 'reset']) expect(attr(tagOf(form, action), 'formaction')).toBe(`/sync-status/${action}`);
    expect(attr(tagOf(form, 'reset'), 'data-confirm')).toBe('Start the initial sync over? Saved data and play history stay; progress starts from zero.');
  });

  it('Reset asks first: without the answer yes it only sends the page back asking', async () => {
    await insertAccount(testDb.db, 'acc-1', { sync_state: 'running', sync_phase: 'tracks' });
    const asked = await post('/sync-status/reset', { accountId: 'acc-1', confirm: 'ask' });
    expect(asked.status).toBe(303);
    expect(asked.headers.get('location')).toBe('/sync-status?accountId=acc-1&confirm=reset');
    const { html } = await getPage('/sync-status?accountId=acc-1&confirm=reset');
    expect(html).toContain('data-testid="reset-confirm"');
    expect(html).toContain('<p>Start the initial sync over? Saved data and play history stay; progress starts from zero.</p>');
    expect(attr(tagOf(html, 'reset-cancel'), 'href')).toBe('/sync-status?accountId=acc-1');
    // The page does not reload itself under the question, and its panel keeps asking.
    expect(html).not.toContain('http-equiv="refresh"');
    expect(attr(tagOf(html, 'status-panel'), 'data-src')).toBe('/sync-status/panel?accountId=acc-1&amp;confirm=reset');
    expect(await (await app().request('/sync-status/panel?accountId=acc-1&confirm=reset')).text()).toContain('data-testid="reset-confirm"');
  });

  it('say what a control did after the 303 back to the page', async () => {
    await insertAccount(testDb.db, 'acc-1');
    expect(textOf((await getPage('/sync-status?accountId=acc-1&done=pause&delivered=2')).html, 'action-message')).toBe(
      'pause sent to 2 workflows (the sync and playback tracking).',
    );
    expect(textOf((await getPage('/sync-status?accountId=acc-1&done=resume&delivered=0')).html, 'action-message')).toBe(
      'Nothing to resume: no workflow of the sync and playback tracking is running.',
    );
    expect(textOf((await getPage('/sync-status?accountId=acc-1&done=reset&delivered=1')).html, 'action-message')).toBe('The initial sync starts over.');
    expect((await getPage('/sync-status?accountId=acc-1&done=explode')).res.status).toBe(400);
  });

  it('answer with the page saying why when the control fails (Temporal down, unknown account)', async () => {
    await insertAccount(testDb.db, 'acc-1', { sync_state: 'running', sync_phase: 'tracks' });
    for (const [action, fields] of [
      ['pause', { accountId: 'acc-1' }],
      ['resume', { accountId: 'acc-1' }],
      ['reset', { accountId: 'acc-1', confirm: 'yes' }],
    ] as const) {
      const res = await post(`/sync-status/${action}`, fields, { 'sec-fetch-site': 'same-origin' });
      expect(res.status, action).toBe(503);
      const html = await res.text();
      expect(textOf(html, 'action-message'), action).toMatch(/Temporal/);
      expect(textOf(html, 'account-name')).toBe('User acc-1 (acc-1)');
    }
    const unknown = await post('/sync-status/pause', { accountId: 'nobody' });
    expect(unknown.status).toBe(404);
    expect(textOf(await unknown.text(), 'action-message')).toContain('No account with id "nobody"');
  });

  it('refuse a form posted from another site, and send a browser without the API token to sign in first', async () => {
    await insertAccount(testDb.db, 'acc-1', { sync_state: 'running', sync_phase: 'tracks' });
    for (const headers of [{ 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }, { origin: 'https://elsewhere.example' }] as Record<string, string>[]) {
      const res = await post('/sync-status/reset', { accountId: 'acc-1', confirm: 'yes' }, headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(textOf(await res.text(), 'action-message')).toContain('works from this server');
    }
    const gated = await post('/sync-status/pause', { accountId: 'acc-1' }, {}, { API_TOKEN: 'status-page-token-of-32-characters-at-least' });
    expect(gated.status).toBe(303);
    expect(gated.headers.get('location')).toBe(`/sign-in?next=${encodeURIComponent('/sync-status')}`);
  });
});
