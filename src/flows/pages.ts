/**
 * The pages the loopback server shows in the browser after the login.
 */

/** Escapes text for HTML. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:4rem auto;max-width:36rem;padding:0 1rem;color:#222}h1{font-size:1.5rem}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(body)}</p>
</body>
</html>
`;
}

/** Shown when the login succeeded. */
export function successPage(): string {
  return page('Authenticated', 'You have logged in to the cluster. You may close this window.');
}

/** Shown when the login failed; `message` is already free of secrets. */
export function errorPage(message: string): string {
  return page('Authentication error', `${message}. Close this window and run the kubectl command again.`);
}
