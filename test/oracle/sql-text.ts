/** Small lexical helpers over SQL text, shared by the stand-in and the checker. */

/** Replaces string literals and quoted identifiers by same-length blanks, so searches ignore their content. */
export function maskQuoted(sql: string): string {
  return sql.replace(
    /'(?:[^']|'')*'|"[^"]*"/g,
    (quoted) => quoted[0] + ' '.repeat(quoted.length - 2) + quoted[0],
  );
}

/** Splits at the commas outside parentheses and quotes. */
export function splitTopLevel(text: string): string[] {
  const masked = maskQuoted(text);
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < masked.length; i++) {
    const c = masked[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(text.slice(start).trim());
  return parts.filter(Boolean);
}

/** Index of the parenthesis closing the one at `open`, or -1. */
export function closingParen(sql: string, open: number): number {
  const masked = maskQuoted(sql);
  let depth = 0;
  for (let i = open; i < masked.length; i++) {
    if (masked[i] === '(') depth++;
    else if (masked[i] === ')' && --depth === 0) return i;
  }
  return -1;
}

/** The SQL text at parenthesis depth 0 only (subqueries and argument lists blanked). */
export function topLevel(sql: string): string {
  const masked = maskQuoted(sql);
  let depth = 0;
  let out = '';
  for (const c of masked) {
    if (c === '(') depth++;
    out += depth === 0 ? c : ' ';
    if (c === ')') depth--;
  }
  return out;
}

/** The outermost SELECT's select list, as items; undefined for other statements. */
export function selectItems(sql: string): string[] | undefined {
  const top = topLevel(sql);
  const select = /^\s*SELECT\s+(DISTINCT\s+)?/i.exec(top);
  if (!select) return undefined;
  const from = /\sFROM\s/i.exec(top);
  return splitTopLevel(sql.slice(select[0].length, from ? from.index : sql.length));
}

/** The key oracledb gives a select item's column: a quoted alias as written, an unquoted one upper-cased. */
export function itemKey(item: string): { key: string; expression: string } {
  const aliased = /^(.*?)\s+(?:AS\s+)?("([^"]+)"|([A-Za-z][\w$#]*))$/is.exec(item);
  if (aliased && !/^"[^"]*"\."[^"]*"$/.test(item) && !/^[\w$#]+$/.test(item)) {
    return { key: aliased[3] ?? aliased[4].toUpperCase(), expression: aliased[1].trim() };
  }
  const column = /(?:^|\.)"([^"]+)"$/.exec(item);
  if (column) return { key: column[1], expression: item };
  return { key: item.replace(/^.*\./, '').toUpperCase(), expression: item };
}
