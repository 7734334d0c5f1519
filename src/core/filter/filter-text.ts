/**
 * What seatkit reads in raw filter text before scim2-parse-filter sees it: the parts outside quoted
 * strings, so nothing here ever changes or counts a character of a value.
 */

/** The text split into runs outside and inside quoted strings (quotes and escapes kept in the latter). */
const segments = (text: string): { text: string; quoted: boolean }[] => {
  const out: { text: string; quoted: boolean }[] = [];
  let start = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') {
        out.push({ text: text.slice(start, i + 1), quoted: true });
        start = i + 1;
        inString = false;
      }
    } else if (c === '"') {
      out.push({ text: text.slice(start, i), quoted: false });
      start = i;
      inString = true;
    }
  }
  out.push({ text: text.slice(start), quoted: inString });
  return out;
};

/** The deepest nesting of parentheses and brackets outside strings (the parser drops redundant ones). */
export const parenthesisDepth = (text: string): number => {
  let depth = 0;
  let deepest = 0;
  for (const segment of segments(text)) {
    if (segment.quoted) continue;
    for (const c of segment.text) {
      if (c === '(' || c === '[') deepest = Math.max(deepest, ++depth);
      else if (c === ')' || c === ']') depth--;
    }
  }
  return deepest;
};

// A word as scim2-parse-filter's tokenizer reads one: `\w[-\w._:/%]*`. Only a whole word is a literal,
// so `trueColor`, `urn:x:null:y` and `emails.true` are left alone.
const LITERAL = /(?<![-\w.:/%])(?:true|false|null)(?![-\w.:/%])/gi;

/**
 * Writes the bare literals `true`, `false` and `null` in lower case. RFC 7644 §3.4.2.2's ABNF uses
 * RFC 5234 literals, which ignore case, so `active eq True` is a valid filter; scim2-parse-filter
 * reads values with JSON.parse, which only knows the lower-case spelling. An attribute that happens
 * to be named like a literal is unharmed: attribute names ignore case too (RFC 7643 §2.1).
 */
export const normaliseLiterals = (text: string): string =>
  segments(text).map((s) => (s.quoted ? s.text : s.text.replace(LITERAL, (w) => w.toLowerCase()))).join('');
