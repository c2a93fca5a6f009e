/**
 * Silences oidc-provider's start-up notices ("Node 22 is preferred", "devInteractions is enabled",
 * ...), which it prints with console.warn/console.info and which would clutter every test's output.
 */

/** Prefixes of the messages oidc-provider's `attention` helper prints; nothing else starts so. */
const NOTICE_PREFIXES = ['oidc-provider WARNING:', 'oidc-provider NOTICE:'];

function isProviderNotice(args: unknown[]): boolean {
  const [first] = args;
  return typeof first === 'string' && NOTICE_PREFIXES.some((prefix) => first.startsWith(prefix));
}

/**
 * Runs `action` while console.warn and console.info drop oidc-provider's notices; every other
 * message still gets through, so real problems stay visible.
 */
export async function withoutProviderNotices<T>(action: () => Promise<T> | T): Promise<T> {
  const { warn, info } = console;
  console.warn = (...args: unknown[]) => {
    if (!isProviderNotice(args)) warn(...args);
  };
  console.info = (...args: unknown[]) => {
    if (!isProviderNotice(args)) info(...args);
  };
  try {
    return await action();
  } finally {
    console.warn = warn;
    console.info = info;
  }
}
