import { existsSync } from 'node:fs';
import {
  type JsonlLineError,
  type RolloutRecord,
  readJsonl,
  rolloutRecordSchema,
} from '@autotraj/trajectory';

/**
 * Rollout records of a run, one per id (the last written wins: a group that was cut by a kill
 * is regenerated on resume and written again whole), with per-group counts.
 */
export async function readRollouts(path: string): Promise<{
  records: RolloutRecord[];
  groupSizes: Map<string, number>;
  skipped: JsonlLineError[];
}> {
  const byId = new Map<string, RolloutRecord>();
  const skipped: JsonlLineError[] = [];
  if (existsSync(path)) {
    for await (const { value } of readJsonl(path, {
      mode: 'lenient',
      schema: rolloutRecordSchema,
      onReject: (error) => void skipped.push(error),
    })) {
      const record = value as RolloutRecord;
      byId.delete(record.id);
      byId.set(record.id, record);
    }
  }
  const groupSizes = new Map<string, number>();
  for (const record of byId.values())
    groupSizes.set(record.groupId, (groupSizes.get(record.groupId) ?? 0) + 1);
  return { records: [...byId.values()], groupSizes, skipped };
}
