import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';

describe('loadConfig: the doors', () => {
  it('refuses an API_TOKEN under 32 characters at start, saying how to make one (and never showing it)', () => {
    expect(() => loadConfig({ API_TOKEN: 'hunter2-but-longer' })).toThrow(/API_TOKEN must be at least 32 characters.*openssl rand -hex 32/);
    expect(() => loadConfig({ API_TOKEN: 'hunter2-but-longer' })).not.toThrow(/hunter2/);
    expect(loadConfig({ API_TOKEN: 'a'.repeat(32) }).apiToken).toBe('a'.repeat(32));
    expect(loadConfig({ API_TOKEN: '' }).apiToken).toBeUndefined();
  });

  it('takes PUBLIC_URL as an origin, and TRUST_PROXY as a boolean', () => {
    expect(loadConfig({}).publicUrl).toBeUndefined();
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ PUBLIC_URL: 'https://Music.Example.com/' }).publicUrl).toBe('https://music.example.com');
    expect(loadConfig({ PUBLIC_URL: 'http://192.168.1.5:3000/sync-status' }).publicUrl).toBe('http://192.168.1.5:3000');
    expect(() => loadConfig({ PUBLIC_URL: 'music.example.com' })).toThrow(/PUBLIC_URL must be the URL people open/);
    expect(() => loadConfig({ PUBLIC_URL: 'ftp://music.example.com' })).toThrow(/PUBLIC_URL must be an http/);
    for (const yes of ['true', '1', 'yes']) expect(loadConfig({ TRUST_PROXY: yes }).trustProxy).toBe(true);
    for (const no of ['false', '0', 'no']) expect(loadConfig({ TRUST_PROXY: no }).trustProxy).toBe(false);
    expect(() => loadConfig({ TRUST_PROXY: 'maybe' })).toThrow(/TRUST_PROXY must be true or false/);
  });
});
