/**
 * A streaming RFC 4180 CSV reader: quoted fields, doubled quotes, commas and newlines inside quotes, CRLF or
 * LF. Yields one row (array of strings) at a time with its 1-based line number, holding only the current row.
 */
export async function* readCsvRows(
  chunks: AsyncIterable<Buffer | string>,
): AsyncGenerator<{ line: number; cells: string[] }> {
  let cell = '';
  let row: string[] = [];
  let quoted = false;
  let afterQuote = false;
  let line = 1;
  let rowLine = 1;
  const decoder = new TextDecoder('utf-8', { fatal: false });
  let pendingCr = false;
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    for (const ch of text) {
      if (quoted) {
        if (ch === '"') {
          quoted = false;
          afterQuote = true;
        } else {
          if (ch === '\n') line++;
          cell += ch;
        }
        continue;
      }
      if (pendingCr && ch !== '\n') pendingCr = false;
      if (ch === '"') {
        if (afterQuote) {
          cell += '"'; // a doubled quote inside a quoted field
          quoted = true;
          afterQuote = false;
        } else if (cell === '') quoted = true;
        else cell += ch;
      } else if (ch === ',') {
        row.push(cell);
        cell = '';
        afterQuote = false;
      } else if (ch === '\r') {
        pendingCr = true;
      } else if (ch === '\n') {
        row.push(cell);
        if (!(row.length === 1 && row[0] === '')) yield { line: rowLine, cells: row };
        row = [];
        cell = '';
        afterQuote = false;
        pendingCr = false;
        line++;
        rowLine = line;
      } else {
        afterQuote = false;
        cell += ch;
      }
    }
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    yield { line: rowLine, cells: row };
  }
}
