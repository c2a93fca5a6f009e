import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Logger } from '../../../src/io/logger.ts';
import { REDACTED, Redactor } from '../../../src/io/redact.ts';

function collect(level: number, redactor = new Redactor()) {
  const lines: string[] = [];
  const logger = new Logger({ write: (text: string) => lines.push(text) }, level, redactor);
  return { logger, lines };
}

function logEveryKind(logger: Logger): void {
  logger.info('info line');
  logger.warn('warn line');
  logger.debug('debug line');
  logger.trace('trace line');
}

describe('Logger', () => {
  it('at level 0 writes info and warnings only', () => {
    const { logger, lines } = collect(0);
    logEveryKind(logger);
    assert.deepEqual(lines, ['info line\n', 'warning: warn line\n']);
  });

  it('at level 1 also writes debug lines', () => {
    const { logger, lines } = collect(1);
    logEveryKind(logger);
    assert.deepEqual(lines, ['info line\n', 'warning: warn line\n', 'debug line\n']);
  });

  it('at level 2 and above also writes trace lines', () => {
    for (const level of [2, 5]) {
      const { logger, lines } = collect(level);
      logEveryKind(logger);
      assert.deepEqual(
        lines,
        ['info line\n', 'warning: warn line\n', 'debug line\n', 'trace line\n'],
        `level ${level}`,
      );
    }
  });

  it('redacts every line, whatever its kind', () => {
    const redactor = new Redactor();
    redactor.add('my-client-secret');
    const { logger, lines } = collect(2, redactor);
    logger.info('info my-client-secret');
    logger.warn('warn my-client-secret');
    logger.debug('debug POST code=abcdef');
    logger.trace('trace eyJhbGciOiJub25lIn0.eyJleHAiOjF9.sig');
    assert.deepEqual(lines, [
      `info ${REDACTED}\n`,
      `warning: warn ${REDACTED}\n`,
      `debug POST code=${REDACTED}\n`,
      `trace ${REDACTED}\n`,
    ]);
  });

  it('withLevel changes the level but keeps the sink and the redactor', () => {
    const redactor = new Redactor();
    const { logger, lines } = collect(0, redactor);
    const verbose = logger.withLevel(2);
    assert.equal(verbose.level, 2);
    assert.equal(logger.level, 0);
    assert.equal(verbose.redactor, redactor);
    redactor.add('late-secret');
    verbose.trace('trace late-secret');
    logger.debug('hidden');
    assert.deepEqual(lines, [`trace ${REDACTED}\n`]);
  });
});
