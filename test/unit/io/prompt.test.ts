/**
 * Prompts: the question on the output stream, the answer from the input.
 */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { InteractionRequiredError } from '../../../src/core/errors.ts';
import { promptLine, promptSecret } from '../../../src/io/prompt.ts';

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
