/**
 * Replays a recorded IdP session against a SCIM base URL over HTTP and checks every answer.
 *
 * A recording is a list of steps: a request (with `{{name}}` placeholders for ids captured from
 * earlier answers) and what the answer must hold: a status, a subset of the body, attributes that
 * must be absent, exact values at dot paths.
 */

export interface RecordedStep {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
  readonly capture?: Record<string, string>;
  readonly expect: {
    readonly status: number | readonly number[];
    readonly bodyIncludes?: unknown;
    readonly absent?: readonly string[];
    readonly equals?: Record<string, unknown>;
  };
}

export interface Recording {
  readonly name: string;
  readonly description: string;
  readonly steps: readonly RecordedStep[];
}

export interface StepResult {
  readonly step: string;
  readonly problems: readonly string[];
}

const fill = (value: unknown, vars: Record<string, string>): unknown => {
  if (typeof value === 'string') return value.replace(/\{\{(\w+)\}\}/g, (m, name: string) => vars[name] ?? m);
  if (Array.isArray(value)) return value.map((v) => fill(v, vars));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, vars)]));
  return value;
};

const at = (doc: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((o, key) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[key] : undefined), doc);

// Objects match by key, arrays as unordered subsets, everything else by equality.
const includes = (actual: unknown, expected: unknown): boolean => {
  if (expected === null || typeof expected !== 'object') return actual === expected;
  if (Array.isArray(expected)) return Array.isArray(actual) && expected.every((e) => actual.some((a) => includes(a, e)));
  return actual !== null && typeof actual === 'object' && !Array.isArray(actual)
    && Object.entries(expected).every(([k, v]) => includes((actual as Record<string, unknown>)[k], v));
};

const check = (step: RecordedStep, status: number, body: unknown): string[] => {
  const problems: string[] = [];
  const statuses = ([] as number[]).concat(step.expect.status);
  if (!statuses.includes(status)) problems.push(`status ${status}, expected ${statuses.join(' or ')}`);
  if (step.expect.bodyIncludes !== undefined && !includes(body, step.expect.bodyIncludes)) problems.push('body lacks the expected attributes');
  for (const path of step.expect.absent ?? []) if (at(body, path) !== undefined) problems.push(`body has ${path}`);
  for (const [path, value] of Object.entries(step.expect.equals ?? {})) {
    if (JSON.stringify(at(body, path)) !== JSON.stringify(value)) problems.push(`${path} is ${JSON.stringify(at(body, path))}, expected ${JSON.stringify(value)}`);
  }
  return problems;
};

/** Replays every step in order; returns one result per step, and hands each to `onStep` as it completes. */
export const replayRecording = async (
  baseUrl: string,
  token: string,
  recording: Recording,
  onStep: (result: StepResult) => void = () => undefined,
): Promise<StepResult[]> => {
  const vars: Record<string, string> = {};
  const results: StepResult[] = [];
  for (const raw of recording.steps) {
    const step = fill(raw, vars) as RecordedStep;
    const response = await fetch(baseUrl + step.path, {
      method: step.method,
      headers: {
        accept: 'application/scim+json',
        authorization: `Bearer ${token}`,
        ...(step.body !== undefined ? { 'content-type': 'application/scim+json' } : {}),
        ...step.headers,
      },
      body: step.body === undefined ? undefined : JSON.stringify(step.body),
    });
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    for (const [name, path] of Object.entries(step.capture ?? {})) {
      const value = at(body, path);
      if (typeof value === 'string') vars[name] = value;
    }
    const result = { step: step.name, problems: check(step, response.status, body) };
    onStep(result);
    results.push(result);
  }
  return results;
};
