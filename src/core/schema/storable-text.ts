/**
 * Text every storage can keep and give back unchanged.
 *
 * PostgreSQL's text and jsonb types cannot hold U+0000 ("invalid byte sequence"), and jsonb refuses a
 * `\ud800` escape that is not half of a surrogate pair, so one such value in a stored document would
 * fail every later filter or sort on the tenant. Neither is a character (RFC 8259 §8.2 calls unpaired
 * surrogates unpredictable), so seatkit refuses them at the edge, for every backend alike.
 */

const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The message shown, with the attribute's name, when a value is refused. Never the value itself. */
export const UNSTORABLE_TEXT_MESSAGE = 'must not contain U+0000 or an unpaired UTF-16 surrogate';

/** False when the text holds U+0000 or an unpaired UTF-16 surrogate. */
export const isStorableText = (text: string): boolean => !UNSTORABLE.test(text);
