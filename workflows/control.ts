import { condition, log, setHandler } from '@temporalio/workflow';
import { pauseSignal, reauthorizedSignal, resumeSignal } from './contract.js';

/** The states the control itself shows: waiting while paused, waiting for a new login, back to work. */
export type ControlState = 'paused' | 'needs_reauth' | 'running';

export interface ControlHooks<S extends string> {
  /** Named in the logs, e.g. `history import` (`history import paused`). */
  name: string;
  /** Logged with every line, e.g. `{ accountId }`. */
  ids: Record<string, string>;
  /** Paused from the start (carried over continue-as-new). */
  paused?: boolean;
  /** Shows (and, where the workflow records its state, records) a state. */
  enter(state: S | ControlState): Promise<void> | void;
  /** After each `pause` or `resume` signal, e.g. to refresh the UI details. */
  changed?(paused: boolean): void;
  /** The state to show once resumed (default `running`). */
  resumeTo?(): S | ControlState;
  /** Once `needs_reauth` shows, before the wait for a login (the `needs_reauth` notification); a login meanwhile still counts. */
  loginLost?(): Promise<void>;
}

export interface Control {
  /** Whether the workflow is paused right now. */
  readonly paused: boolean;
  /** Between batches: if paused, shows it and waits for `resume`, then shows the state to resume to. */
  waitWhilePaused(): Promise<void>;
  /** After Spotify refused the login: shows `needs_reauth` and waits for `reauthorized`, then `running`. */
  waitForLogin(): Promise<void>;
}

/**
 * The workflows' one handling of the control signals (DESIGN.md, signals): `pause`, `resume` and
 * `reauthorized`, with the waits they end. Registers the handlers at once, so a workflow calls it
 * before its first `await`; the `status` query stays each workflow's own.
 */
export function useControl<S extends string>(hooks: ControlHooks<S>): Control {
  let paused = hooks.paused ?? false;
  let reauthorized = false;
  // A signal sent with the start (or before the first task) is delivered by `setHandler` itself, while
  // the workflow is still inside this call: its `changed` hook may read the control this returns, which
  // does not exist yet. Such a signal only sets the flag; the workflow shows it on its first `enter`.
  let registered = false;
  const changed = () => {
    if (registered) hooks.changed?.(paused);
  };

  setHandler(pauseSignal, () => {
    paused = true;
    changed();
  });
  setHandler(resumeSignal, () => {
    paused = false;
    changed();
  });
  setHandler(reauthorizedSignal, () => void (reauthorized = true));
  registered = true;

  return {
    get paused() {
      return paused;
    },
    async waitWhilePaused() {
      if (!paused) return;
      const resumeTo = hooks.resumeTo?.() ?? 'running';
      await hooks.enter('paused');
      log.info(`${hooks.name} paused`, hooks.ids);
      await condition(() => !paused);
      log.info(`${hooks.name} resumed`, hooks.ids);
      await hooks.enter(resumeTo);
    },
    async waitForLogin() {
      // Only a login after the refusal counts.
      reauthorized = false;
      log.warn('Spotify login expired or revoked: waiting for a new login (reauthorized signal)', hooks.ids);
      await hooks.enter('needs_reauth');
      await hooks.loginLost?.();
      await condition(() => reauthorized);
      reauthorized = false;
      log.info('account reauthorized, resuming', hooks.ids);
      await hooks.enter('running');
    },
  };
}
