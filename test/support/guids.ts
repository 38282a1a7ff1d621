/** Ids for tests. */
import { randomUUID } from 'node:crypto';
import { toGuid, type Guid } from '../../src/domain/guid';

/** A fresh random GUID, canonical. */
export const newGuid = (): Guid => toGuid(randomUUID());

/**
 * A label passed off as a GUID, for units that only store, compare and echo ids (the charge
 * service, the limits) and never parse them: assertions stay readable ('tx-1', 'k1').
 */
export const opaqueId = (label: string): Guid => label as Guid;
