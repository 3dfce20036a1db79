import type { FC } from 'hono/jsx';

/** Where pictures may come from: Spotify's image CDN, and the simulator's generated covers (inline SVG). */
const allowedImage = /^(https:\/\/i\.scdn\.co\/|data:image\/svg\+xml[,;])/;

/** The URL to show, or null for the placeholder: any other origin would be refused by the pages' CSP. */
export const shownImage = (url: string | null | undefined): string | null => (url && allowedImage.test(url) ? url : null);

export type CoverSize = 's' | 'm' | 'l';
const pixels: Record<CoverSize, number> = { s: 40, m: 64, l: 160 };

/**
 * A cover or an artist's picture, loaded lazily at the size it is shown; a placeholder note when there is
 * none. Decorative (`alt=""`): the name next to it says what it is.
 */
export const Cover: FC<{ url: string | null | undefined; size: CoverSize; round?: boolean }> = ({ url, size, round }) => {
  const src = shownImage(url);
  const cls = `cover cover-${size}${round ? ' round' : ''}`;
  if (!src) {
    return (
      <span class={`${cls} placeholder`} aria-hidden="true" data-testid="cover-placeholder">
        ♪
      </span>
    );
  }
  return <img class={cls} src={src} alt="" width={pixels[size]} height={pixels[size]} loading="lazy" decoding="async" data-testid="cover" />;
};
