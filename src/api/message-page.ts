export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

/** A small readable page for errors a person meets in the browser (the login flow). */
export function renderMessagePage(options: { title: string; message: string; link?: { href: string; text: string } }): string {
  const link = options.link ? `<p><a href="${escapeHtml(options.link.href)}">${escapeHtml(options.link.text)}</a> · <a href="/sync-status">Sync status</a></p>` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1d1d1f}a{color:#1b7f3b}</style>
</head>
<body>
<h1>${escapeHtml(options.title)}</h1>
<p id="message" data-testid="message">${escapeHtml(options.message)}</p>
${link}
</body>
</html>
`;
}
