/**
 * Archives on disk, so an operator's history survives a restart of the local endpoint:
 * `archives.json` holds the definitions and `archive-<name>.jsonl` one archived event a line,
 * appended as events arrive. Buses and rules are not kept: the runtime re-creates them from
 * serverless.yml at start, and an archive picks its bus up again by ARN.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Archive, ArchivedEvent } from './model.js';
import { parseEventPattern } from './pattern.js';

interface StoredDefinition {
  name: string;
  arn: string;
  sourceBusArn: string;
  description?: string;
  eventPattern?: string;
  retentionDays: number;
  createdAt: number;
}

export class ArchiveStore {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  private definitionsFile(): string {
    return join(this.dir, 'archives.json');
  }

  private eventsFile(name: string): string {
    return join(this.dir, `archive-${name}.jsonl`);
  }

  load(): Archive[] {
    if (!existsSync(this.definitionsFile())) return [];
    const definitions = JSON.parse(readFileSync(this.definitionsFile(), 'utf8')) as StoredDefinition[];
    return definitions.map((definition) => {
      const archive: Archive = { ...definition, events: this.loadEvents(definition.name) };
      if (definition.eventPattern !== undefined) archive.matches = parseEventPattern(definition.eventPattern);
      return archive;
    });
  }

  private loadEvents(name: string): ArchivedEvent[] {
    const file = this.eventsFile(name);
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line, i) => {
        try {
          const { event, ...rest } = JSON.parse(line) as Omit<ArchivedEvent, 'eventJson'> & {
            event: unknown;
          };
          return { ...rest, eventJson: JSON.stringify(event) };
        } catch (error) {
          throw new Error(`${file} line ${i + 1} is not an archived event: ${(error as Error).message}`);
        }
      });
  }

  saveDefinitions(archives: Iterable<Archive>): void {
    const definitions: StoredDefinition[] = [...archives].map(
      ({ events: _events, matches: _matches, ...rest }) => rest,
    );
    writeFileSync(this.definitionsFile(), `${JSON.stringify(definitions, null, 2)}\n`);
  }

  /** one line per event, the event as an object (the file's format predates the in-memory text form) */
  append(name: string, entry: ArchivedEvent): void {
    const { eventJson, ...rest } = entry;
    appendFileSync(this.eventsFile(name), `${JSON.stringify({ event: JSON.parse(eventJson), ...rest })}\n`);
  }

  remove(name: string): void {
    rmSync(this.eventsFile(name), { force: true });
  }
}
