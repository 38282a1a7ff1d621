import { parse } from 'graphql';
import { MAX_PREPARED_TEXT_LENGTH, PreparedOperations } from '../../src/graphql/prepared-operations';

type Hook = (context: unknown) => Promise<void>;

async function accept(prepared: PreparedOperations, source: string): Promise<void> {
  const listener = await prepared.plugin().requestDidStart?.({} as never);
  const executionDidStart = listener?.executionDidStart as unknown as Hook | undefined;
  if (!executionDidStart) throw new Error('the plugin has no executionDidStart hook');
  const document = parse(source);
  await executionDidStart({ source, document, operation: document.definitions[0] });
}

describe('PreparedOperations', () => {
  it('keeps the documents Apollo executed and resolves their operations by name', async () => {
    const prepared = new PreparedOperations();
    const text = 'query A { a } query B { b }';
    await accept(prepared, text);
    expect(prepared.get(text)?.operation('B')?.name?.value).toBe('B');
    expect(prepared.get(text)?.operation('C')).toBeNull();
    expect(prepared.get(text)?.operation(undefined)).toBeNull(); // two operations, no name: none
    const single = '{ only }';
    await accept(prepared, single);
    expect(prepared.get(single)?.operation(undefined)?.operation).toBe('query');
    expect(prepared.get(single)?.operation('')).toBeNull(); // an empty name is a name no operation has
    expect(prepared.get('{ other }')).toBeUndefined();
  });

  it('leaves long texts to Apollo and stays within its byte budget', async () => {
    const long = `{ ${'a '.repeat(MAX_PREPARED_TEXT_LENGTH)}}`;
    const prepared = new PreparedOperations(256 * 1024);
    await accept(prepared, long);
    expect(prepared.get(long)).toBeUndefined();
    for (let i = 0; i < 1_000; i++) await accept(prepared, `{ f${i} { x y z } }`);
    expect(prepared.size).toBeGreaterThan(10);
    expect(prepared.size).toBeLessThan(1_000);
    expect(prepared.get('{ f999 { x y z } }')).toBeDefined();
  });
});
