import Fastify from 'fastify';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { caseList } from '../../shared/schemas/cases.ts';
import { incidentList } from '../../shared/schemas/incidents.ts';
import { errorResponse } from '../../shared/schemas/common.ts';
import { compileZodSerializer, createSerializerCompiler } from './serializer.ts';

const id = '7d8a4c1e-2b3f-4a5d-9e6f-0a1b2c3d4e5f';
const person = z.object({ id: z.uuid(), name: z.string() });
const schema = z.object({
  id: z.uuid(),
  title: z.string(),
  count: z.number().int(),
  ratio: z.number(),
  flag: z.boolean(),
  note: z.string().nullable(),
  maybe: z.string().nullable().optional(),
  owner: person.nullable(),
  people: z.array(person),
  byKey: z.record(z.string(), person),
  extra: z.record(z.string(), z.unknown()),
  anything: z.unknown().nullable(),
  loose: z.looseObject({ kept: z.string() }),
  status: z.enum(['open', 'closed']),
});

const secret = { passwordHash: '$argon2id$…', tokenHash: 'abc' };
const data = {
  id,
  title: 'Ärende "ett"\n\u2028 \ud83d\ude00',
  count: 3,
  ratio: 0.1 + 0.2,
  flag: false,
  note: null,
  owner: { id, name: 'Anna', ...secret },
  people: [{ id, name: 'Bo', ...secret }, { id, name: 'Cecilia' }],
  byKey: { a: { id, name: 'Dan', ...secret } },
  extra: { free: { nested: [1, 'två'] } },
  anything: { whatever: true },
  loose: { kept: 'ja', alsoKept: 1 },
  status: 'open',
  ...secret,
};

describe('the compiled response serializer', () => {
  it('writes exactly what zod parse + JSON.stringify wrote', () => {
    const write = compileZodSerializer(schema)!;
    expect(write).toBeTypeOf('function');
    expect(write(data)).toBe(JSON.stringify(schema.parse(data)));
    const other = { ...data, note: 'x', maybe: 'y', owner: null, people: [], byKey: {}, extra: {}, anything: undefined, status: 'closed' };
    expect(write(other)).toBe(JSON.stringify(schema.parse(other)));
  });

  it('leaves out every property the schema does not declare, at every depth (records and loose objects keep theirs, as with zod)', () => {
    const text = compileZodSerializer(schema)!(data);
    expect(text).not.toMatch(/passwordHash|tokenHash/);
    const parsed = JSON.parse(text);
    expect(Object.keys(parsed.owner)).toEqual(['id', 'name']);
    expect(parsed.people.map((p: object) => Object.keys(p))).toEqual([['id', 'name'], ['id', 'name']]);
    expect(Object.keys(parsed.byKey.a)).toEqual(['id', 'name']);
    expect(parsed.loose).toEqual({ kept: 'ja', alsoKept: 1 });
    expect(parsed.extra).toEqual({ free: { nested: [1, 'två'] } });
  });

  it('is compiled for the case and incident lists and the error body', () => {
    for (const s of [caseList, incidentList, errorResponse]) expect(compileZodSerializer(s)).toBeTypeOf('function');
  });

  it('leaves a schema it cannot write exactly (a union of objects, a date, a tuple) to zod', () => {
    expect(compileZodSerializer(z.union([person, z.object({ other: z.string() })]))).toBeUndefined();
    expect(compileZodSerializer(z.object({ at: z.date() }))).toBeUndefined();
    expect(compileZodSerializer(z.tuple([z.string(), z.number()]))).toBeUndefined();
  });
});

async function appWith(check: boolean, body: unknown, responseSchema: z.ZodType = schema) {
  const app = Fastify().withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(createSerializerCompiler({ check }));
  app.get('/x', { schema: { response: { 200: responseSchema } } }, async () => body as never);
  await app.ready();
  return app;
}

describe('responses through Fastify', () => {
  for (const check of [false, true]) {
    it(`send only the declared properties (${check ? 'with' : 'without'} the zod cross-check)`, async () => {
      const app = await appWith(check, data);
      const res = await app.inject({ url: '/x' });
      expect(res.statusCode).toBe(200);
      expect(res.body).toBe(JSON.stringify(schema.parse(data)));
      expect(res.body).not.toMatch(/passwordHash|tokenHash/);
      await app.close();
    });

    it(`strip undeclared properties also where zod writes the response (a union) (${check ? 'with' : 'without'} the check)`, async () => {
      const union = z.union([person, z.object({ other: z.string() })]);
      const app = await appWith(check, { id, name: 'Eva', ...secret }, union);
      const res = await app.inject({ url: '/x' });
      expect(res.json()).toEqual({ id, name: 'Eva' });
      await app.close();
    });
  }

  it('with the check (the test suite), a response that does not match its schema fails as with zod', async () => {
    const app = await appWith(true, { ...data, count: '3' });
    const res = await app.inject({ url: '/x' });
    expect(res.statusCode).toBe(500);
    await app.close();
  });
});
