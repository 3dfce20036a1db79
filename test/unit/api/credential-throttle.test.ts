import { describe, expect, it } from 'vitest';
import { CredentialThrottle } from '../../../src/api/credential-throttle.js';
import { isLoopbackHostname } from '../../../src/api/request-origin.js';

describe('the credential throttle', () => {
  it('lets a client make its burst of wrong tries, then one per interval, each client on its own', () => {
    let now = new Date('2026-12-06T12:00:00Z');
    const throttle = new CredentialThrottle(() => now, { burst: 3, knownBurst: 30, knownForSeconds: 600, secondsPerTry: 10, maxClients: 100 });
    for (let i = 0; i < 3; i++) {
      expect(throttle.waitSeconds('a')).toBe(0);
      throttle.recordFailure('a');
    }
    expect(throttle.waitSeconds('a')).toBe(10);
    expect(throttle.waitSeconds('b')).toBe(0);
    now = new Date(now.getTime() + 4_000);
    expect(throttle.waitSeconds('a')).toBe(6);
    now = new Date(now.getTime() + 6_000);
    expect(throttle.waitSeconds('a')).toBe(0);
    throttle.recordFailure('a');
    expect(throttle.waitSeconds('a')).toBe(10);
    // Waiting long gives the whole burst back, never more.
    now = new Date(now.getTime() + 3_600_000);
    for (let i = 0; i < 3; i++) throttle.recordFailure('a');
    expect(throttle.waitSeconds('a')).toBe(10);
  });

  it('gives a client that showed the right credential the larger budget, for a while', () => {
    let now = new Date('2026-12-06T12:00:00Z');
    const throttle = new CredentialThrottle(() => now, { burst: 2, knownBurst: 5, knownForSeconds: 600, secondsPerTry: 10, maxClients: 100 });
    throttle.recordSuccess('a');
    for (let i = 0; i < 5; i++) {
      expect(throttle.waitSeconds('a')).toBe(0);
      throttle.recordFailure('a');
    }
    expect(throttle.waitSeconds('a')).toBe(10);
    // Once it is no longer known, its budget is the ordinary one again.
    now = new Date(now.getTime() + 601_000);
    expect(throttle.waitSeconds('a')).toBe(0);
    throttle.recordFailure('a');
    throttle.recordFailure('a');
    expect(throttle.waitSeconds('a')).toBe(10);
  });

  it('remembers at most maxClients, forgetting the one that failed longest ago', () => {
    const now = new Date('2026-12-06T12:00:00Z');
    const throttle = new CredentialThrottle(() => now, { burst: 1, knownBurst: 10, knownForSeconds: 600, secondsPerTry: 60, maxClients: 2 });
    throttle.recordFailure('a');
    throttle.recordFailure('b');
    throttle.recordFailure('c');
    expect(throttle.waitSeconds('a')).toBe(0);
    expect(throttle.waitSeconds('b')).toBe(60);
    expect(throttle.waitSeconds('c')).toBe(60);
  });
});

describe('loopback host names', () => {
  it('are 127.0.0.0/8, localhost (and its subdomains) and [::1]; nothing that merely starts like them', () => {
    for (const name of ['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', 'app.localhost', '[::1]', 'localhost.']) expect(isLoopbackHostname(name), name).toBe(true);
    for (const name of ['127.0.0.1.evil.example', 'localhost.evil.example', '10.0.0.1', '[::2]', 'example.com', '0.0.0.0']) expect(isLoopbackHostname(name), name).toBe(false);
  });
});
