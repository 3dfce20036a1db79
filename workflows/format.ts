/** Deterministic formatting for logs and UI details (no locale data in workflow code). */
export function formatCount(n: number): string {
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `2026-01-07 08:00 UTC` */
export function formatUtc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function formatProgress(synced: number, total: number | null): string {
  return total === null ? formatCount(synced) : `${formatCount(synced)}/${formatCount(total)}`;
}
