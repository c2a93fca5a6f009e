/**
 * Prompts: the question on the output stream, the answer from the input.
 */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { InteractionRequiredError } from '../../../src/core/errors.ts';
import { askUntilAccepted, promptLine, promptSecret } from '../../../src/io/prompt.ts';

function terminal() {
  const input = new PassThrough();
  const rawModes: boolean[] = [];
  Object.assign(input, { isTTY: true, setRawMode: (mode: boolean) => rawModes.push(mode) });
  let output = '';
  return { input, rawModes, out: { write: (text: string) => (output += text) }, output: () => output };
}

describe('promptLine', () => {
  it('writes the question and returns the trimmed line', async () => {
    const t = terminal();
    const answer = promptLine('Enter code: ', t.input, t.out);
    t.input.write('  the-code \n');
    assert.equal(await answer, 'the-code');
    assert.equal(t.output(), 'Enter code: ');
  });

  it('fails when the input ends without a line', async () => {
    const t = terminal();
    const answer = promptLine('Username: ', t.input, t.out);
    t.input.end();
    await assert.rejects(answer, InteractionRequiredError);
  });
});

describe('promptSecret', () => {
  it('reads in raw mode without echo, handles backspace, and restores the mode', async () => {
    const t = terminal();
    const answer = promptSecret('Password: ', t.input, t.out);
    t.input.write('hunter3\u007f2\r');
    assert.equal(await answer, 'hunter2');
    assert.deepEqual(t.rawModes, [true, false]);
    assert.equal(t.output(), 'Password: \n');
  });

  it('cancels on Ctrl-C', async () => {
    const t = terminal();
    const answer = promptSecret('Password: ', t.input, t.out);
    t.input.write('abc\u0003');
    await assert.rejects(answer, /cancelled at the prompt/);
    assert.deepEqual(t.rawModes, [true, false]);
  });
});

describe('askUntilAccepted', () => {
  /** Accepts numbers; says so for anything else. */
  const numbers = (answer: string) =>
    /^\d+$/.test(answer) ? { value: Number(answer) } : { problem: `${answer.length} characters, not a number.` };

  it('says a problem on one line and asks again until an answer is accepted; an empty line asks again', async () => {
    const t = terminal();
    const answer = askUntilAccepted(
      'Number: ',
      { stdin: t.input, stderr: t.out },
      numbers,
      new AbortController().signal,
    );
    t.input.write('abc\n\n42\n');
    assert.equal(await answer, 42);
    assert.equal(t.output(), 'Number: 3 characters, not a number.\nNumber: Number: ');
    assert.equal(t.input.listenerCount('data'), 0, 'stdin is still read');
  });

  it('withdraws the question when aborted: clears the line on a terminal, and stops reading', async () => {
    const t = terminal();
    const controller = new AbortController();
    const stderr = { write: t.out.write, isTTY: true };
    const answer = askUntilAccepted('Number: ', { stdin: t.input, stderr }, numbers, controller.signal);
    t.input.write('12');
    controller.abort();
    assert.equal(await answer, undefined);
    assert.equal(t.output(), 'Number: \r\x1b[K');
    assert.equal(t.input.listenerCount('data'), 0);
    t.input.write('3\n');
  });

  it('ends the line and gives up when stdin ends, and asks nothing once aborted', async () => {
    const t = terminal();
    const ended = askUntilAccepted(
      'Number: ',
      { stdin: t.input, stderr: t.out },
      numbers,
      new AbortController().signal,
    );
    t.input.end();
    assert.equal(await ended, undefined);
    assert.equal(t.output(), 'Number: \n');
    const aborted = askUntilAccepted('Again: ', { stdin: t.input, stderr: t.out }, numbers, AbortSignal.abort());
    assert.equal(await aborted, undefined);
    assert.equal(t.output(), 'Number: \n');
  });
});
