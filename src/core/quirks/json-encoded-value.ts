/**
 * IdP quirk "JSON-encoded value": an element of a multi-valued attribute whose `value` is itself a
 * JSON object in a string.
 *
 * Microsoft Entra ID's `AppRoleAssignmentsComplex` mapping sends app roles in PATCH as
 * `{"value": "{\"id\":\"06b0...\",\"value\":\"Pro\",\"displayName\":\"Pro\"}"}`. The role it means
 * is `{ value: "Pro", display: "Pro" }`; without unpacking, no role rule would ever match.
 */
import { isObject, type Json } from '../schema/canonicalize';

const parseObject = (text: string): Json | null => {
  if (!text.trimStart().startsWith('{')) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return isObject(parsed) ? parsed : null;
  } catch {
    return null;
  }
};

/** Unpacks `{ value: "<JSON object with a value>" }` into `{ value, display }`, keeping the other keys. */
export const unpackJsonEncodedValue = (element: unknown): unknown => {
  if (!isObject(element) || typeof element.value !== 'string') return element;
  const inner = parseObject(element.value);
  if (!inner || (typeof inner.value !== 'string' && typeof inner.value !== 'number')) return element;
  const display = inner.displayName ?? inner.display;
  return {
    ...element,
    value: String(inner.value),
    ...(typeof display === 'string' && element.display === undefined ? { display } : {}),
  };
};
