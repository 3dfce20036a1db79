/**
 * Where the live Spotify service sends what the OpenAPI reference does not allow: `null` (or a
 * local-file track) where it declares no `nullable`, and objects without fields development mode no
 * longer sends. Each overlay is narrow, says why, and fails loudly if the spec changes shape,
 * so check-spec validates everything else exactly as the file declares it.
 */

type Schema = Record<string, unknown>;

export interface SpecOverlay {
  name: string;
  reason: string;
  apply(doc: Schema): void;
}

const nullOr = (schema: unknown): Schema => ({ anyOf: [{ type: 'null' }, schema] });
const nullable = (type: string): Schema => ({ type: [type, 'null'] });

function at(doc: Schema, pointer: string): Schema {
  let node: unknown = doc;
  for (const part of pointer.split('/').slice(1)) {
    node = (node as Schema | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  if (typeof node !== 'object' || node === null) throw new Error(`spec overlay: ${pointer} not found; the OpenAPI file changed shape`);
  return node as Schema;
}

/** A local file in a playlist, as Spotify sends it: no ids or links, a `spotify:local:` URI. */
const localTrackObject: Schema = {
  type: 'object',
  required: ['id', 'is_local', 'type', 'uri', 'name'],
  properties: {
    id: { type: 'null' },
    href: { type: 'null' },
    is_local: { enum: [true] },
    type: { enum: ['track'] },
    uri: { type: 'string', pattern: '^spotify:local:' },
    name: { type: 'string' },
    duration_ms: { type: 'integer' },
    disc_number: { type: 'integer' },
    track_number: { type: 'integer' },
    explicit: { type: 'boolean' },
    popularity: { type: 'integer' },
    preview_url: nullable('string'),
    available_markets: { type: 'array', items: { type: 'string' } },
    external_ids: { type: 'object' },
    external_urls: { type: 'object' },
    artists: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name'],
        properties: {
          name: { type: 'string' },
          id: nullable('string'),
          href: nullable('string'),
          uri: nullable('string'),
          type: { enum: ['artist'] },
          external_urls: { type: 'object' },
        },
      },
    },
    album: {
      type: 'object',
      required: ['name', 'type'],
      properties: {
        name: { type: 'string' },
        id: nullable('string'),
        href: nullable('string'),
        uri: nullable('string'),
        type: { enum: ['album'] },
        album_type: nullable('string'),
        release_date: nullable('string'),
        release_date_precision: nullable('string'),
        artists: { type: 'array' },
        images: { type: 'array' },
        available_markets: { type: 'array', items: { type: 'string' } },
        external_urls: { type: 'object' },
      },
    },
  },
};

export const specOverlays: SpecOverlay[] = [
  {
    name: 'playlist entries: null and local-file items',
    reason:
      'PlaylistTrackObject.item/track are not nullable, yet the spec itself says "a track object may be null" (SimplifiedPlaylistObject) and local files come with id null (Spotify\'s local files guide)',
    apply(doc) {
      const schemas = at(doc, '#/components/schemas');
      schemas.LocalTrackObject = localTrackObject;
      const properties = at(doc, '#/components/schemas/PlaylistTrackObject/properties');
      for (const key of ['item', 'track']) {
        const original = at(doc, `#/components/schemas/PlaylistTrackObject/properties/${key}`);
        const oneOf = original.oneOf;
        if (!Array.isArray(oneOf)) throw new Error(`spec overlay: PlaylistTrackObject.${key} has no oneOf`);
        properties[key] = nullOr({ ...original, oneOf: [...oneOf, { $ref: '#/components/schemas/LocalTrackObject' }] });
      }
    },
  },
  {
    name: 'play history: null context',
    reason: 'PlayHistoryObject.context is not nullable, but plays started outside a playlist, album or artist have context null (as CurrentlyPlayingObject.context documents)',
    apply(doc) {
      const properties = at(doc, '#/components/schemas/PlayHistoryObject/properties');
      properties.context = nullOr(at(doc, '#/components/schemas/PlayHistoryObject/properties/context'));
    },
  },
  {
    name: 'cursor paging: null next and cursors',
    reason: 'CursorPagingObject.next says "(null if none)" without nullable; an empty page has cursors null',
    apply(doc) {
      const properties = at(doc, '#/components/schemas/CursorPagingObject/properties');
      properties.next = nullOr(at(doc, '#/components/schemas/CursorPagingObject/properties/next'));
      properties.cursors = nullOr(at(doc, '#/components/schemas/CursorPagingObject/properties/cursors'));
    },
  },
  {
    name: 'several artists/albums: null for unknown ids',
    reason: 'Spotify answers null at the position of an id it does not know; ManyArtists/ManyAlbums do not say nullable',
    apply(doc) {
      for (const [response, key] of [
        ['ManyArtists', 'artists'],
        ['ManyAlbums', 'albums'],
      ] as const) {
        const array = at(doc, `#/components/responses/${response}/content/application~1json/schema/properties/${key}`);
        array.items = nullOr(array.items);
      }
    },
  },
  {
    name: 'development mode: fields no longer sent',
    reason:
      'Since February 2026 development-mode apps get albums without available_markets and popularity (Spotify changelog); the file, written for extended quota, still requires them',
    apply(doc) {
      for (const [pointer, fields] of [
        ['#/components/schemas/AlbumBase', ['available_markets']],
        ['#/components/schemas/AlbumObject', ['popularity']],
      ] as const) {
        const schema = at(doc, pointer);
        const required = schema.required;
        if (!Array.isArray(required)) throw new Error(`spec overlay: ${pointer} has no required list`);
        schema.required = required.filter((field) => !(fields as readonly string[]).includes(field as string));
      }
    },
  },
];
