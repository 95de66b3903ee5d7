import fastJsonStringify from 'fast-json-stringify';
import { z } from 'zod';
import { $ZodType, safeParse } from 'zod/v4/core';
import { ResponseSerializationError } from 'fastify-type-provider-zod';

/**
 * Response serialisation from the routes' zod response schemas, compiled (issue #12 item 2: the fixed cost per
 * request).
 *
 * fastify-type-provider-zod's serializer parses every response with zod (a full copy of it, every uuid checked
 * against its pattern) and then runs JSON.stringify over the copy. Here each response schema is turned into a
 * JSON schema once (`z.toJSONSchema`, the output side) and compiled with fast-json-stringify, which writes only
 * the properties the schema declares: what is not in a response schema does not leave the server, as with zod
 * (objects strip unknown keys; `z.looseObject` and records keep them, as zod does).
 *
 * What the compiled writer does not do is check the values' types and formats (a number where the schema says
 * string is written as a string; zod would have answered 500). So in the test suite (NODE_ENV=test, `check`),
 * every response is also parsed by zod as before, and the two texts must be identical: a response that does
 * not match its schema fails as it did, and any difference between the compiled writer and zod fails the test
 * that produced it.
 *
 * A schema the compiled writer cannot be trusted with — unions other than "X or null", tuples, references,
 * anything `toJSONSchema` cannot represent (dates, transforms) — keeps zod's parse-then-stringify.
 */

type JsonSchema = Record<string, unknown>;

class Unsupported extends Error {}

/** Keywords that only validate: the writer does not need them. */
const VALIDATION_ONLY = new Set([
  '$schema', 'title', 'description', 'examples', 'format', 'pattern', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum',
  'multipleOf', 'minLength', 'maxLength', 'minItems', 'maxItems', 'uniqueItems', 'minProperties', 'maxProperties', 'enum',
  'propertyNames', 'contentEncoding', 'contentMediaType', 'readOnly', 'writeOnly', 'deprecated', 'id',
]);
/** Keywords the writer understands (after the rewriting below). */
const KNOWN = new Set(['type', 'properties', 'required', 'additionalProperties', 'items', 'nullable', 'const', 'default']);

const isNullSchema = (s: unknown) => typeof s === 'object' && s !== null && (s as JsonSchema).type === 'null' && Object.keys(s).length === 1;
/** A schema every value fits (z.unknown(), z.any()). */
const isAnything = (s: JsonSchema) => Object.keys(s).filter((k) => k !== 'nullable').length === 0;

/**
 * Rewrites zod's JSON schema into the subset the writer handles exactly as zod would: "X or null" becomes
 * `nullable`, validation-only keywords go, and a property that accepts anything (undefined too) is not required.
 * Throws Unsupported for anything else.
 */
function rewrite(input: unknown): JsonSchema {
  if (input === true || (typeof input === 'object' && input !== null && Object.keys(input).length === 0)) return {};
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new Unsupported(`schema ${JSON.stringify(input)}`);
  const s = input as JsonSchema;
  const union = (s.anyOf ?? s.oneOf) as unknown[] | undefined;
  if (union) {
    const others = Object.keys(s).filter((k) => k !== 'anyOf' && k !== 'oneOf' && !VALIDATION_ONLY.has(k));
    const rest = union.filter((b) => !isNullSchema(b));
    if (others.length || union.length !== 2 || rest.length !== 1) throw new Unsupported('a union other than X | null');
    const inner = rewrite(rest[0]);
    if (isAnything(inner)) return {};
    if (inner.nullable || inner.const !== undefined || Array.isArray(inner.type) || inner.type === undefined) throw new Unsupported('nullable of this');
    return { ...inner, nullable: true };
  }
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(s)) {
    if (VALIDATION_ONLY.has(key)) continue;
    if (!KNOWN.has(key)) throw new Unsupported(`keyword ${key}`);
    out[key] = value;
  }
  if (Array.isArray(out.type)) {
    const types = out.type as string[];
    const nonNull = types.filter((t) => t !== 'null');
    if (nonNull.length !== 1 || types.length > 2) throw new Unsupported('several types');
    out.type = nonNull[0];
    if (types.length === 2) out.nullable = true;
  }
  if (out.type === 'object') {
    const props = (out.properties ?? {}) as Record<string, unknown>;
    const rewritten: Record<string, JsonSchema> = {};
    for (const [k, v] of Object.entries(props)) rewritten[k] = rewrite(v);
    out.properties = rewritten;
    if (out.additionalProperties !== undefined && out.additionalProperties !== false) out.additionalProperties = rewrite(out.additionalProperties);
    // The writer puts required properties first; zod keeps the schema's order. So only the required properties
    // before the first optional one are marked required (the writer then keeps the order; a missing one is an
    // error as with zod; one further on is left out if missing, which the test suite's check catches). zod lets
    // undefined through z.unknown() / z.any() (JSON.stringify then leaves the key out): never required.
    if (out.required !== undefined) {
      const required = new Set(out.required as string[]);
      const prefix: string[] = [];
      for (const k of Object.keys(rewritten)) {
        if (!required.has(k) || isAnything(rewritten[k])) break;
        prefix.push(k);
      }
      out.required = prefix;
    }
  } else if (out.properties !== undefined || out.additionalProperties !== undefined || out.required !== undefined) {
    throw new Unsupported('object keywords without type object');
  }
  if (out.type === 'array') {
    if (typeof out.items !== 'object' || out.items === null || Array.isArray(out.items)) throw new Unsupported('array items');
    out.items = rewrite(out.items);
  } else if (out.items !== undefined) throw new Unsupported('items without type array');
  if (out.type === undefined && out.const === undefined && !isAnything(out)) throw new Unsupported('no type');
  return out;
}

/** The compiled writer for a zod schema, or undefined when it must stay with zod. */
export function compileZodSerializer(schema: $ZodType): ((data: unknown) => string) | undefined {
  let json: unknown;
  try {
    json = z.toJSONSchema(schema as z.ZodType, { io: 'output', unrepresentable: 'throw', cycles: 'throw', reused: 'inline' });
  } catch {
    return undefined;
  }
  try {
    return fastJsonStringify(rewrite(json) as never) as (data: unknown) => string;
  } catch {
    // Unsupported, or a schema fast-json-stringify refuses: zod's way is always right, only slower.
    return undefined;
  }
}

/**
 * Compiled writers by schema, made on a schema's first response: an app has some 2 000 route × status schemas
 * (most of them the shared error body), and compiling them all at start would add seconds to every start.
 */
const compiledBySchema = new WeakMap<$ZodType, ((data: unknown) => string) | null>();
function compiledFor(schema: $ZodType) {
  let found = compiledBySchema.get(schema);
  if (found === undefined) {
    found = compileZodSerializer(schema) ?? null;
    compiledBySchema.set(schema, found);
  }
  return found;
}

function resolveSchema(maybe: unknown): $ZodType {
  if (maybe instanceof $ZodType) return maybe;
  const properties = (maybe as { properties?: unknown } | null)?.properties;
  if (properties instanceof $ZodType) return properties;
  throw new Error(`Invalid response schema: ${JSON.stringify(maybe)}`);
}

export interface SerializerOptions {
  /** Also parse every response with zod and require the same text (the test suite). */
  check: boolean;
}

/** The Fastify serializer compiler (app.setSerializerCompiler). */
export function createSerializerCompiler({ check }: SerializerOptions) {
  return ({ schema: maybeSchema, method, url }: { schema: unknown; method: string; url: string }) => {
    const schema = resolveSchema(maybeSchema);
    const viaZod = (data: unknown) => {
      const result = safeParse(schema, data);
      if (result.error) throw new ResponseSerializationError(method, url, { cause: result.error });
      return JSON.stringify(result.data);
    };
    let write: ((data: unknown) => string) | undefined;
    return (data: unknown) => {
      if (!write) {
        const compiled = compiledFor(schema);
        write = !compiled ? viaZod : !check ? compiled : checked(compiled);
      }
      return write(data);
    };
    function checked(compiled: (data: unknown) => string) {
      return (data: unknown) => {
        const expected = viaZod(data);
        const written = compiled(data);
        if (written !== expected) {
          const message = `${method} ${url}: the compiled response serializer wrote ${written.slice(0, 2000)}; zod: ${expected.slice(0, 2000)}`;
          throw new ResponseSerializationError(method, url, { cause: Object.assign(new Error(message), { issues: [{ code: 'custom', path: [], message }] }) as never });
        }
        return written;
      };
    }
  };
}

