import { Writable } from 'node:stream';

/** Every JSON line the app logged, in order. */
export class CapturedLog extends Writable {
  readonly text: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text.push(chunk.toString('utf8'));
    done();
  }
  get lines(): Array<Record<string, unknown>> {
    return this.text
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }
  get raw(): string {
    return this.text.join('');
  }
}
