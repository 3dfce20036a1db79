import type { FC } from 'hono/jsx';

/** A small readable page for what a person meets in the browser during the login (a refusal, a lost state). */
export const LoginMessagePage: FC<{ title: string; message: string; link?: { href: string; text: string } }> = ({ title, message, link }) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>{`${title} · spotify-sync`}</title>
      <link rel="icon" href="data:," />
      <link rel="stylesheet" href="/assets/library.css" />
    </head>
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
