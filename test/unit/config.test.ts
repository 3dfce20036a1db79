import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load-config.js';
import { createTokenCipher } from '../../src/crypto/token-cipher.js';

describe('loadConfig', () => {
  it('gives the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      temporal: { address: '127.0.0.1:7233', namespace: 'default', taskQueue: 'spotify-sync' },
      spotify: { appMode: 'auto', redirectUri: 'http://127.0.0.1:3000/auth/callback', apiUrl: 'https://api.spotify.com', maxConcurrency: 8 },
      port: 3000,
      sync: { initialBatchSize: 200, incrementalBatchSize: 50, incrementalIntervalHours: 6, playbackPollMinutes: 30, rateLimitFallbackHours: 24 },
    });
  });

  it.each([
    ['PORT', 'eighty', /PORT must be a port number/],
    ['PORT', '70000', /PORT must be between 1 and 65535/],
    ['SYNC_INITIAL_BATCH_SIZE', '0', /SYNC_INITIAL_BATCH_SIZE must be greater than 0/],
    ['SYNC_INCREMENTAL_INTERVAL_HOURS', 'six', /SYNC_INCREMENTAL_INTERVAL_HOURS must be a number/],
    ['SPOTIFY_MAX_CONCURRENCY', '0', /SPOTIFY_MAX_CONCURRENCY must be greater than 0/],
    ['SPOTIFY_MAX_CONCURRENCY', 'many', /SPOTIFY_MAX_CONCURRENCY must be a whole number/],
    ['SPOTIFY_APP_MODE', 'premium', /SPOTIFY_APP_MODE must be one of auto, development, extended/],
    ['DATABASE_URL', 'mysql://x', /DATABASE_URL must be a postgres:\/\/ connection URL/],
    ['TEMPORAL_ADDRESS', 'http://temporal', /TEMPORAL_ADDRESS must be host:port/],
    ['SPOTIFY_REDIRECT_URI', 'not a url', /SPOTIFY_REDIRECT_URI must be a URL/],
    ['TOKEN_ENCRYPTION_KEY', 'short-secret-value', /TOKEN_ENCRYPTION_KEY must be 32 bytes/],
  ])('names %s when it is invalid (%s)', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  it('reads an empty variable as unset, and URLs without their trailing slash', () => {
    const config = loadConfig({ PORT: '', SPOTIFY_API_URL: 'http://127.0.0.1:4010/', TEMPORAL_UI_URL: 'http://ui.example:8233///' });
    expect(config.port).toBe(3000);
    expect(config.spotify.apiUrl).toBe('http://127.0.0.1:4010');
    expect(config.temporal.uiUrl).toBe('http://ui.example:8233');
  });

  it('serves the worker metrics on 127.0.0.1:9464 unless told another address or off', () => {
    expect(loadConfig({}).workerMetricsAddress).toBe('127.0.0.1:9464');
    expect(loadConfig({ WORKER_METRICS_ADDRESS: '0.0.0.0:9000' }).workerMetricsAddress).toBe('0.0.0.0:9000');
    expect(loadConfig({ WORKER_METRICS_ADDRESS: 'off' }).workerMetricsAddress).toBeUndefined();
    expect(() => loadConfig({ WORKER_METRICS_ADDRESS: 'on' })).toThrow(/WORKER_METRICS_ADDRESS must be host:port/);
  });

  it('takes Temporal mTLS as a certificate and key together, never one alone', () => {
    expect(loadConfig({ TEMPORAL_TLS_CERT_PATH: '/certs/client.pem', TEMPORAL_TLS_KEY_PATH: '/certs/client.key' }).temporal.tls).toEqual({
      certPath: '/certs/client.pem',
      keyPath: '/certs/client.key',
    });
    expect(() => loadConfig({ TEMPORAL_TLS_CERT_PATH: '/certs/client.pem' })).toThrow('TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH must be set together');
  });

  it('reports every bad variable at once and never echoes a value', () => {
    try {
      loadConfig({ PORT: 'x', TOKEN_ENCRYPTION_KEY: 'my-very-secret-key', PLAYBACK_POLL_MINUTES: '-1' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toMatch(/PORT/);
      expect(message).toMatch(/TOKEN_ENCRYPTION_KEY/);
      expect(message).toMatch(/PLAYBACK_POLL_MINUTES/);
      expect(message).not.toContain('my-very-secret-key');
    }
  });
});

describe('token cipher', () => {
  const key = 'a'.repeat(64);
  it('round-trips, never stores plaintext, and refuses a wrong key without revealing anything', () => {
    const cipher = createTokenCipher(key);
    const stored = cipher.encrypt('refresh-token-123');
    expect(stored).not.toContain('refresh-token-123');
    expect(cipher.encrypt('refresh-token-123')).not.toBe(stored); // fresh IV each time
    expect(cipher.decrypt(stored)).toBe('refresh-token-123');
    expect(() => createTokenCipher('b'.repeat(64)).decrypt(stored)).toThrow(/TOKEN_ENCRYPTION_KEY differs/);
    const tampered = stored.slice(0, -4) + (stored.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect(() => cipher.decrypt(tampered)).toThrow(/could not be decrypted/);
  });
});
