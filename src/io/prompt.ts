/**
 * Prompts on the terminal: a line (echoed) and a secret (not echoed). The
 * question goes to stderr; stdout carries only the ExecCredential.
 */
import { createInterface } from 'node:readline/promises';
import type { Readable } from 'node:stream';
import { InteractionRequiredError } from '../core/errors.ts';
import type { OutputStream } from './output-stream.ts';

/** A terminal's stdin. */
export type TerminalInput = Readable & { isTTY?: boolean; setRawMode?(mode: boolean): unknown };

/** Control characters read in raw mode. */
const ENTER = new Set(['\r', '\n']);
const CTRL_C = '\u0003';
const CTRL_D = '\u0004';
const BACKSPACE = new Set(['\u007f', '\b']);

/** Asks for a line; the answer is echoed as it is typed. */
export async function promptLine(question: string, input: TerminalInput, output: OutputStream): Promise<string> {
  const readline = createInterface({ input, output: output as NodeJS.WritableStream, terminal: false });
  output.write(question);
  try {
    const line = await new Promise<string>((resolve, reject) => {
      readline.once('line', resolve);
      readline.once('close', () =>
        reject(new InteractionRequiredError(`no answer to "${question.trim()}": standard input was closed`)),
      );
    });
    return line.trim();
  } finally {
    readline.close();
  }
}

/** What a check makes of an answer: the value to return, or a problem to say before asking again. */
export type AnswerVerdict<T> = { value: T } | { problem: string };

/** Clears the current line of a terminal: carriage return, erase to its end. */
const CLEAR_LINE = '\r\x1b[K';

/**
 * Asks on the terminal until `check` accepts an answer: a problem is said on
 * one line and the question asked again; an empty line asks again. Resolves
 * undefined when `signal` withdraws the question (the prompt and whatever was
 * typed after it are cleared) or when stdin ends.
 */
export function askUntilAccepted<T>(
  question: string,
  terminal: { stdin: TerminalInput; stderr: OutputStream },
  check: (answer: string) => AnswerVerdict<T>,
  signal: AbortSignal,
): Promise<T | undefined> {
  if (signal.aborted) return Promise.resolve(undefined);
  const { stdin, stderr } = terminal;
  const readline = createInterface({ input: stdin, output: stderr as NodeJS.WritableStream, terminal: false });
  stderr.write(question);
  return new Promise((resolve) => {
    let done = false;
    const finish = (value: T | undefined) => {
      if (done) return;
      done = true;
      signal.removeEventListener('abort', onAbort);
      readline.close();
      resolve(value);
    };
    const onAbort = () => {
      stderr.write(stderr.isTTY ? CLEAR_LINE : '\n');
      finish(undefined);
    };
    readline.on('line', (line) => {
      if (done) return;
      const answer = line.trim();
      if (answer === '') {
        stderr.write(question);
        return;
      }
      const verdict = check(answer);
      if ('value' in verdict) finish(verdict.value);
      else stderr.write(`${verdict.problem}\n${question}`);
    });
    readline.once('close', () => {
      // Closed by the end of stdin: what follows must not stand after the prompt.
      if (!done) stderr.write('\n');
      finish(undefined);
    });
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Asks for a secret with echo off; Ctrl-C cancels. */
export async function promptSecret(question: string, input: TerminalInput, output: OutputStream): Promise<string> {
  output.write(question);
  input.setRawMode?.(true);
  input.setEncoding('utf8');
  input.resume();
  try {
    return await new Promise<string>((resolve, reject) => {
      let value = '';
      const finish = (outcome: () => void) => {
        input.off('data', onData);
        input.off('end', onEnd);
        outcome();
      };
      const onEnd = () =>
        finish(() =>
          reject(new InteractionRequiredError(`no answer to "${question.trim()}": standard input was closed`)),
        );
      const onData = (chunk: string) => {
        for (const char of chunk) {
          if (ENTER.has(char)) return finish(() => resolve(value));
          if (char === CTRL_C) return finish(() => reject(new InteractionRequiredError('cancelled at the prompt')));
          if (char === CTRL_D) return onEnd();
          value = BACKSPACE.has(char) ? value.slice(0, -1) : value + char;
        }
      };
      input.on('data', onData);
      input.once('end', onEnd);
    });
  } finally {
    input.setRawMode?.(false);
    input.pause();
    output.write('\n');
  }
}
