const QUOTE = 0x22;
const COMMA = 0x2c;
const COLON = 0x3a;
const SPACE = 0x20;
const BACKSLASH = 0x5c;
const LF = 0x0a;
const CR = 0x0d;

/**
 * Finishes the CSV that PostgreSQL's `COPY … TO STDOUT (FORMAT csv)` writes
 * into DESIGN's CSV, one chunk at a time, and counts its records:
 * - each record ends with CRLF (COPY ends them with LF);
 * - the metadata field, jsonb's text, becomes compact JSON: jsonb writes one
 *   space after every `,` and `:` between tokens and nowhere else outside
 *   strings, so dropping exactly those spaces gives JSON.stringify's form.
 * It reads the bytes once, tracking RFC 4180 quotes (a `""` pair is a literal
 * quote) and, inside the metadata field, JSON strings and their escapes.
 * UTF-8 continuation bytes are all >= 0x80, so they never look like syntax.
 */
export class CopyCsvFinisher {
  private inQuotes = false;
  private previous = 0;
  private field = 0;
  private jsonString = false;
  private jsonEscaped = false;
  private afterSeparator = false;

  constructor(private readonly metadataField: number) {}

  /** Returns the finished bytes of `chunk` and how many records ended in it. */
  push(chunk: Uint8Array): { data: Buffer; records: number } {
    // Every record has a comma between each of its 13+ fields, so at most one CR per 13 bytes is added.
    const out = Buffer.allocUnsafe(chunk.length + Math.ceil(chunk.length / 13) + 1);
    let written = 0;
    let records = 0;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i]!;
      if (byte === QUOTE) {
        // The second quote of a `""` pair turns quoting back on right after the first turned it off.
        const literal = !this.inQuotes && this.previous === QUOTE;
        this.inQuotes = !this.inQuotes;
        if (literal && this.field === this.metadataField) this.json(QUOTE);
      } else if (!this.inQuotes && byte === COMMA) {
        this.field++;
      } else if (!this.inQuotes && byte === LF) {
        out[written++] = CR;
        records++;
        this.field = 0;
        this.jsonString = this.jsonEscaped = this.afterSeparator = false;
      } else if (this.field === this.metadataField && this.json(byte)) {
        this.previous = byte;
        continue;
      }
      out[written++] = byte;
      this.previous = byte;
    }
    return { data: out.subarray(0, written), records };
  }

  /** Steps the JSON state over one character of the metadata value; true when it is a space to drop. */
  private json(byte: number): boolean {
    if (this.jsonString) {
      if (this.jsonEscaped) this.jsonEscaped = false;
      else if (byte === BACKSLASH) this.jsonEscaped = true;
      else if (byte === QUOTE) this.jsonString = false;
      return false;
    }
    if (byte === SPACE && this.afterSeparator) {
      this.afterSeparator = false;
      return true;
    }
    this.afterSeparator = byte === COMMA || byte === COLON;
    if (byte === QUOTE) this.jsonString = true;
    return false;
  }

  /** True when the bytes so far end on a record's end, as a complete COPY does. */
  get atRecordEnd(): boolean {
    return this.field === 0 && !this.inQuotes && (this.previous === LF || this.previous === 0);
  }
}
