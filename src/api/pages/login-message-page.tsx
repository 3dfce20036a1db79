import type { FC } from 'hono/jsx';
import { PageHead } from './layout.js';

/** A small readable page for what a person meets in the browser during the login (a refusal, a lost state). */
export const LoginMessagePage: FC<{ title: string; message: string; link?: { href: string; text: string } }> = ({ title, message, link }) => (
  <html lang="en">
    <PageHead title={`${title} · spotify-sync`} />
    <body>
      <main>
        <h1>{title}</h1>
        <p id="message" data-testid="message" class="banner error">
          {message}
        </p>
        <p>
          {link ? (
            <>
              <a href={link.href}>{link.text}</a> ·{' '}
            </>
          ) : null}
          <a href="/sync-status">Sync status</a>
        </p>
      </main>
    </body>
  </html>
);
