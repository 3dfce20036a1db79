import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** A Chromium on PATH (Debian's package installs /usr/bin/chromium); CHROMIUM_PATH names another build. */
function systemChromium(): string | undefined {
  if (process.env.CHROMIUM_PATH) {
    if (!existsSync(process.env.CHROMIUM_PATH)) throw new Error(`CHROMIUM_PATH names ${process.env.CHROMIUM_PATH}, which does not exist`);
    return process.env.CHROMIUM_PATH;
  }
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of ['chromium', 'chromium-browser']) {
      if (existsSync(join(dir, name))) return join(dir, name);
    }
  }
  return undefined;
}

/**
 * The system Chromium when there is one, else the build shipped inside the `@sparticuz/chromium`
 * package (unpacked into the temporary folder), so the browser tests need nothing from apt. Tests
 * never download browsers. The global setup calls this once and hands the path on in CHROMIUM_PATH:
 * test files running at the same time would otherwise unpack it over each other (ETXTBSY).
 */
export async function chromiumExecutable(): Promise<string> {
  const system = systemChromium();
  if (system) return system;
  const { default: packaged } = await import('@sparticuz/chromium');
  return packaged.executablePath();
}
