/**
 * JSON in Web Storage: `store(area, key)` reads, `store(area, key, value)` writes, and a falsy value
 * removes the key. Absent keys read as undefined (never null). Storage can be missing or throw
 * (sandboxed frames, blocked cookies, quota): reads then give undefined and writes are dropped.
 */
export const L = 'localStorage';
export const S = 'sessionStorage';

export const store = (area: typeof L | typeof S, key: string, value?: unknown): any => {
  try {
    const s = window[area];
    return value === undefined ? JSON.parse(s[key]) : value ? (s[key] = JSON.stringify(value)) : delete s[key];
  } catch {}
};
