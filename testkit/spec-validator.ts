import { readFile } from 'node:fs/promises';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { type SpecOverlay, specOverlays } from './spec-overlays.js';

/**
 * Validates response bodies against the schemas an OpenAPI 3.0 document declares per route and status.
 * The document is converted to JSON Schema for ajv: `nullable: true` becomes a "null" type, OpenAPI-only
 * keywords are dropped, and `$ref`s resolve inside the document.
 */

type Json = Record<string, unknown>;

export interface SchemaCheck {
  valid: boolean;
  /** Where the schema came from, e.g. "#/components/responses/OneArtist". */
  schema: string;
  errors: string[];
}

const documentId = 'spotify-openapi';
const genericResponses: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  429: 'TooManyRequests',
};

/** The Accounts service is not in the Web API's OpenAPI file; these follow Spotify's authorization guide. */
const accountsSchemas: Record<string, Json> = {
  TokenResponse: {
    type: 'object',
    required: ['access_token', 'token_type', 'expires_in', 'scope'],
    properties: {
      access_token: { type: 'string', minLength: 1 },
      token_type: { enum: ['Bearer'] },
      expires_in: { type: 'integer', minimum: 1 },
      scope: { type: 'string' },
      refresh_token: { type: 'string', minLength: 1 },
    },
  },
  TokenError: {
    type: 'object',
    required: ['error', 'error_description'],
    properties: {
      error: { enum: ['invalid_grant', 'invalid_request', 'invalid_client', 'unsupported_grant_type', 'invalid_scope'] },
      error_description: { type: 'string' },
    },
  },
};

const droppedKeywords = new Set(['nullable', 'discriminator', 'example', 'examples', 'xml', 'externalDocs']);

/** OpenAPI 3.0 schema → JSON Schema (draft 7 as ajv reads it). */
export function openApiToJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(openApiToJsonSchema);
  if (typeof node !== 'object' || node === null) return node;
  const source = node as Json;
  const out: Json = {};
  for (const [key, value] of Object.entries(source)) {
    if (droppedKeywords.has(key) || key.startsWith('x-')) continue;
    out[key] = openApiToJsonSchema(value);
  }
  if (source.nullable === true) {
    if (typeof out.type === 'string') {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    } else if (out.type === undefined) {
      return { anyOf: [{ type: 'null' }, out] };
    }
  }
  return out;
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

export class SpecValidator {
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();

  private constructor(
    private readonly spec: Json,
    readonly overlays: SpecOverlay[],
  ) {
    const doc = openApiToJsonSchema(spec) as Json;
    for (const overlay of overlays) overlay.apply(doc);
    doc.$id = documentId;
    doc['x-accounts'] = accountsSchemas;
    this.ajv = new Ajv({ strict: false, allErrors: true, logger: false });
    addFormats(this.ajv);
    this.ajv.addFormat('base64', true);
    this.ajv.addSchema(doc, documentId);
  }

  /** `overlays: false` validates against the file exactly as written (see spec-overlays.ts). */
  static async load(specPath: string, options: { overlays?: boolean } = {}): Promise<SpecValidator> {
    return SpecValidator.fromDocument(parse(await readFile(specPath, 'utf8')) as Json, options);
  }

  static fromDocument(spec: Json, options: { overlays?: boolean } = {}): SpecValidator {
    if (typeof spec.openapi !== 'string' || !spec.openapi.startsWith('3.0')) {
      throw new Error(`expected an OpenAPI 3.0 document, got openapi: ${String(spec.openapi)}`);
    }
    return new SpecValidator(spec, options.overlays === false ? [] : specOverlays);
  }

  /** `route` as the simulator names it, e.g. "/v1/artists/{id}" (the spec's server URL ends in /v1). */
  checkResponse(method: string, route: string, status: number, body: unknown): SchemaCheck {
    const located = this.locate(method, route, status);
    if ('error' in located) return { valid: false, schema: '(none)', errors: [located.error] };
    return this.run(located.pointer, located.label, body);
  }

  checkTokenResponse(status: number, body: unknown): SchemaCheck {
    const name = status === 200 ? 'TokenResponse' : 'TokenError';
    return this.run(`#/x-accounts/${name}`, `built-in ${name} (Accounts service; not in the OpenAPI file)`, body);
  }

  private locate(method: string, route: string, status: number): { pointer: string; label: string } | { error: string } {
    const paths = (this.spec.paths ?? {}) as Record<string, Json | undefined>;
    // Parameter names may differ ({id} here, {playlist_id} in the file): match on the path's shape.
    const shape = (p: string): string => p.replace(/\{[^}]+\}/g, '{}');
    const wanted = shape(route.replace(/^\/v1(?=\/)/, ''));
    const path = Object.keys(paths).find((p) => shape(p) === wanted) ?? wanted;
    const operation = paths[path]?.[method.toLowerCase()] as Json | undefined;
    if (!operation) return { error: `${method} ${path} is not in the OpenAPI file` };
    const responses = (operation.responses ?? {}) as Record<string, Json | undefined>;
    const declared = responses[String(status)];
    const escapedPath = path.replace(/~/g, '~0').replace(/\//g, '~1');
    if (declared) {
      const ref = declared.$ref;
      if (typeof ref === 'string') {
        const name = ref.split('/').pop() ?? '';
        return { pointer: `#/components/responses/${name}/content/application~1json/schema`, label: `#/components/responses/${name}` };
      }
      const pointer = `#/paths/${escapedPath}/${method.toLowerCase()}/responses/${status}/content/application~1json/schema`;
      return { pointer, label: pointer.replace('/content/application~1json/schema', '') };
    }
    const generic = genericResponses[status];
    if (generic) {
      return {
        pointer: `#/components/responses/${generic}/content/application~1json/schema`,
        label: `#/components/responses/${generic} (the route declares no ${status})`,
      };
    }
    if (status >= 500) {
      // No 5xx is declared anywhere; Spotify's 5xx bodies use the same error object.
      return {
        pointer: '#/components/responses/BadRequest/content/application~1json/schema',
        label: `error object as in #/components/responses/BadRequest (nothing declared for ${status})`,
      };
    }
    return { error: `${method} ${path} declares no response for ${status}` };
  }

  private run(pointer: string, label: string, body: unknown): SchemaCheck {
    let validate = this.compiled.get(pointer);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `${documentId}${pointer}` });
      this.compiled.set(pointer, validate);
    }
    const valid = validate(body);
    return { valid, schema: label, errors: valid ? [] : describeErrors(validate.errors ?? []) };
  }
}

/** The deepest errors first: a failed oneOf reports every branch, the innermost one says what is wrong. */
function describeErrors(errors: ErrorObject[]): string[] {
  const sorted = [...errors].sort((a, b) => b.instancePath.split('/').length - a.instancePath.split('/').length);
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const error of sorted) {
    const params = error.keyword === 'enum' || error.keyword === 'type' ? ` ${JSON.stringify(error.params)}` : '';
    const line = `${error.instancePath || '(root)'} ${error.message ?? error.keyword}${params}`;
    if (!seen.has(line)) {
      seen.add(line);
      lines.push(line);
    }
  }
  return lines.slice(0, 6);
}
