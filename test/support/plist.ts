/**
 * A strict reader of the XML property lists the release ships (entitlements): the XML
 * declaration, Apple's DOCTYPE, one `<plist version="1.0">` holding one `<dict>` of keys with
 * boolean values, comments and white space between. Anything else, and any tag left open, is an
 * error naming what was found: a file codesign could not read fails the release checks here.
 */

/** The prolog every property list starts with. */
const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';
const DOCTYPE =
  '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">';
/** The pieces of the document: comments, tags, and the text between. */
const TOKEN = /<!--[\s\S]*?-->|<[^>]*>|[^<]+/g;
/** A comment may not hold `--` (XML 1.0, section 2.5). */
const COMMENT = /^<!--(?:(?!--)[\s\S])*-->$/;
/** The text a key may hold: no markup, no entity but the five predefined ones. */
const KEY_TEXT = /^(?:[^<>&]|&(?:amp|lt|gt|quot|apos);)+$/;

/** Parses a property list of boolean entitlements; throws naming the first thing out of place. */
export function parseBooleanPlist(text: string): Record<string, boolean> {
  if (!text.startsWith(XML_DECLARATION)) throw new Error('it does not start with the XML declaration');
  // Comments and the white space between tags carry nothing; every other piece must be where expected.
  const tokens = (text.slice(XML_DECLARATION.length).match(TOKEN) ?? []).filter((token) => {
    if (!token.startsWith('<!--')) return token.trim() !== '';
    if (!COMMENT.test(token)) throw new Error(`a malformed comment: ${token}`);
    return false;
  });
  let at = 0;
  const next = (): string => {
    const token = tokens[at++];
    if (token === undefined) throw new Error('it ends before the property list is closed');
    return token;
  };
  const expect = (wanted: string): void => {
    const token = next();
    if (token !== wanted) throw new Error(`expected ${wanted}, found ${token}`);
  };
  expect(DOCTYPE);
  expect('<plist version="1.0">');
  expect('<dict>');
  const entries: Record<string, boolean> = {};
  for (let token = next(); token !== '</dict>'; token = next()) {
    if (token !== '<key>') throw new Error(`expected <key> or </dict>, found ${token}`);
    const key = next();
    if (!KEY_TEXT.test(key)) throw new Error(`a key holds ${key}`);
    expect('</key>');
    if (key in entries) throw new Error(`the key ${key} is there twice`);
    const value = next();
    if (value !== '<true/>' && value !== '<false/>') throw new Error(`the key ${key} has ${value}, not a boolean`);
    entries[key] = value === '<true/>';
  }
  expect('</plist>');
  if (at !== tokens.length) throw new Error(`${tokens[at]} follows the property list`);
  return entries;
}
